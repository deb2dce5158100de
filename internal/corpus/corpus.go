// Package corpus finds the shared real-world manifest corpus for tests. The
// corpus lives beside the repository (../shared/corpus) and is never copied
// into it; tests skip with a clear message when it is absent.
//
// BGTASK_CORPUS, when set, names the corpus folder (the one holding
// manifests/) instead: tools that run the tests in a copy of the module
// elsewhere (mutation testing, see docs/testing.md) have no ../shared beside
// that copy.
package corpus

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// EnvVar names the corpus folder when set (see the package comment).
const EnvVar = "BGTASK_CORPUS"

// ManifestsDir returns the corpus's manifests folder, or skips t.
func ManifestsDir(t testing.TB) string {
	t.Helper()
	dir, err := Locate()
	if err != nil {
		t.Skipf("shared corpus not found: %v", err)
	}
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("shared corpus absent (%s): tests over real-world manifests skipped", dir)
	}
	return dir
}

// File is one corpus manifest.
type File struct {
	Name string // base name, e.g. 042-microsoft-...appxmanifest
	Path string
	// Malformed files are broken on purpose upstream (MALFORMED in the name).
	Malformed bool
	// Owner is the GitHub owner the file came from (from SOURCES.tsv).
	Owner string
}

// Manifests lists every corpus manifest in name order, or skips t.
func Manifests(t testing.TB) []File {
	t.Helper()
	dir := ManifestsDir(t)
	owners := readOwners(filepath.Join(dir, "SOURCES.tsv"))
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatalf("reading corpus: %v", err)
	}
	var files []File
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".appxmanifest") {
			continue
		}
		files = append(files, File{
			Name:      e.Name(),
			Path:      filepath.Join(dir, e.Name()),
			Malformed: strings.Contains(e.Name(), "MALFORMED"),
			Owner:     owners[e.Name()],
		})
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Name < files[j].Name })
	if len(files) == 0 {
		t.Skipf("shared corpus %s holds no manifests", dir)
	}
	return files
}

func readOwners(path string) map[string]string {
	owners := map[string]string{}
	data, err := os.ReadFile(path)
	if err != nil {
		return owners
	}
	for _, line := range strings.Split(string(data), "\n")[1:] {
		cols := strings.Split(line, "\t")
		if len(cols) < 2 {
			continue
		}
		owner, _, _ := strings.Cut(cols[1], "/")
		owners[cols[0]] = owner
	}
	return owners
}

// Locate returns the corpus's manifests folder, whether or not it exists:
// BGTASK_CORPUS/manifests when the variable is set, else
// ../shared/corpus/manifests from the module root.
func Locate() (string, error) {
	if dir := os.Getenv(EnvVar); dir != "" {
		return filepath.Abs(filepath.Join(dir, "manifests"))
	}
	root, err := repoRoot()
	if err != nil {
		return "", err
	}
	return filepath.Join(root, "..", "shared", "corpus", "manifests"), nil
}

func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", os.ErrNotExist
		}
		dir = parent
	}
}
