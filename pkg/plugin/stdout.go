package plugin

import "os"

// divertStdout keeps the process's real standard output for the protocol
// and points os.Stdout at stderr, so task code that prints (fmt.Println,
// log set to os.Stdout, child processes given os.Stdout) writes to the task's
// log instead of corrupting the protocol stream. Writes straight to file
// descriptor 1 (from C code) are not covered.
func divertStdout() *os.File {
	protocol := os.Stdout
	os.Stdout = os.Stderr
	return protocol
}
