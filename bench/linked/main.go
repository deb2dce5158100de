// Command linked is a start-up experiment of bench/run.sh: it links all of
// bgtask (cmd.Main is reachable, so the binary is as large as bgtask's) but
// only prints a line, so against initonly it measures what the size of the
// binary costs at start-up, and against `bgtask --version` what running the
// command does.
package main

import (
	"os"

	"github.com/bgtask/bgtask/cmd"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "--run" { // never, in the benchmark
		os.Exit(cmd.Main(cmd.SystemIO(), os.Args[2:]))
	}
	_, _ = os.Stdout.WriteString("bgtask version dev\n")
}
