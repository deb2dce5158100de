package plugin

import "os"

// divertStdout keeps the process's real standard output for the protocol
// and sends everything else written to stdout to stderr, the task's log, so
// that task code that prints cannot corrupt the protocol stream.
//
// Where the system allows it, file descriptor 1 itself is pointed at stderr
// (after duplicating the original for the protocol), which also covers
// writers that captured os.Stdout before Serve ran (colour libraries do, at
// init) and C code. Elsewhere only the os.Stdout variable is swapped.
func divertStdout() *os.File {
	protocol, err := moveStdoutToStderr()
	if err != nil {
		protocol = os.Stdout
	}
	os.Stdout = os.Stderr
	return protocol
}
