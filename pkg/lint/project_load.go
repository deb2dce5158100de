package lint

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"sync"

	"github.com/bgtask/bgtask/internal/fsutil"
	"github.com/bgtask/bgtask/pkg/simulate"
	"github.com/bgtask/bgtask/pkg/tasks"
)

// LoadProject reads the registry for the cross-checks (BT015-BT021). A
// registry that does not exist means nothing is registered yet: no
// cross-checks, no error. One that exists but cannot be read is bad input.
// The project runs no plugin: its Describe is nil until the caller sets it
// to DescribePlugins, which only an explicit request may do (lint in CI
// reads registries that a pull request can change).
func LoadProject(cwd, manifestPath, registryPath string) (*Project, error) {
	path := registryPath
	// Never waits on a FIFO put where the registry goes (tasks.Load refuses
	// one the same way); the decoder refuses what is over the size limit.
	data, err := fsutil.ReadRegular(path, tasks.MaxFileSize)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	var notRegular *fsutil.NotRegularError
	if errors.As(err, &notRegular) {
		return nil, fmt.Errorf("registry %s is %s (--no-registry skips the registry checks)", path, fsutil.DescribeNotRegular(notRegular.Mode))
	}
	if err != nil {
		return nil, fmt.Errorf("cannot read registry %s: %v (--no-registry skips the registry checks)", path, unwrapPathError(err))
	}
	// Shared TaskIds are kept: BT018 reports them as findings.
	reg, err := tasks.DecodeKeepingSharedTaskIDs(path, data)
	if err != nil {
		return nil, fmt.Errorf("%w (--no-registry skips the registry checks)", err)
	}
	return &Project{
		ManifestPath: DisplayPath(cwd, manifestPath),
		RegistryPath: DisplayPath(cwd, path),
		RegistryData: data,
		Registry:     reg,
	}, nil
}

// LoadProjects is LoadProject for each manifest with the registry of the
// same index, on all cores: a repository of many apps has a registry to look
// for beside each manifest. The projects are in the order given, nil where
// there is no registry; the error is the first in that order.
func LoadProjects(cwd string, manifestPaths, registryPaths []string) ([]*Project, error) {
	projects := make([]*Project, len(manifestPaths))
	errs := make([]error, len(manifestPaths))
	forEach(len(manifestPaths), func(i int) {
		projects[i], errs[i] = LoadProject(cwd, manifestPaths[i], registryPaths[i])
	})
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return projects, nil
}

// DescribePlugins asks each plugin once per run for its entry points, with
// the host's default handshake deadline, so a plugin shared by several
// registrations is started once and a hung one cannot stall the lint step
// for long. It executes the plugins: use it only when the user asked.
func DescribePlugins(ctx context.Context) func(string) ([]string, error) {
	type answer struct {
		entryPoints []string
		err         error
	}
	var mu sync.Mutex
	answers := map[string]answer{}
	return func(path string) ([]string, error) {
		mu.Lock()
		defer mu.Unlock()
		if a, ok := answers[path]; ok {
			return a.entryPoints, a.err
		}
		var a answer
		d, err := simulate.Describe(ctx, simulate.Plugin{Path: path}, simulate.Policy{})
		var pe *simulate.PluginError
		switch {
		case errors.As(err, &pe):
			// The finding already names the plugin; keep what happened.
			a.err = fmt.Errorf("%s: %s", pe.Outcome, pe.Detail)
		case err != nil:
			a.err = err
		default:
			a.entryPoints = d.EntryPoints
		}
		answers[path] = a
		return a.entryPoints, a.err
	}
}
