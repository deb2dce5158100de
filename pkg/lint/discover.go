package lint

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/bgtask/bgtask/pkg/manifest"
)

// FindManifests expands paths into manifest files, in a stable order. A
// path that does not exist, or a folder without any manifest, is an error:
// in CI it means the step is looking in the wrong place. Only regular files
// are linted: a FIFO or device named like a manifest would block the read
// or never end, so a folder's are skipped (each one listed in skipped, with
// why) and a path named on the command line is refused.
func FindManifests(paths []string) (files, skipped []string, err error) {
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
				return nil, nil, fmt.Errorf("%s: no such file or folder", p)
			}
			return nil, nil, fmt.Errorf("%s: %v", p, unwrapPathError(err))
		}
		if !info.IsDir() {
			if !info.Mode().IsRegular() {
				return nil, nil, fmt.Errorf("%s: %s; lint reads only regular files", p, notRegular(info.Mode()))
			}
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
			if !isManifestName(d.Name()) {
				return nil
			}
			if !d.Type().IsRegular() {
				// A link is followed, to a regular file only.
				info, err := os.Stat(path)
				switch {
				case err != nil:
					skipped = append(skipped, fmt.Sprintf("%s: %v", path, unwrapPathError(err)))
					return nil
				case !info.Mode().IsRegular():
					skipped = append(skipped, fmt.Sprintf("%s: %s", path, notRegular(info.Mode())))
					return nil
				}
			}
			found = append(found, path)
			return nil
		})
		if err != nil {
			return nil, nil, fmt.Errorf("searching %s: %v", p, unwrapPathError(err))
		}
		if len(found) == 0 {
			return nil, skipped, fmt.Errorf("%s: no *.appxmanifest or AppxManifest.xml found in this folder", p)
		}
		sort.Strings(found)
		for _, f := range found {
			add(f)
		}
	}
	return files, skipped, nil
}

// notRegular says what kind of file m is, for one that is not regular.
func notRegular(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a folder, not a file"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO), not a regular file"
	case m&fs.ModeSocket != 0:
		return "a socket, not a regular file"
	case m&fs.ModeDevice != 0:
		return "a device, not a regular file"
	}
	return "not a regular file"
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

// readRegular reads the regular file at path. It never blocks opening it:
// the file may have been swapped for a FIFO since it was listed.
func readRegular(path string) ([]byte, error) {
	f, err := openNonBlocking(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, errors.New(notRegular(info.Mode()))
	}
	// Sized from the file, as os.ReadFile does: io.ReadAll alone grows its
	// buffer from 512 bytes, copying a 4 KiB manifest four times. The size
	// is a hint; a file that grows meanwhile is still read whole.
	size := 512
	if s := info.Size(); s > 0 && s < manifest.MaxFileSize {
		size = int(s) + 512
	}
	data := make([]byte, 0, size)
	for {
		n, err := f.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		if err == io.EOF {
			return data, nil
		}
		if err != nil {
			return nil, err
		}
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)]
		}
	}
}
