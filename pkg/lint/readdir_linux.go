//go:build linux && !amd64 && !arm64

package lint

import (
	"io/fs"
	"os"
	"syscall"
)

// readDirUnsorted is os.ReadDir without the sort: walkManifests sorts what
// it finds. The folder is opened by the system call and then wrapped, not
// by os.Open, which on Linux tries to register every descriptor with the
// network poller and, refused for a folder, sets it back to blocking: four
// system calls more per folder, as many as reading it takes.
func readDirUnsorted(dir string) ([]fs.DirEntry, error) {
	var fd int
	err := retryEINTR(func() (err error) {
		// O_DIRECTORY: a folder swapped for a FIFO since it was listed
		// fails here instead of blocking the open.
		fd, err = syscall.Open(dir, syscall.O_RDONLY|syscall.O_DIRECTORY|syscall.O_CLOEXEC, 0)
		return err
	})
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: dir, Err: err}
	}
	f := os.NewFile(uintptr(fd), dir)
	defer f.Close()
	return f.ReadDir(-1)
}
