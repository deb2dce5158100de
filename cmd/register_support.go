package cmd

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/bgtask/bgtask/pkg/manifest"
	"github.com/bgtask/bgtask/pkg/tasks"
)

// defaultLockWait bounds how long a change to the registry or a manifest
// waits for another bgtask process to release the file; a change takes
// milliseconds, so a longer wait means a stuck process the user should look
// at. $BGTASK_LOCK_WAIT (a duration such as 2m) changes it.
const (
	defaultLockWait = 30 * time.Second
	lockWaitEnv     = "BGTASK_LOCK_WAIT"
)

// errLockWait is why a lock was not taken: the wait ran out.
type errLockWait struct{ wait time.Duration }

func (e *errLockWait) Error() string {
	return fmt.Sprintf("gave up after %s; is another bgtask stuck? ($%s changes the wait)", e.wait, lockWaitEnv)
}

func (e *errLockWait) Unwrap() error { return context.DeadlineExceeded }

// withLockWait gives a change of a locked file (the registry, a manifest)
// its lock deadline, the same for every such file.
func withLockWait(ctx context.Context, g *Globals) (context.Context, context.CancelFunc, error) {
	wait := defaultLockWait
	if s := g.IO.Getenv(lockWaitEnv); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil || d <= 0 {
			return nil, nil, usageErrorf("$%s=%q: want a positive duration such as 30s or 2m", lockWaitEnv, s)
		}
		wait = d
	}
	ctx, cancel := context.WithTimeoutCause(ctx, wait, &errLockWait{wait: wait})
	return ctx, cancel, nil
}

// registryError classifies an error from pkg/tasks: invalid input (a bad
// trigger, a refusal, a corrupt registry) is exit 2, anything else (I/O, a
// lock not taken) exit 4.
func registryError(err error) error {
	if errors.Is(err, tasks.ErrInvalidInput) {
		return usageError(err)
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
	return &tasks.Manifest{Path: path, Declarations: doc.Declarations(), AppIDs: doc.ApplicationIDs()}, nil
}
