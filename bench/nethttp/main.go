// Command nethttp is a start-up experiment of bench/run.sh: a hello world
// that links only what `bgtask serve` needs from Go's standard library for
// its local WNS (net/http, crypto/tls, crypto/x509, net/http/httptest) and
// nothing of bgtask's. Against the hello-world baseline it measures the
// start-up cost of that part alone, the floor under `bgtask --version` for
// as long as one binary holds serve.
package main

import (
	_ "crypto/tls"
	_ "crypto/x509"
	_ "net/http"
	_ "net/http/httptest"
	"os"
)

func main() { _, _ = os.Stdout.WriteString("bgtask version dev\n") }
