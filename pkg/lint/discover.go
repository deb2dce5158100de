package lint

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/bgtask/bgtask/internal/fsutil"
	"github.com/bgtask/bgtask/pkg/manifest"
)

// FindManifests expands paths into manifest files, in a stable order. A
// path that does not exist, or a folder without any manifest, is an error:
// in CI it means the step is looking in the wrong place. Only regular files
// are linted: a FIFO or device named like a manifest would block the read
// or never end, so a folder's are skipped (each one listed in skipped, with
// why) and a path named on the command line is refused.
func FindManifests(paths []string) (files, skipped []string, err error) {
	found, err := Search(paths, "")
	return found.Files, found.Skipped, err
}

// Found is what Search found.
type Found struct {
	// Files and Skipped are FindManifests' files and skipped.
	Files, Skipped []string
	// maybeBeside are the files that may have the entry Search was asked
	// about beside them: those named on the command line, and those whose
	// folder, read by the search, holds it.
	maybeBeside map[string]bool
}

// MayHaveBeside reports whether file, one of Files, may have the entry
// Search was asked about beside it in its folder: false only when the
// search read that folder and it holds no such entry.
func (f *Found) MayHaveBeside(file string) bool { return f.maybeBeside[file] }

// Search is FindManifests, noting on the way which folders hold an entry
// named beside (in any case; "" for none): lint looks for a registry
// (.bgtask/registry.json) beside every Package.appxmanifest of a tree, and
// trying to open 10,000 registries that are not there took 5% of linting
// 10,000 manifests, although the search had just read every folder. The
// result is never nil; on an error it holds no files, and what was skipped
// only when the error is a folder without manifests.
func Search(paths []string, beside string) (*Found, error) {
	found := &Found{maybeBeside: map[string]bool{}}
	fail := func(keepSkipped bool, err error) (*Found, error) {
		found.Files = nil
		if !keepSkipped {
			found.Skipped = nil
		}
		return found, err
	}
	seen := map[string]bool{}
	var wd workingDir
	add := func(p string, maybe bool) {
		if abs, err := wd.abs(p); err == nil && !seen[abs] {
			seen[abs] = true
			found.Files = append(found.Files, p)
			if maybe {
				found.maybeBeside[p] = true
			}
		}
	}
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return fail(false, fmt.Errorf("%s: no such file or folder", p))
			}
			return fail(false, fmt.Errorf("%s: %v", p, unwrapPathError(err)))
		}
		if !info.IsDir() {
			if !info.Mode().IsRegular() {
				return fail(false, fmt.Errorf("%s: %s; lint reads only regular files", p, fsutil.DescribeNotRegular(info.Mode())))
			}
			add(p, true)
			continue
		}
		files, notes, withBeside, err := walkManifests(p, beside)
		found.Skipped = append(found.Skipped, notes...)
		if err != nil {
			return fail(false, fmt.Errorf("searching %s: %v", p, unwrapPathError(err)))
		}
		if len(files) == 0 {
			return fail(true, fmt.Errorf("%s: no *.appxmanifest or AppxManifest.xml found in this folder", p))
		}
		for _, f := range files {
			add(f, withBeside[filepath.Dir(f)])
		}
	}
	return found, nil
}

// walkManifests lists the manifests in the folder tree at root, sorted, and
// the files named like one that are not regular files (each with why), in
// the order filepath.WalkDir meets them; the error is the one WalkDir would
// stop at. Folders are read on all cores: a repository of many apps is many
// folders, and reading 10,000 of them one after the other took as long as
// linting what they held on the other core.
//
// withBeside are the folders (as filepath.Dir names the files' folders)
// that hold an entry named beside, in any case.
func walkManifests(root, beside string) (found, skipped []string, withBeside map[string]bool, err error) {
	info, err := os.Lstat(root)
	if err != nil {
		return nil, nil, nil, err
	}
	w := &walker{beside: beside, withBeside: map[string]bool{}}
	if !info.IsDir() {
		// A link to a folder: WalkDir meets it as an entry, not a folder.
		w.visit(root, fs.FileInfoToDirEntry(info))
	} else {
		w.cond = sync.NewCond(&w.mu)
		w.queue, w.pending = []string{root}, 1
		var wg sync.WaitGroup
		for range runtime.GOMAXPROCS(0) {
			wg.Go(w.work)
		}
		wg.Wait()
	}
	if len(w.errs) > 0 {
		first := slices.MinFunc(w.errs, func(a, b walkNote) int { return walkOrder(a.path, b.path) })
		return nil, nil, nil, first.err
	}
	slices.SortFunc(w.skipped, func(a, b walkNote) int { return walkOrder(a.path, b.path) })
	for _, n := range w.skipped {
		skipped = append(skipped, fmt.Sprintf("%s: %s", n.path, n.why))
	}
	sort.Strings(w.found)
	return w.found, skipped, w.withBeside, nil
}

// walker is walkManifests' shared state: folders still to read, and what
// was found in those already read.
type walker struct {
	mu      sync.Mutex
	cond    *sync.Cond // signalled when queue grows or pending reaches 0
	queue   []string   // folders to read
	pending int        // folders queued or being read
	found   []string
	skipped []walkNote // a file named like a manifest that is not one
	errs    []walkNote // a folder that could not be read
	// beside is the name asked about; withBeside the folders holding it.
	beside     string
	withBeside map[string]bool
}

// walkNote is something met at path: why it is skipped, or the error.
type walkNote struct {
	path, why string
	err       error
}

// work reads folders from the queue until every folder has been read.
func (w *walker) work() {
	for {
		w.mu.Lock()
		for len(w.queue) == 0 && w.pending > 0 {
			w.cond.Wait()
		}
		if w.pending == 0 {
			w.mu.Unlock()
			return
		}
		dir := w.queue[len(w.queue)-1]
		w.queue = w.queue[:len(w.queue)-1]
		w.mu.Unlock()

		entries, err := readDirUnsorted(dir)
		var subdirs []string
		hasBeside := false
		if err == nil {
			for _, e := range entries {
				if w.beside != "" && strings.EqualFold(e.Name(), w.beside) {
					hasBeside = true
				}
				path := filepath.Join(dir, e.Name())
				if e.IsDir() {
					if !skipLintDir(e.Name()) {
						subdirs = append(subdirs, path)
					}
					continue
				}
				w.visit(path, e)
			}
		}
		w.mu.Lock()
		if err != nil {
			w.errs = append(w.errs, walkNote{path: dir, err: err})
		}
		if hasBeside {
			w.withBeside[filepath.Clean(dir)] = true
		}
		w.queue = append(w.queue, subdirs...)
		w.pending += len(subdirs) - 1
		w.cond.Broadcast()
		w.mu.Unlock()
	}
}

// visit records the file entry d at path if it is named like a manifest:
// found if it is a regular file or a link to one, skipped otherwise.
func (w *walker) visit(path string, d fs.DirEntry) {
	if !isManifestName(d.Name()) {
		return
	}
	note := ""
	if !d.Type().IsRegular() {
		// A link is followed, to a regular file only.
		info, err := os.Stat(path)
		switch {
		case err != nil:
			note = unwrapPathError(err).Error()
		case !info.Mode().IsRegular():
			note = fsutil.DescribeNotRegular(info.Mode())
		}
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if note != "" {
		w.skipped = append(w.skipped, walkNote{path: path, why: note})
		return
	}
	w.found = append(w.found, path)
}

// walkOrder compares two paths below one root in the order filepath.WalkDir
// visits them: a folder before what it holds, each folder's entries by name.
func walkOrder(a, b string) int {
	sep := string(filepath.Separator)
	return slices.Compare(strings.Split(a, sep), strings.Split(b, sep))
}

// workingDir is filepath.Abs with the working folder read once: Abs reads it
// (two stats) for every relative path.
type workingDir struct{ dir string }

func (w *workingDir) abs(p string) (string, error) {
	if filepath.IsAbs(p) || runtime.GOOS == "windows" {
		return filepath.Abs(p) // Windows: Abs resolves C:rel and \rooted paths itself
	}
	if w.dir == "" {
		dir, err := os.Getwd()
		if err != nil {
			return "", err
		}
		w.dir = dir
	}
	return filepath.Join(w.dir, p), nil
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
	var wd workingDir
	return displayPath(cwd, file, &wd)
}

// DisplayPaths is DisplayPath of each file, on all cores, reading the working
// folder once.
func DisplayPaths(cwd string, files []string) []string {
	var wd workingDir
	for _, f := range files {
		if !filepath.IsAbs(f) {
			wd.abs(f) // read it now, not in several goroutines at once
			break
		}
	}
	out := make([]string, len(files))
	forEach(len(files), func(i int) {
		wd := wd
		out[i] = displayPath(cwd, files[i], &wd)
	})
	return out
}

func displayPath(cwd, file string, wd *workingDir) string {
	abs, err := wd.abs(file)
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

// readSized reads a file of size bytes (as its stat said) through read
// until the end, into buf (reused when it is large enough). Sized from the
// file, as os.ReadFile does: io.ReadAll alone grows its buffer from 512
// bytes, copying a 4 KiB manifest four times. The size is a hint; a file
// that grows meanwhile is still read, but never past one byte over
// manifest.MaxFileSize, which is enough for Parse to refuse it: a 1 GB file
// found in a linted tree took 2 GB of memory and 10 s before.
func readSized(size int64, buf []byte, read func([]byte) (int, error)) ([]byte, error) {
	n := 512
	if size > 0 && size < manifest.MaxFileSize {
		n = int(size) + 512
	}
	data := buf[:0]
	if cap(data) < n {
		data = make([]byte, 0, n)
	}
	for {
		n, err := read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		if err == io.EOF || len(data) > manifest.MaxFileSize {
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
