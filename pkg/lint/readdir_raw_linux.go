//go:build linux && (amd64 || arm64)

package lint

import (
	"encoding/binary"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"syscall"
)

// readDirUnsorted is os.ReadDir without the sort (walkManifests sorts what
// it finds), reading the folder with direct system calls (sys_linux.go says
// why) and the kernel's entries parsed here: os.Open would also try to
// register the descriptor with the network poller and, refused for a
// folder, set it back to blocking, four system calls more per folder.
func readDirUnsorted(dir string) ([]fs.DirEntry, error) {
	var fd int
	err := retryEINTR(func() (err error) {
		// O_DIRECTORY: a folder swapped for a FIFO since it was listed
		// fails here instead of blocking the open.
		fd, err = sysOpen(dir, syscall.O_RDONLY|syscall.O_DIRECTORY|syscall.O_CLOEXEC)
		return err
	})
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: dir, Err: err}
	}
	defer sysClose(fd)
	bufp := direntBuffers.Get().(*[]byte)
	defer direntBuffers.Put(bufp)
	buf := *bufp
	var entries []fs.DirEntry
	for {
		var n int
		err := retryEINTR(func() (err error) {
			n, err = sysGetdents(fd, buf)
			return err
		})
		if err != nil {
			return nil, &fs.PathError{Op: "readdirent", Path: dir, Err: err}
		}
		if n <= 0 {
			return entries, nil
		}
		entries = appendDirents(entries, dir, buf[:n])
	}
}

// direntBuffers are getdents buffers, as large as the one os uses.
var direntBuffers = sync.Pool{New: func() any { b := make([]byte, 8192); return &b }}

// The layout of struct linux_dirent64: d_ino (8 bytes), d_off (8), d_reclen
// (2), d_type (1), then the name, ended by a NUL.
const (
	direntReclen = 16
	direntType   = 18
	direntName   = 19
)

// appendDirents appends the entries of buf, as getdents64 fills it, skipping
// "." and ".." and deleted entries (inode 0), as os does.
func appendDirents(entries []fs.DirEntry, dir string, buf []byte) []fs.DirEntry {
	for len(buf) >= direntName {
		reclen := int(binary.NativeEndian.Uint16(buf[direntReclen:]))
		if reclen < direntName || reclen > len(buf) {
			break // not the kernel's layout: stop rather than read past it
		}
		rec := buf[:reclen]
		buf = buf[reclen:]
		name := rec[direntName:]
		for i, c := range name {
			if c == 0 {
				name = name[:i]
				break
			}
		}
		if binary.NativeEndian.Uint64(rec) == 0 || string(name) == "." || string(name) == ".." {
			continue
		}
		if d := newDirEntry(dir, string(name), rec[direntType]); d != nil {
			entries = append(entries, d)
		}
	}
	return entries
}

// dirEntry is an entry of a folder, its type from the folder's listing.
type dirEntry struct {
	dir, name string
	typ       fs.FileMode
}

// newDirEntry is nil for an entry gone before its type could be asked.
func newDirEntry(dir, name string, dtype byte) *dirEntry {
	d := &dirEntry{dir: dir, name: name}
	switch dtype {
	case syscall.DT_REG:
	case syscall.DT_DIR:
		d.typ = fs.ModeDir
	case syscall.DT_LNK:
		d.typ = fs.ModeSymlink
	case syscall.DT_FIFO:
		d.typ = fs.ModeNamedPipe
	case syscall.DT_SOCK:
		d.typ = fs.ModeSocket
	case syscall.DT_CHR:
		d.typ = fs.ModeDevice | fs.ModeCharDevice
	case syscall.DT_BLK:
		d.typ = fs.ModeDevice
	default:
		// The file system does not say (DT_UNKNOWN): ask, as os does.
		info, err := os.Lstat(filepath.Join(dir, name))
		switch {
		case err == nil:
			d.typ = info.Mode().Type()
		case os.IsNotExist(err):
			return nil
		default:
			d.typ = fs.ModeIrregular
		}
	}
	return d
}

func (d *dirEntry) Name() string               { return d.name }
func (d *dirEntry) IsDir() bool                { return d.typ.IsDir() }
func (d *dirEntry) Type() fs.FileMode          { return d.typ }
func (d *dirEntry) Info() (fs.FileInfo, error) { return os.Lstat(filepath.Join(d.dir, d.name)) }
func (d *dirEntry) String() string             { return fs.FormatDirEntry(d) }
