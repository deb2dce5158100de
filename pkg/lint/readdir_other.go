//go:build !linux

package lint

import (
	"io/fs"
	"os"
)

// readDirUnsorted is os.ReadDir without the sort: walkManifests sorts what it finds.
func readDirUnsorted(dir string) ([]fs.DirEntry, error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return f.ReadDir(-1)
}
