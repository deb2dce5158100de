// Command hang writes a valid handshake and then never reads its stdin nor
// writes again: the host's run and cancel go unanswered.
package main

import (
	"fmt"
	"time"
)

func main() {
	fmt.Println(`{"type":"handshake","protocol":1,"entry_points":["Tasks.Hang"]}`)
	time.Sleep(time.Hour)
}
