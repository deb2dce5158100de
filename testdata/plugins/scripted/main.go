// Command scripted plays a script given as arguments, one step each, so tests
// can make a plugin say exactly the wrong thing:
//
//	READ    read one line from stdin and remember its instance_id as $ID
//	ECHO    read one line from stdin and log it (on stderr) as "host: LINE"
//	SLEEP   sleep for an hour
//	SLEEP=d sleep for d (a Go duration)
//	SPIN=d  keep a CPU busy for d of wall-clock time
//	ZEROS=d read /dev/zero for d of wall-clock time: CPU time spent nearly
//	        all in the kernel (system time), on Linux
//	CHILDSPIN=d start a child process that keeps a CPU busy for d, and
//	        wait for it, as a shell script's commands run
//	CLOSE   close stdout
//	EXIT=n  exit with status n
//	LOG=text write text on stderr, as a log line
//	REPEAT=n the next step, n times, with $N replaced by 1 to n
//	other   written to stdout as a line, with $ID replaced
package main

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"time"
)

func main() {
	in := bufio.NewReader(os.Stdin)
	id := ""
	repeat := 0
	for _, step := range os.Args[1:] {
		if repeat > 0 {
			w := bufio.NewWriter(os.Stdout)
			for n := 1; n <= repeat; n++ {
				fmt.Fprintln(w, strings.NewReplacer("$ID", id, "$N", strconv.Itoa(n)).Replace(step))
			}
			w.Flush()
			repeat = 0
			continue
		}
		switch {
		case strings.HasPrefix(step, "REPEAT="):
			repeat, _ = strconv.Atoi(strings.TrimPrefix(step, "REPEAT="))
		case step == "READ":
			line, err := in.ReadString('\n')
			if err != nil {
				os.Exit(1)
			}
			if m := regexp.MustCompile(`"instance_id":"([^"]*)"`).FindStringSubmatch(line); m != nil {
				id = m[1]
			}
		case step == "ECHO":
			line, err := in.ReadString('\n')
			if err != nil {
				os.Exit(1)
			}
			fmt.Fprintf(os.Stderr, "host: %s", line)
		case step == "CLOSE":
			os.Stdout.Close()
		case step == "SLEEP":
			time.Sleep(time.Hour)
		case strings.HasPrefix(step, "SLEEP="):
			d, _ := time.ParseDuration(strings.TrimPrefix(step, "SLEEP="))
			time.Sleep(d)
		case strings.HasPrefix(step, "SPIN="):
			d, _ := time.ParseDuration(strings.TrimPrefix(step, "SPIN="))
			for end := time.Now().Add(d); time.Now().Before(end); {
			}
		case strings.HasPrefix(step, "CHILDSPIN="):
			if exe, err := os.Executable(); err == nil {
				child := exec.Command(exe, "SPIN="+strings.TrimPrefix(step, "CHILDSPIN="), "EXIT=0")
				child.Stdin, child.Stdout, child.Stderr = nil, nil, os.Stderr
				_ = child.Run()
			}
		case strings.HasPrefix(step, "ZEROS="):
			d, _ := time.ParseDuration(strings.TrimPrefix(step, "ZEROS="))
			if f, err := os.Open("/dev/zero"); err == nil {
				buf := make([]byte, 1<<20)
				for end := time.Now().Add(d); time.Now().Before(end); {
					_, _ = f.Read(buf)
				}
				f.Close()
			}
		case strings.HasPrefix(step, "LOG="):
			fmt.Fprintln(os.Stderr, strings.TrimPrefix(step, "LOG="))
		case strings.HasPrefix(step, "EXIT="):
			code, _ := strconv.Atoi(strings.TrimPrefix(step, "EXIT="))
			os.Exit(code)
		default:
			fmt.Println(strings.ReplaceAll(step, "$ID", id))
		}
	}
}
