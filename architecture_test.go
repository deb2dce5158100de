package main

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const modulePath = "github.com/bgtask/bgtask"

// allowedImports is docs/architecture.md's table of arrows: for each folder
// of the module (the longest prefix that matches wins), the folders of the
// module its non-test Go files may import. A prefix ending in "/" stands for
// everything below it. Imports from outside the module are not limited here,
// but for pkg/plugin (standardLibraryOnly).
var allowedImports = map[string][]string{
	".":            {"cmd"}, // main.go
	"cmd":          {"pkg/", "internal/", "examples/"},
	"pkg/wns":      {"pkg/simulate", "pkg/tasks", "pkg/plugin", "internal/"},
	"pkg/lint":     {"pkg/simulate", "pkg/tasks", "pkg/manifest", "internal/"},
	"pkg/simulate": {"pkg/tasks", "pkg/plugin", "internal/"},
	"pkg/tasks":    {"pkg/manifest", "internal/"},
	"pkg/manifest": {},
	"pkg/plugin":   {},
	"internal/":    {"internal/"},
	"examples/":    {"pkg/plugin", "examples/"},
	"testdata/":    {"pkg/plugin"},
	// The start-up experiments link all of bgtask on purpose.
	"bench/": {"cmd"},
}

// standardLibraryOnly: what a task author imports must not bring bgtask's
// dependencies into every plugin.
var standardLibraryOnly = []string{"pkg/plugin"}

// The arrows between bgtask's packages point one way, as
// docs/architecture.md draws them: no package imports cmd but main, pkg/
// packages import only those below them, internal/ helpers nothing of pkg/,
// and pkg/plugin only the standard library.
func TestPackageArrows(t *testing.T) {
	checked := 0
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != "." && (strings.HasPrefix(name, ".") || name == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		dir := filepath.ToSlash(filepath.Dir(path))
		allowed, rule := allowedFor(dir)
		if rule == "" {
			t.Errorf("%s: folder %s has no row in allowedImports (docs/architecture.md): add one", path, dir)
			return nil
		}
		// Every file, whatever its build constraints: an import in a
		// Windows-only file counts too.
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			t.Errorf("%s: %v", path, err)
			return nil
		}
		checked++
		for _, spec := range f.Imports {
			imp, _ := strconv.Unquote(spec.Path.Value)
			if slices.Contains(standardLibraryOnly, dir) && strings.Contains(strings.SplitN(imp, "/", 2)[0], ".") {
				t.Errorf("%s imports %s: %s uses the standard library only", path, imp, dir)
			}
			rel, ours := strings.CutPrefix(imp, modulePath+"/")
			if !ours {
				continue
			}
			if !slices.ContainsFunc(allowed, func(a string) bool { return matches(a, rel) }) {
				t.Errorf("%s imports %s, against docs/architecture.md: %s may import %v", path, rel, rule, allowed)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 100 {
		t.Fatalf("checked only %d files", checked)
	}
}

// allowedFor returns the row of allowedImports for dir and its key.
func allowedFor(dir string) (allowed []string, rule string) {
	for key, imports := range allowedImports {
		if matches(key, dir) && len(key) > len(rule) {
			allowed, rule = imports, key
		}
	}
	return allowed, rule
}

// matches reports whether the folder dir is prefix (a folder), or lies
// below it when prefix ends in "/".
func matches(prefix, dir string) bool {
	if strings.HasSuffix(prefix, "/") {
		return strings.HasPrefix(dir, prefix)
	}
	return dir == prefix
}
