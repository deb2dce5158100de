// Command flood is a task plugin whose task writes without restraint: tens of
// megabytes of log, a log line of a megabyte, prints to stdout (which the SDK
// moves to the log), and thousands of progress reports. Then it completes.
package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/bgtask/bgtask/pkg/plugin"
)

func main() {
	plugin.Serve(map[string]plugin.Task{
		"Tasks.Flood": plugin.TaskFunc(func(_ context.Context, inst *plugin.Instance) error {
			fmt.Println("printed to stdout by task code")
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
