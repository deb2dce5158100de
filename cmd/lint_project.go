package cmd

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sync"

	"github.com/spf13/cobra"

	"github.com/bgtask/bgtask/pkg/lint"
	"github.com/bgtask/bgtask/pkg/simulate"
	"github.com/bgtask/bgtask/pkg/tasks"
)

// loadLintProject reads the registry for the cross-checks (BT015-BT021). A
// registry that does not exist means nothing is registered yet: no
// cross-checks, no error. One that exists but cannot be read is bad input.
func loadLintProject(c *cobra.Command, g *Globals, cwd string) (*lint.Project, error) {
	path := g.RegistryPath()
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("cannot read registry %s: %v (--no-registry skips the registry checks)", path, lintUnwrapFSError(err))
	}
	reg, err := tasks.Decode(path, data)
	if err != nil {
		return nil, fmt.Errorf("%w (--no-registry skips the registry checks)", err)
	}
	return &lint.Project{
		ManifestPath: displayPath(cwd, g.ManifestPath),
		RegistryPath: displayPath(cwd, path),
		RegistryData: data,
		Registry:     reg,
		Describe:     describePlugins(c),
	}, nil
}

// describePlugins asks each plugin once per run for its entry points, with
// the host's default handshake deadline, so a plugin shared by several
// registrations is started once and a hung one cannot stall the lint step
// for long.
func describePlugins(c *cobra.Command) func(string) ([]string, error) {
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
		d, err := simulate.Describe(c.Context(), simulate.Plugin{Path: path}, simulate.Policy{})
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
