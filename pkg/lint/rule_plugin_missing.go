package lint

import (
	"errors"
	"io/fs"

	"github.com/bgtask/bgtask/pkg/simulate"
)

// rulePluginMissing reports a registration whose plugin executable is not
// there, or cannot be asked what it serves.
type rulePluginMissing struct{ RuleBase }

func newRulePluginMissing() Rule {
	return rulePluginMissing{RuleBase{RuleInfo{
		ID:       "BT020",
		Name:     "plugin-not-found",
		Severity: SeverityError,
		Short:    "a registration whose plugin does not exist or does not answer the plugin protocol",
		What: `A registration's plugin (bgtask register --plugin) is the compiled task that runs
when its trigger fires. It must exist (relative paths are relative to the
registry's folder) and, with bgtask lint --run-plugins, answer the plugin
protocol's describe request.`,
		Why: `bgtask push and trigger would fail to start the task; in CI it usually means the
plugin was not built before the lint step, or was moved.`,
		Fix:          `Build the plugin before linting, or re-register with the right --plugin path; bgtask plugin check PATH tests a plugin against the protocol.`,
		Source:       `docs/protocol.md (describe); docs/windows.md "Plugins are bgtask's, not Windows'".`,
		needsProject: true,
	}}}
}

func (r rulePluginMissing) Check(p *Pass) {
	if !p.crossChecking() {
		return
	}
	for _, reg := range p.Project.Registry.Registrations {
		path := p.Project.Registry.PluginPath(reg)
		if path == "" {
			continue
		}
		if _, err := simulate.FindPlugin(path); err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				p.reportRegistryf(reg.TaskID, 0, "registration %q: plugin %s does not exist; build it or re-register with the right --plugin", reg.Name, path)
			} else {
				p.reportRegistryf(reg.TaskID, 0, "registration %q: plugin %v; fix it or re-register with the right --plugin", reg.Name, err)
			}
			continue
		}
		if p.Project.Describe == nil {
			continue
		}
		if _, err := p.Project.Describe(path); err != nil {
			p.reportRegistryf(reg.TaskID, 0, "registration %q: plugin %s does not answer the plugin protocol (%v); check it with bgtask plugin check %s", reg.Name, path, err, path)
		}
	}
}
