package lint

import (
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/beevik/etree"

	"github.com/bgtask/bgtask/pkg/manifest"
)

// ruleMissingAsset warns about a background task StartPage or a lock-screen
// BadgeLogo that does not exist in the project next to the manifest.
type ruleMissingAsset struct{ RuleBase }

func newRuleMissingAsset() Rule {
	return ruleMissingAsset{RuleBase{RuleInfo{
		ID:       "BT013",
		Name:     "missing-asset",
		Severity: SeverityWarning,
		Short:    "a background-task StartPage or LockScreen BadgeLogo file that is not in the project",
		What: `When the manifest sits in a project folder, the files it references for
background tasks must exist there: the StartPage of a windows.backgroundTasks
Extension (a JavaScript task) and the BadgeLogo of LockScreen. Names are matched
the way Windows does: case-insensitively, "\" or "/" as separator, and an image
may exist only in resource-qualified variants (BadgeLogo.scale-100.png,
scale-140\BadgeLogo.png).

A project folder is one that holds a project or solution file (.csproj, .vbproj,
.vcxproj, .jsproj, .wapproj, .fsproj, .sln), or in which the first folder of the
reference (Assets in Assets\BadgeLogo.png) exists. Anywhere else (a manifest
copied out of its project, a build output) the rule stays quiet. It is a
warning because files can also be added by the build.`,
		Why: `A missing JavaScript task file means the task never runs; a missing badge logo
fails packaging or leaves the lock-screen slot blank.`,
		Fix:    `Add the file to the project (and to the package), or correct the path in the manifest.`,
		Source: `docs/windows.md "Extension attributes" (StartPage) and "The lock screen on Windows 8 and 8.1" (BadgeLogo: a monochrome .png/.jpg/.jpeg, 24x24 at 100%).`,
	}}}
}

func (r ruleMissingAsset) Check(p *Pass) {
	if p.Dir == "" {
		return
	}
	type ref struct {
		el         *etree.Element
		attr, what string
	}
	var refs []ref
	for _, d := range p.Declarations() {
		if d.StartPage != "" {
			refs = append(refs, ref{d.Element, "StartPage", "background task StartPage"})
		}
	}
	for _, app := range p.Doc.Applications() {
		if lock := firstChildByLocal(visualElements(app), "LockScreen"); lock != nil {
			refs = append(refs, ref{lock, "BadgeLogo", "LockScreen BadgeLogo"})
		}
	}
	if len(refs) == 0 {
		return // most manifests: no folder to read
	}
	dirs := p.dirs
	top, err := dirs.readDir(p.Dir)
	if err != nil {
		return
	}
	for _, rf := range refs {
		if value, ok := attrValue(rf.el, rf.attr); ok && value != "" {
			r.check(p, dirs, top, rf.el, rf.attr, value, rf.what)
		}
	}
}

func (r ruleMissingAsset) check(p *Pass, dirs *dirCache, top []fs.DirEntry, el *etree.Element, attr, ref, what string) {
	if manifest.HasPlaceholder(ref) || strings.Contains(ref, ":") {
		return // a template token, a URI (ms-appx:///) or an absolute path
	}
	parts := splitRef(ref)
	if len(parts) == 0 || !inProjectFolder(top, parts) {
		return
	}
	if assetExists(dirs, p.Dir, parts) {
		return
	}
	p.Reportf(p.AttrPos(el, attr), "%s %s does not exist in the project folder; add the file or correct the path", what, quoteValue(ref))
}

// splitRef splits a manifest file reference ("Assets\Badge.png") into
// clean path elements; it returns nil for one that leaves the folder.
func splitRef(ref string) []string {
	var parts []string
	for _, s := range strings.FieldsFunc(ref, func(r rune) bool { return r == '\\' || r == '/' }) {
		switch s {
		case ".":
			continue
		case "..":
			return nil
		}
		parts = append(parts, s)
	}
	return parts
}

// inProjectFolder reports whether the manifest's folder is a project folder
// (see the rule's description).
func inProjectFolder(top []fs.DirEntry, ref []string) bool {
	for _, e := range top {
		switch strings.ToLower(path.Ext(e.Name())) {
		case ".csproj", ".vbproj", ".vcxproj", ".jsproj", ".wapproj", ".fsproj", ".sln":
			return true
		}
	}
	if len(ref) > 1 {
		for _, e := range top {
			if e.IsDir() && strings.EqualFold(e.Name(), ref[0]) {
				return true
			}
		}
	}
	return false
}

// assetExists resolves ref case-insensitively, accepting resource-qualified
// variants of the last element: name.qualifiers.ext in its folder or in a
// qualifier subfolder (scale-100\name.ext) up to two levels down.
func assetExists(dirs *dirCache, root string, ref []string) bool {
	dir := root
	for _, part := range ref[:len(ref)-1] {
		name, ok := lookupFold(dirs, dir, part, true)
		if !ok {
			return false
		}
		dir = filepath.Join(dir, name)
	}
	return qualifiedFileIn(dirs, dir, ref[len(ref)-1], 2)
}

func qualifiedFileIn(dirs *dirCache, dir, file string, depth int) bool {
	entries, err := dirs.readDir(dir)
	if err != nil {
		return false
	}
	ext := path.Ext(file)
	stem := strings.TrimSuffix(file, ext)
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() {
			if depth > 0 && qualifiedFileIn(dirs, filepath.Join(dir, name), file, depth-1) {
				return true
			}
			continue
		}
		if strings.EqualFold(name, file) {
			return true
		}
		lower := strings.ToLower(name)
		if strings.HasPrefix(lower, strings.ToLower(stem)+".") && strings.HasSuffix(lower, strings.ToLower(ext)) {
			return true
		}
	}
	return false
}

// lookupFold finds name in dir ignoring case, as Windows file systems do.
func lookupFold(dirs *dirCache, dir, name string, wantDir bool) (string, bool) {
	entries, err := dirs.readDir(dir)
	if err != nil {
		return "", false
	}
	for _, e := range entries {
		if strings.EqualFold(e.Name(), name) && e.IsDir() == wantDir {
			return e.Name(), true
		}
	}
	return "", false
}

// dirCache remembers folder listings, so linting a folder of many manifests
// (or one manifest whose references share a folder) reads each folder once.
// A listing is reused only while the folder's modification time is
// unchanged, so a file added between two runs of one Linter is seen.
type dirCache struct {
	mu sync.Mutex
	m  map[string]dirListing
}

type dirListing struct {
	modTime time.Time
	entries []fs.DirEntry
}

func newDirCache() *dirCache { return &dirCache{m: map[string]dirListing{}} }

// readDir is os.ReadDir through the cache.
func (c *dirCache) readDir(dir string) ([]fs.DirEntry, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	l, ok := c.m[dir]
	c.mu.Unlock()
	if ok && l.modTime.Equal(st.ModTime()) {
		return l.entries, nil
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.m[dir] = dirListing{modTime: st.ModTime(), entries: entries}
	c.mu.Unlock()
	return entries, nil
}
