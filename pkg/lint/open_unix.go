//go:build unix

package lint

import (
	"errors"
	"io"
	"io/fs"
	"syscall"

	"github.com/bgtask/bgtask/internal/fsutil"
)

// readRegular reads the regular file at path, into buf if it is large
// enough. It never blocks opening it:
// the file may have been swapped for a FIFO since it was listed, and opening
// a FIFO waits for a writer unless O_NONBLOCK is given (reads of a regular
// file are not affected by the flag).
//
// It calls the system directly (sysOpen and friends): an *os.File costs an
// attempt to register the descriptor with the network poller (a failing
// epoll_ctl for a regular file), a cleanup and several allocations, a fifth
// of the time lint spends on a manifest of its own.
func readRegular(path string, buf []byte) ([]byte, error) {
	var fd int
	err := retryEINTR(func() (err error) {
		fd, err = sysOpen(path, syscall.O_RDONLY|syscall.O_NONBLOCK|syscall.O_CLOEXEC)
		return err
	})
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	defer sysClose(fd)
	var st syscall.Stat_t
	if err := retryEINTR(func() error { return sysFstat(fd, &st) }); err != nil {
		return nil, &fs.PathError{Op: "stat", Path: path, Err: err}
	}
	if mode := fileType(uint32(st.Mode)); mode != 0 {
		return nil, errors.New(fsutil.DescribeNotRegular(mode))
	}
	return readSized(st.Size, buf, func(b []byte) (int, error) {
		if len(b) == 0 {
			return 0, nil
		}
		var n int
		err := retryEINTR(func() (err error) {
			n, err = sysRead(fd, b)
			return err
		})
		switch {
		case err != nil:
			return 0, &fs.PathError{Op: "read", Path: path, Err: err}
		case n == 0:
			return 0, io.EOF
		}
		return n, nil
	})
}

// fileType is the fs.FileMode type bits of a stat mode; 0 for a regular file.
func fileType(mode uint32) fs.FileMode {
	switch mode & syscall.S_IFMT {
	case syscall.S_IFREG:
		return 0
	case syscall.S_IFDIR:
		return fs.ModeDir
	case syscall.S_IFIFO:
		return fs.ModeNamedPipe
	case syscall.S_IFSOCK:
		return fs.ModeSocket
	case syscall.S_IFCHR:
		return fs.ModeDevice | fs.ModeCharDevice
	case syscall.S_IFBLK:
		return fs.ModeDevice
	}
	return fs.ModeIrregular
}

// retryEINTR calls f again while a signal interrupts it, as package os does.
func retryEINTR(f func() error) error {
	for {
		if err := f(); err != syscall.EINTR {
			return err
		}
	}
}
