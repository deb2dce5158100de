// Command hello is the start-up baseline of bench/run.sh: the least a Go
// program does, built with the same release flags as bgtask.
package main

import "os"

func main() { _, _ = os.Stdout.WriteString("hello\n") }
