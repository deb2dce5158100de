package cmd

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/bgtask/bgtask/pkg/manifest"
	"github.com/bgtask/bgtask/pkg/tasks"
)

// registryLockWait bounds how long register and unregister wait for another
// bgtask process to release the registry; a change takes milliseconds, so a
// longer wait means a stuck process the user should look at.
const registryLockWait = 30 * time.Second

// withRegistryLock gives a registry change its lock deadline.
func withRegistryLock(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, registryLockWait)
}

// registryError classifies an error from pkg/tasks: invalid input (a bad
// trigger, a refusal, a corrupt registry) is exit 2, anything else (I/O, a
// lock not taken) exit 4.
func registryError(err error) error {
	if errors.Is(err, tasks.ErrInvalidInput) {
		return usageError(err)
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return operationalError(fmt.Errorf("%w (gave up after %s; is another bgtask stuck?)", err, registryLockWait))
	}
	return operationalError(err)
}

// loadManifestView reads the declarations register checks against,
// classifying failures as loadManifest does: a manifest that is missing or
// malformed is invalid input (exit 2); one that exists but cannot be read is
// an operational failure (exit 4).
func loadManifestView(path string) (*tasks.Manifest, error) {
	doc, err := manifest.Load(path)
	if err != nil {
		err = fmt.Errorf("%w\n  register checks the entry point against the manifest, as Windows does; --no-manifest-check skips that", err)
		if isReadFailure(err) {
			return nil, operationalError(err)
		}
		return nil, usageError(err)
	}
	return &tasks.Manifest{Path: path, Declarations: doc.Declarations()}, nil
}
