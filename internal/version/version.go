// Package version says which bgtask this is, for --version and the
// toolVersion of JSON and SARIF reports: the version stamped at build time
// if there is one, else what the Go toolchain recorded in the binary.
package version

import (
	"runtime/debug"
	"strings"
)

// Unstamped is the value of a version string no build stamped.
const Unstamped = "dev"

// Of returns the version of a binary whose stamped version is stamped and
// whose build information is info (nil when unavailable):
//
//   - a stamped version (-ldflags -X ...cmd.Version=v1.2.3) wins;
//   - `go install github.com/bgtask/bgtask@v1.2.3` records the module
//     version, v1.2.3 (or a pseudo-version for a commit);
//   - a build in a checkout records the VCS revision: dev+abcdef123456,
//     with +dirty when the work tree had changes;
//   - otherwise "dev".
func Of(stamped string, info *debug.BuildInfo) string {
	if stamped != "" && stamped != Unstamped {
		return stamped
	}
	if info == nil {
		return Unstamped
	}
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var revision string
	var modified bool
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			revision = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if revision == "" {
		return Unstamped
	}
	if len(revision) > 12 {
		revision = revision[:12]
	}
	v := Unstamped + "+" + strings.ToLower(revision)
	if modified {
		v += ".dirty"
	}
	return v
}

// Get is Of for the running binary.
func Get(stamped string) string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		info = nil
	}
	return Of(stamped, info)
}
