package lint

import (
	"slices"
	"strings"
)

// rulePluginEntryPoint reports a registration whose plugin does not serve
// the registration's entry point.
type rulePluginEntryPoint struct{ RuleBase }

func newRulePluginEntryPoint() Rule {
	return rulePluginEntryPoint{RuleBase{RuleInfo{
		ID:       "BT021",
		Name:     "plugin-entry-point-not-exported",
		Severity: SeverityError,
		Short:    "a registration whose plugin does not export its entry point",
		What: `The plugin a registration runs must list the registration's entry point among
those it serves (its describe answer, per the plugin protocol). This check runs
the plugin, so it is made only with bgtask lint --run-plugins.`,
		Why: `This is the simulated form of the class name mismatch: the manifest and the
registration agree, but the code that runs has no task by that name, so
activation fails as it would on Windows (REGDB_E_CLASSNOTREG).`,
		Fix:          `Rename the task in the plugin (plugin.Serve's entry point names) or register the name the plugin serves.`,
		Source:       `docs/protocol.md (describe); docs/windows.md "Extension attributes" (the entry point, the class and the registration must agree).`,
		needsProject: true,
	}}}
}

func (r rulePluginEntryPoint) Check(p *Pass) {
	if !p.crossChecking() || p.Project.Describe == nil {
		return
	}
	for _, reg := range p.Project.Registry.Registrations {
		path := p.Project.Registry.PluginPath(reg)
		if path == "" {
			continue
		}
		served, err := p.Project.Describe(path)
		if err != nil {
			continue // BT020 reports it
		}
		if !slices.Contains(served, reg.EntryPoint) {
			p.reportRegistryf(reg.TaskID, 0, "registration %q: plugin %s does not export entry point %s (it serves: %s); fix the name in the plugin or in the registration",
				reg.Name, path, reg.EntryPoint, strings.Join(served, ", "))
		}
	}
}
