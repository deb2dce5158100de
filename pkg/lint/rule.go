package lint

import (
	"fmt"
	"strings"

	"github.com/bgtask/bgtask/pkg/manifest"
)

// RuleInfo describes a rule to users: --list-rules, --explain, SARIF rule
// metadata and docs/lint.md are all written from it.
type RuleInfo struct {
	// ID is stable forever: CI configurations and suppressions refer to it.
	ID string `json:"id"`
	// Name is a short kebab-case name, also stable.
	Name     string   `json:"name"`
	Severity Severity `json:"severity"`
	// Short is one line: what the rule finds.
	Short string `json:"short"`
	// What it checks, Why it matters, how to Fix it, and the Source of the
	// Windows fact it relies on (a section of docs/windows.md and the public
	// page or XSD behind it: users have those, not our internal notes).
	What   string `json:"what"`
	Why    string `json:"why"`
	Fix    string `json:"fix"`
	Source string `json:"source"`

	// checksMalformed rules also run when the manifest did not parse.
	checksMalformed bool
	// needsProject rules compare the manifest with the registry and plugins;
	// they do nothing without a Project.
	needsProject bool
}

// Explanation is the long text of --explain and of SARIF help.
func (r RuleInfo) Explanation() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s (%s)\n%s\n\n", r.ID, r.Name, r.Severity, r.Short)
	fmt.Fprintf(&b, "What it checks:\n%s\n\n", indent(r.What))
	fmt.Fprintf(&b, "Why:\n%s\n\n", indent(r.Why))
	fmt.Fprintf(&b, "Fix:\n%s\n\n", indent(r.Fix))
	fmt.Fprintf(&b, "Source:\n%s\n", indent(r.Source))
	return b.String()
}

func indent(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	for i, l := range lines {
		lines[i] = "  " + l
	}
	return strings.Join(lines, "\n")
}

// Rule is one check. Rules are stateless: everything they look at comes in
// the Pass, everything they find goes out through it.
type Rule interface {
	Info() RuleInfo
	Check(p *Pass)
}

// RuleBase carries a rule's description; rules embed it.
type RuleBase struct{ info RuleInfo }

// Info returns the rule's description.
func (b RuleBase) Info() RuleInfo { return b.info }

// Rules returns every rule, in ID order. Adding a rule means adding its
// rule_*.go file and one line here.
func Rules() []Rule {
	return []Rule{
		newRuleXMLWellFormed(),              // BT001
		newRuleUnknownTaskType(),            // BT002
		newRuleNoEntryPoint(),               // BT003
		newRuleEntryPointIdentifier(),       // BT004
		newRuleExecutableExe(),              // BT005
		newRuleDuplicateTaskType(),          // BT006
		newRuleTooManyTasks(),               // BT007
		newRuleDuplicateEntryPoint(),        // BT008
		newRulePackageLevel(),               // BT009
		newRuleLockScreenRequired(),         // BT010
		newRuleLockScreenWithoutTask(),      // BT011
		newRuleLockScreenAttributes(),       // BT012
		newRuleMissingAsset(),               // BT013
		newRuleUndeclaredPrefix(),           // BT014
		newRuleRegistryEntryPoint(),         // BT015
		newRuleRegistryTaskType(),           // BT016
		newRuleRegistryDuplicateName(),      // BT017
		newRuleRegistryDuplicateTaskID(),    // BT018
		newRuleRegistryApplicationTrigger(), // BT019
		newRulePluginMissing(),              // BT020
		newRulePluginEntryPoint(),           // BT021
		newRuleMultipleInstances(),          // BT022
		newRuleCategory(),                   // BT023
		newRuleNoTaskTypes(),                // BT024
		newRuleServerNameSyntax(),           // BT025
		newRuleResourceGroupSyntax(),        // BT026
		newRuleExtensionAttributeLength(),   // BT027
		newRuleUnusedSuppression(),          // BT028
		newRuleStartPageFileName(),          // BT029
		newRuleSingleBackgroundTasks(),      // BT030
	}
}

// RuleByID finds a rule by ID (case-insensitive) or by name.
func RuleByID(id string) (Rule, bool) {
	for _, r := range Rules() {
		info := r.Info()
		if strings.EqualFold(info.ID, id) || info.Name == id {
			return r, true
		}
	}
	return nil, false
}

// Pass is one rule's run over one file.
type Pass struct {
	*File
	info     *RuleInfo
	findings *[]Finding
}

// Reportf records a finding in the linted file at pos, with the rule's ID
// and severity.
func (p *Pass) Reportf(pos manifest.Pos, format string, args ...any) {
	p.reportAtf(p.File.Path, p.File.Data, pos, format, args...)
}

// reportAtf records a finding in another file (the registry). A zero
// position (unknown) is reported at 1:1 rather than dropped.
func (p *Pass) reportAtf(path string, data []byte, pos manifest.Pos, format string, args ...any) {
	line, col := pos.Line, pos.Col
	if line < 1 {
		line, col = 1, 1
	}
	if col < 1 {
		col = 1
	}
	*p.findings = append(*p.findings, Finding{
		RuleID:   p.info.ID,
		Severity: p.info.Severity,
		Path:     path,
		Line:     line,
		Col:      col,
		Message:  fmt.Sprintf(format, args...),
		utf16Col: p.File.columns(data).utf16(data, line, col),
	})
}
