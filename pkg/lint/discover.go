package lint

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// FindManifests expands paths into manifest files, in a stable order. A
// path that does not exist, or a folder without any manifest, is an error:
// in CI it means the step is looking in the wrong place.
func FindManifests(paths []string) ([]string, error) {
	var files []string
	seen := map[string]bool{}
	add := func(p string) {
		if abs, err := filepath.Abs(p); err == nil && !seen[abs] {
			seen[abs] = true
			files = append(files, p)
		}
	}
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil, fmt.Errorf("%s: no such file or folder", p)
			}
			return nil, fmt.Errorf("%s: %v", p, unwrapPathError(err))
		}
		if !info.IsDir() {
			add(p)
			continue
		}
		var found []string
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if path != p && skipLintDir(d.Name()) {
					return filepath.SkipDir
				}
				return nil
			}
			if isManifestName(d.Name()) {
				found = append(found, path)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("searching %s: %v", p, unwrapPathError(err))
		}
		if len(found) == 0 {
			return nil, fmt.Errorf("%s: no *.appxmanifest or AppxManifest.xml found in this folder", p)
		}
		sort.Strings(found)
		for _, f := range found {
			add(f)
		}
	}
	return files, nil
}

// skipLintDir names folders that hold build output, tooling or dependencies,
// whose manifests are copies of the project's own.
func skipLintDir(name string) bool {
	switch strings.ToLower(name) {
	case ".git", ".vs", "bin", "obj", "node_modules":
		return true
	}
	return false
}

func isManifestName(name string) bool {
	lower := strings.ToLower(name)
	return strings.HasSuffix(lower, ".appxmanifest") || lower == "appxmanifest.xml"
}

// DisplayPath names a file relative to the working folder, with forward
// slashes, which is what editors, CI annotations and SARIF consumers resolve
// against the repository root. Files outside the working folder keep an
// absolute path.
func DisplayPath(cwd, file string) string {
	abs, err := filepath.Abs(file)
	if err != nil {
		return filepath.ToSlash(file)
	}
	rel, err := filepath.Rel(cwd, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return filepath.ToSlash(abs)
	}
	return filepath.ToSlash(rel)
}

// unwrapPathError drops the *fs.PathError wrapper, whose path the caller
// already names.
func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
