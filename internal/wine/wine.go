// Package wine is the one place tests adapt to Wine, on which CI runs
// bgtask's Windows build (.ci/wine/run, which sets BGTASK_UNDER_WINE=1). Each
// limitation of Wine 8.0 (Debian 12) a test meets is named here; the test
// calls Skip with it, so the skip says why, and on real Windows the test runs
// in full.
//
// Two more limitations are handled by .ci/wine/run itself, not here: the
// missing bcryptprimitives.dll (a stand-in is built) and t.TempDir cleanup
// (Go's RemoveAll is given Wine's "not implemented" as a reason to fall back).
package wine

import (
	"os"
	"testing"
)

// Limitation is something Wine does not do as Windows does.
type Limitation string

const (
	// Symlinks: CreateSymbolicLinkW reports success and creates nothing, so
	// os.Symlink "succeeds" and the link is missing.
	Symlinks Limitation = "Wine 8.0 creates no symbolic link although CreateSymbolicLinkW reports success"
	// CPUTimes: a job object's accounting stays near zero while its process
	// spins (a 30 s busy loop read back as 0.3 s), so a CPU quota is never
	// reached.
	CPUTimes Limitation = "Wine 8.0 reads back a running child's CPU time (job object accounting) far too low"
)

// Named are the limitations by the names command scenarios use in their
// [wine:NAME] condition (cmd/script_test.go).
var Named = map[string]Limitation{
	"symlinks": Symlinks,
	"cputimes": CPUTimes,
}

// Active says whether the tests run under Wine.
func Active() bool { return os.Getenv("BGTASK_UNDER_WINE") == "1" }

// Skip skips t under Wine, naming the limitation.
func Skip(t testing.TB, l Limitation) {
	t.Helper()
	if Active() {
		t.Skip("under Wine: " + string(l))
	}
}
