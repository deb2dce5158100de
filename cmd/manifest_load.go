package cmd

import (
	"errors"
	"io/fs"

	"github.com/bgtask/bgtask/pkg/manifest"
)

// loadManifest reads the --manifest file and classifies what can go wrong:
// a missing file, a folder or bad content is the user's input (exit 2); a
// file that exists but cannot be read is operational (exit 4).
func loadManifest(path string) (*manifest.Document, error) {
	oneInputGC()
	doc, err := manifest.Load(path)
	if err == nil {
		return doc, nil
	}
	if isReadFailure(err) {
		return nil, operationalError(err)
	}
	return nil, usageError(err)
}

// isReadFailure: the file is there but the system would not hand over its bytes.
func isReadFailure(err error) bool {
	var me *manifest.Error
	if !errors.As(err, &me) || me.Pos.Line != 0 {
		return false
	}
	for _, input := range []error{fs.ErrNotExist, manifest.ErrTooLarge, manifest.ErrNotManifest} {
		if errors.Is(err, input) {
			return false
		}
	}
	return true
}
