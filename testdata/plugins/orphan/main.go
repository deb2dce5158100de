// Command orphan starts a child that inherits its stdin, stdout and stderr
// and outlives it, then completes and exits: the pipes stay open behind it.
// With the argument "hang" it never completes, and ignores the cancel, so
// that the host kills it and its child together.
package main

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"time"
)

func main() {
	fmt.Println(`{"type":"handshake","protocol":1,"entry_points":["Tasks.Orphan"]}`)
	line, err := bufio.NewReader(os.Stdin).ReadString('\n')
	if err != nil {
		os.Exit(1)
	}
	id := regexp.MustCompile(`"instance_id":"([^"]*)"`).FindStringSubmatch(line)
	if id == nil {
		os.Exit(1)
	}
	child := exec.Command("sleep", "300")
	child.Stdin, child.Stdout, child.Stderr = os.Stdin, os.Stdout, os.Stderr
	if err := child.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "starting sleep:", err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "child pid %d\n", child.Process.Pid)
	if len(os.Args) > 1 && os.Args[1] == "hang" {
		time.Sleep(time.Hour)
	}
	fmt.Printf(`{"type":"completion","instance_id":%q,"success":true}`+"\n", id[1])
	os.Exit(0)
}
