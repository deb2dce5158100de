package lint

import (
	"encoding/json"
	"io"
)

// JSONVersion is the version of the --format json document. It
// changes only when a field is removed or changes meaning; new fields may be
// added without changing it.
const JSONVersion = 1

// jsonReport is the --format json document (documented in docs/json.md).
type jsonReport struct {
	Version     int           `json:"version"`
	Tool        string        `json:"tool"`
	ToolVersion string        `json:"toolVersion"`
	Files       []string      `json:"files"`
	Errors      int           `json:"errors"`
	Warnings    int           `json:"warnings"`
	Findings    []jsonFinding `json:"findings"`
}

type jsonFinding struct {
	Rule     string   `json:"rule"`
	Name     string   `json:"name"`
	Severity Severity `json:"severity"`
	Path     string   `json:"path"`
	Line     int      `json:"line"`
	Col      int      `json:"col"`
	Message  string   `json:"message"`
}

// WriteJSON writes the report as one indented JSON document.
func WriteJSON(w io.Writer, r Report) error {
	names := ruleNames(r.Rules)
	doc := jsonReport{
		Version:     JSONVersion,
		Tool:        "bgtask",
		ToolVersion: r.ToolVersion,
		Files:       r.Files,
		Findings:    []jsonFinding{},
	}
	if doc.Files == nil {
		doc.Files = []string{}
	}
	doc.Errors, doc.Warnings = Count(r.Findings)
	for _, f := range r.Findings {
		doc.Findings = append(doc.Findings, jsonFinding{
			Rule: f.RuleID, Name: names[f.RuleID], Severity: f.Severity,
			Path: f.Path, Line: f.Line, Col: f.Col, Message: f.Message,
		})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

func ruleNames(rules []RuleInfo) map[string]string {
	names := map[string]string{}
	for _, r := range rules {
		names[r.ID] = r.Name
	}
	return names
}
