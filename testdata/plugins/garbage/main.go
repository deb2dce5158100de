// Command garbage writes a valid handshake, then a line that is not JSON, as
// task code printing to stdout without the SDK would.
package main

import (
	"fmt"
	"time"
)

func main() {
	fmt.Println(`{"type":"handshake","protocol":1,"entry_points":["Tasks.Garbage"]}`)
	fmt.Println("Processing notification...")
	time.Sleep(time.Hour)
}
