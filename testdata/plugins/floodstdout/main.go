// Command floodstdout writes a valid handshake, then an endless line on stdout.
package main

import (
	"bytes"
	"fmt"
	"os"
)

func main() {
	fmt.Println(`{"type":"handshake","protocol":1,"entry_points":["Tasks.Flood"]}`)
	chunk := bytes.Repeat([]byte("z"), 64<<10)
	for {
		if _, err := os.Stdout.Write(chunk); err != nil {
			os.Exit(1)
		}
	}
}
