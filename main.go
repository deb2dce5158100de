// Command bgtask brings Windows background tasks triggered by WNS raw push
// notifications onto a developer's machine: declare, lint, register, push.
package main

import (
	"os"

	"github.com/bgtask/bgtask/cmd"
)

func main() {
	os.Exit(cmd.Main(cmd.SystemIO(), os.Args[1:]))
}
