// Command initonly is a start-up experiment of bench/run.sh: it imports
// bgtask's command package for its side effects only, so every package
// bgtask links is initialised, but nothing calls the commands and the
// linker drops their code (a 4 MB binary instead of 11 MB). Against the
// hello-world baseline it measures what package initialisation costs.
package main

import (
	"os"

	_ "github.com/bgtask/bgtask/cmd"
)

func main() { _, _ = os.Stdout.WriteString("bgtask version dev\n") }
