package lint

import (
	"bytes"
	"path/filepath"

	"github.com/google/uuid"

	"github.com/bgtask/bgtask/pkg/manifest"
	"github.com/bgtask/bgtask/pkg/tasks"
)

// Project is what the registry and plugin cross-checks (BT015-BT021) compare
// a manifest with. The caller (cmd/lint.go) loads it; the rules only read it.
type Project struct {
	// ManifestPath is the display path of the app manifest the registry
	// belongs to; the cross-checks run when that file is linted.
	ManifestPath string
	// RegistryPath names the registry file in findings; RegistryData are its
	// bytes, used to point findings at the registration's line.
	RegistryPath string
	RegistryData []byte
	Registry     *tasks.Registry
	// Describe asks the plugin executable at path for the entry points it
	// serves (simulate.Describe, through the plugin protocol). nil skips the
	// entry point check of plugins (BT021); BT020 still checks they exist.
	Describe func(path string) ([]string, error)
}

// crossChecking reports whether this pass lints the manifest the project's
// registry belongs to.
func (p *Pass) crossChecking() bool {
	pr := p.Project
	return pr != nil && pr.Registry != nil && p.Doc != nil && sameDisplayPath(p.File.Path, pr.ManifestPath)
}

func sameDisplayPath(a, b string) bool {
	return filepath.ToSlash(filepath.Clean(a)) == filepath.ToSlash(filepath.Clean(b))
}

// registryProblems is tasks.Check of the project's registry against this
// manifest: the same checks `bgtask register` applies, as Windows' Register
// would. The five registry rules each report one kind of problem, so the
// check runs once per file, not once per rule.
func (p *Pass) registryProblems() []tasks.Problem {
	f := p.File
	if !f.registryDone {
		f.registry, f.registryDone = tasks.Check(p.Project.Registry, f.Path, f.Declarations()), true
	}
	return f.registry
}

// reportRegistryf records a finding in the registry file, at the nth
// (0-based) registration with TaskId id as written in the file.
func (p *Pass) reportRegistryf(id uuid.UUID, nth int, format string, args ...any) {
	pos := registrationPos(p.Project.RegistryData, id, nth)
	p.reportAtf(p.Project.RegistryPath, p.Project.RegistryData, pos, format, args...)
}

// registrationPos finds where the nth copy of TaskId id is written in a
// registry file (its "taskId" value). The registry lists registrations
// sorted by name, and the file may be hand-edited, so the id's text is the
// reliable anchor. It returns 1:1 when the id cannot be found.
func registrationPos(data []byte, id uuid.UUID, nth int) manifest.Pos {
	lower := bytes.ToLower(data)
	needle := []byte(id.String())
	from := 0
	for i := 0; ; i++ {
		j := bytes.Index(lower[from:], needle)
		if j < 0 {
			return manifest.Pos{Line: 1, Col: 1}
		}
		at := from + j
		if i == nth {
			line := 1 + bytes.Count(data[:at], []byte("\n"))
			col := at - bytes.LastIndexByte(data[:at], '\n')
			// Point at the opening quote of the value.
			if col > 1 && data[at-1] == '"' {
				col--
			}
			return manifest.Pos{Line: line, Col: col, Offset: at}
		}
		from = at + len(needle)
	}
}
