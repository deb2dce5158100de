// Command nohandshake exits before saying anything, as a plugin missing its
// configuration would.
package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "config.json not found")
	os.Exit(0)
}
