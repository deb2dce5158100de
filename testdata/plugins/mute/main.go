// Command mute never writes its handshake: it hangs from the start.
package main

import "time"

func main() {
	time.Sleep(time.Hour)
}
