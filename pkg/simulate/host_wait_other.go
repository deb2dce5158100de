//go:build !linux

package simulate

// awaitExit returns at once: os/exec's Wait does the waiting.
func awaitExit(int) {}
