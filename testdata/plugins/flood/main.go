// Command flood is a task plugin whose task writes without restraint: tens of
// megabytes of log, a log line of a megabyte, prints to stdout (which the SDK
// moves to the log), and thousands of progress reports. Then it completes.
package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"runtime"
	"strings"

	"github.com/bgtask/bgtask/pkg/plugin"
)

// captured is os.Stdout as a library would keep it, taken before Serve runs.
var captured = os.Stdout

func main() {
	plugin.Serve(map[string]plugin.Task{
		"Tasks.Flood": plugin.TaskFunc(func(_ context.Context, inst *plugin.Instance) error {
			fmt.Println("printed to stdout by task code")
			if runtime.GOOS != "windows" { // there the SDK can only swap os.Stdout
				fmt.Fprintln(captured, "written to a stdout captured before Serve")
			}
			w := bufio.NewWriter(os.Stderr)
			line := strings.Repeat("x", 199) + "\n"
			for range 100_000 { // 20 MB
				w.WriteString(line)
			}
			w.WriteString(strings.Repeat("y", 1<<20) + "\n")
			w.WriteString("last line\n")
			w.Flush()
			for i := range 10_000 {
				inst.SetProgress(uint32(i % 101))
			}
			inst.SetProgress(100)
			return nil
		}),
	})
}
