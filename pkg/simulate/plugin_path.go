package simulate

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// windowsExts are the extensions of the files CreateProcess starts: programs
// (.exe, .com) and batch files (.bat, .cmd, run by cmd.exe). PATHEXT may list
// more (.vbs, .ps1, ...), but those need their interpreter named, so they are
// not tried here.
var windowsExts = []string{".exe", ".com", ".bat", ".cmd"}

// PluginFileError says why a plugin path names no program bgtask can start.
// It wraps fs.ErrNotExist when no such file exists, so callers can tell "not
// built yet" from "there, but unusable".
type PluginFileError struct {
	Path   string // as given
	Reason string // what is wrong and what to do
	Err    error
}

func (e *PluginFileError) Error() string { return e.Path + ": " + e.Reason }
func (e *PluginFileError) Unwrap() error { return e.Err }

// FindPlugin returns the program file to start for a plugin, the one rule
// every command follows (plugin run and check, register, lint, push and
// trigger):
//
//   - A path, anything with a folder separator (./task, bin/task, C:\t.exe),
//     is that file, relative to the working folder, and never one found in
//     PATH. Registered plugins are always paths: tasks.ResolvePlugin never
//     returns a bare name. On Windows a path that does not end in .exe, .com,
//     .bat or .cmd also matches the file with one of them added, as cmd.exe
//     does (bin/task finds bin/task.exe).
//   - A bare name (python3, node) is a program looked up in PATH, as a shell
//     does. Only a plugin named on the command line can be one.
//
// An error is a *PluginFileError naming the cause.
func FindPlugin(name string) (string, error) {
	if name == "" {
		return "", &PluginFileError{Path: name, Reason: "no plugin path given", Err: fs.ErrNotExist}
	}
	if !isPath(name) {
		found, err := exec.LookPath(name)
		if err != nil {
			return "", &PluginFileError{Path: name, Err: fs.ErrNotExist,
				Reason: fmt.Sprintf("no program of that name in PATH (a bare name is looked up in PATH, as a shell does; write .%c%s for the file in the working folder)", filepath.Separator, name)}
		}
		return found, nil
	}
	return findPluginFile(name, runtime.GOOS == "windows")
}

// isPath says whether name names a file rather than a program to look up.
func isPath(name string) bool {
	return strings.ContainsRune(name, '/') || strings.ContainsRune(name, filepath.Separator) ||
		filepath.VolumeName(name) != ""
}

// findPluginFile applies the rules for a path, Windows' when windows is set
// (a parameter, so that both sets of rules are tested on every OS).
func findPluginFile(path string, windows bool) (string, error) {
	if !windows {
		return path, checkPluginFile(path, false)
	}
	if hasWindowsExt(path) {
		return path, checkPluginFile(path, true)
	}
	for _, ext := range windowsExts {
		if fi, err := os.Stat(path + ext); err == nil && !fi.IsDir() {
			return path + ext, nil
		}
	}
	// No program: say what the path itself is.
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "", &PluginFileError{Path: path, Err: fs.ErrNotExist,
			Reason: fmt.Sprintf("no such file, nor %s with %s added", filepath.Base(path), strings.Join(windowsExts, ", "))}
	case err != nil:
		return "", &PluginFileError{Path: path, Reason: "cannot be read: " + unwrapPath(err), Err: err}
	case fi.IsDir():
		return "", folderError(path)
	}
	return "", &PluginFileError{Path: path, Err: fs.ErrPermission,
		Reason: fmt.Sprintf("is not a Windows program: Windows starts only files ending in %s (build Go plugins with go build -o %s.exe; for a script, name its interpreter as the plugin)",
			strings.Join(windowsExts, ", "), strings.TrimSuffix(filepath.Base(path), filepath.Ext(path)))}
}

// checkPluginFile says what is wrong with an existing path, if anything.
func checkPluginFile(path string, windows bool) error {
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return &PluginFileError{Path: path, Reason: "no such file", Err: fs.ErrNotExist}
	case err != nil:
		return &PluginFileError{Path: path, Reason: "cannot be read: " + unwrapPath(err), Err: err}
	case fi.IsDir():
		return folderError(path)
	case !windows && fi.Mode().Perm()&0o111 == 0:
		return &PluginFileError{Path: path, Err: fs.ErrPermission,
			Reason: "is not executable: chmod +x it, or name its interpreter as the plugin and the script as its argument"}
	}
	return nil
}

func folderError(path string) error {
	return &PluginFileError{Path: path, Err: fs.ErrPermission,
		Reason: "it is a folder: give the plugin's executable file in it, such as what go build writes for a Go plugin"}
}

func hasWindowsExt(path string) bool {
	ext := filepath.Ext(path)
	for _, e := range windowsExts {
		if strings.EqualFold(ext, e) {
			return true
		}
	}
	return false
}

// unwrapPath drops the *fs.PathError's repetition of the path.
func unwrapPath(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
