package lint

// Report is one lint run, as the output formats write it.
type Report struct {
	// ToolVersion is bgtask's version (cmd.Version).
	ToolVersion string
	// Files are the display paths of the manifests linted, in order.
	Files []string
	// Findings, sorted (SortFindings).
	Findings []Finding
	// Rules are the rules that ran, for formats that describe them (SARIF).
	Rules []RuleInfo
}

// InformationURI is where SARIF consumers send users for the tool.
const InformationURI = "https://github.com/bgtask/bgtask"

// RulesDocURI is the rule reference (docs/lint.md) for SARIF helpUri.
const RulesDocURI = InformationURI + "/blob/main/docs/lint.md"
