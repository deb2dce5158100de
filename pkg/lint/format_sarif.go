package lint

import (
	"encoding/json"
	"io"
	"net/url"
	"path/filepath"
	"strings"
)

// SARIF 2.1.0 (OASIS), the subset GitHub code scanning reads. The
// structure follows the schema in testdata/sarif/, which a test validates
// the output against.

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool    sarifTool     `json:"tool"`
	Results []sarifResult `json:"results"`
	// ColumnKind is said explicitly: startColumn counts UTF-16 code units
	// (Finding.ColumnUTF16), not the bytes of the other formats.
	ColumnKind string `json:"columnKind"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifHelp struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifRule struct {
	ID                   string             `json:"id"`
	Name                 string             `json:"name"`
	ShortDescription     sarifText          `json:"shortDescription"`
	FullDescription      sarifText          `json:"fullDescription"`
	Help                 sarifHelp          `json:"help"`
	HelpURI              string             `json:"helpUri,omitempty"`
	DefaultConfiguration sarifConfiguration `json:"defaultConfiguration"`
}

type sarifConfiguration struct {
	Level string `json:"level"`
}

type sarifResult struct {
	RuleID    string          `json:"ruleId"`
	RuleIndex int             `json:"ruleIndex"`
	Level     string          `json:"level"`
	Message   sarifText       `json:"message"`
	Locations []sarifLocation `json:"locations"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysicalLocation `json:"physicalLocation"`
}

type sarifPhysicalLocation struct {
	ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
	Region           sarifRegion           `json:"region"`
}

type sarifArtifactLocation struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn"`
}

// WriteSARIF writes the report as a SARIF 2.1.0 log with one run. Paths
// that are relative (to the working folder, normally the repository root)
// become relative URIs with forward slashes against %SRCROOT%, which is what
// GitHub code scanning resolves against the checkout.
func WriteSARIF(w io.Writer, r Report) error {
	driver := sarifDriver{
		Name:           "bgtask",
		Version:        r.ToolVersion,
		InformationURI: InformationURI,
		Rules:          []sarifRule{},
	}
	index := map[string]int{}
	for i, info := range r.Rules {
		index[info.ID] = i
		driver.Rules = append(driver.Rules, sarifRule{
			ID:                   info.ID,
			Name:                 sarifRuleName(info.Name),
			ShortDescription:     sarifText{Text: info.Short},
			FullDescription:      sarifText{Text: strings.TrimSpace(info.What)},
			Help:                 sarifHelp{Text: info.Explanation(), Markdown: ruleMarkdown(info)},
			HelpURI:              RulesDocURI + "#" + strings.ToLower(info.ID),
			DefaultConfiguration: sarifConfiguration{Level: sarifLevel(info.Severity)},
		})
	}
	run := sarifRun{Tool: sarifTool{Driver: driver}, Results: []sarifResult{}, ColumnKind: "utf16CodeUnits"}
	for _, f := range r.Findings {
		i, ok := index[f.RuleID]
		if !ok {
			i = -1
		}
		res := sarifResult{
			RuleID:    f.RuleID,
			RuleIndex: i,
			Level:     sarifLevel(f.Severity),
			Message:   sarifText{Text: f.Message},
			Locations: []sarifLocation{{PhysicalLocation: sarifPhysicalLocation{
				ArtifactLocation: sarifArtifact(f.Path),
				Region:           sarifRegion{StartLine: f.Line, StartColumn: f.ColumnUTF16()},
			}}},
		}
		run.Results = append(run.Results, res)
	}
	log := sarifLog{
		Schema:  "https://json.schemastore.org/sarif-2.1.0.json",
		Version: "2.1.0",
		Runs:    []sarifRun{run},
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(log)
}

func sarifLevel(s Severity) string {
	if s == SeverityError {
		return "error"
	}
	return "warning"
}

// sarifRuleName turns a kebab-case rule name into the PascalCase SARIF
// recommends for reportingDescriptor.name (it is shown as an identifier).
func sarifRuleName(kebab string) string {
	var b strings.Builder
	for _, part := range strings.Split(kebab, "-") {
		if part == "" {
			continue
		}
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}

// sarifArtifact makes an artifactLocation for a display path.
func sarifArtifact(p string) sarifArtifactLocation {
	slash := filepath.ToSlash(p)
	if filepath.IsAbs(p) || strings.HasPrefix(slash, "/") {
		if !strings.HasPrefix(slash, "/") {
			slash = "/" + slash // C:/x -> /C:/x
		}
		return sarifArtifactLocation{URI: (&url.URL{Scheme: "file", Path: slash}).String()}
	}
	slash = strings.TrimPrefix(slash, "./")
	// String, not EscapedPath: it puts "./" before a first segment with a
	// colon, which a reader would otherwise take for a scheme (a folder
	// named "file:x").
	return sarifArtifactLocation{URI: (&url.URL{Path: slash}).String(), URIBaseID: "%SRCROOT%"}
}

// ruleMarkdown is a rule's help for SARIF viewers, rendered as in
// docs/lint.md: angle brackets escaped (GitHub would take <Task Type="...">
// for HTML and drop it) and list-like lines kept on their own lines.
func ruleMarkdown(info RuleInfo) string {
	var b strings.Builder
	b.WriteString("**" + info.ID + " " + info.Name + "**: " + mdParagraph(info.Short) + "\n\n")
	b.WriteString("**What it checks.** " + mdParagraph(info.What) + "\n\n")
	b.WriteString("**Why.** " + mdParagraph(info.Why) + "\n\n")
	b.WriteString("**Fix.** " + mdParagraph(info.Fix) + "\n\n")
	b.WriteString("**Source.** " + mdParagraph(info.Source) + "\n")
	return b.String()
}
