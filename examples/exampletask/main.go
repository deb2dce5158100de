// Command exampletask is the seed app's Tasks.ExampleBackgroundTask as a
// bgtask task plugin:
//
//	go build -o exampletask ./examples/exampletask
//	bgtask plugin check ./exampletask
//	bgtask plugin run ./exampletask --entry-point Tasks.ExampleBackgroundTask --payload hello
package main

import (
	"os"

	"github.com/bgtask/bgtask/examples/exampletask/task"
	"github.com/bgtask/bgtask/pkg/plugin"
)

func main() {
	plugin.Serve(task.Tasks(os.Stderr))
}
