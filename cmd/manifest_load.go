package cmd

import (
	"errors"
	"io/fs"

	"github.com/bgtask/bgtask/pkg/manifest"
)

// loadManifest reads the --manifest file and classifies what can go wrong:
// a missing file or bad content is the user's input (exit 2); a file that
// exists but cannot be read is operational (exit 4).
func loadManifest(path string) (*manifest.Document, error) {
	doc, err := manifest.Load(path)
	if err == nil {
		return doc, nil
	}
	var me *manifest.Error
	if errors.As(err, &me) && me.Pos.Line == 0 && !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, manifest.ErrTooLarge) {
		return nil, operationalError(err)
	}
	return nil, usageError(err)
}
