package lint

import (
	"bytes"
	"encoding/json"
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// Each SARIF result's ruleIndex points at its own rule in the driver's rule
// list (code scanning shows that rule's help), rule names are the PascalCase
// of the kebab names, levels follow severities, and locations are
// %SRCROOT%-relative URIs for relative paths and file: URIs for absolute ones.
func TestSARIFRulesAndResults(t *testing.T) {
	bt004, _ := RuleByID("BT004")
	bt013, _ := RuleByID("BT013")
	r := Report{
		Rules: []RuleInfo{bt013.Info(), bt004.Info()}, // not in ID order: the index is the list's
		Findings: []Finding{
			{RuleID: "BT004", Severity: SeverityError, Path: "./My App/Package.appxmanifest", Line: 2, Col: 3, Message: "a"},
			{RuleID: "BT013", Severity: SeverityWarning, Path: "/abs/dir/Package.appxmanifest", Line: 4, Col: 5, Message: "b"},
			{RuleID: "BT999", Severity: SeverityWarning, Path: "x,y/P.appxmanifest", Line: 6, Col: 7, Message: "c"},
		},
	}
	var b bytes.Buffer
	if err := WriteSARIF(&b, r); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID, Name, HelpURI    string
						DefaultConfiguration struct{ Level string }
					}
				}
			}
			Results []struct {
				RuleID    string
				RuleIndex int
				Level     string
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI, URIBaseID string }
						Region           struct{ StartLine, StartColumn int }
					}
				}
			}
		}
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, rule := range doc.Runs[0].Tool.Driver.Rules {
		got = append(got, fmt.Sprintf("rule %s %s %s %s", rule.ID, rule.Name, rule.DefaultConfiguration.Level, rule.HelpURI[strings.LastIndex(rule.HelpURI, "#"):]))
	}
	for _, res := range doc.Runs[0].Results {
		loc := res.Locations[0].PhysicalLocation
		got = append(got, fmt.Sprintf("result %s #%d %s %s|%s %d:%d", res.RuleID, res.RuleIndex, res.Level, loc.ArtifactLocation.URI, loc.ArtifactLocation.URIBaseID, loc.Region.StartLine, loc.Region.StartColumn))
	}
	want := []string{
		"rule BT013 MissingAsset warning #bt013",
		"rule BT004 EntryPointIdentifier error #bt004",
		"result BT004 #1 error My%20App/Package.appxmanifest|%SRCROOT% 2:3",
		"result BT013 #0 warning file:///abs/dir/Package.appxmanifest| 4:5",
		"result BT999 #-1 warning x,y/P.appxmanifest|%SRCROOT% 6:7",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("SARIF:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestSARIFRuleName(t *testing.T) {
	for in, want := range map[string]string{
		"entry-point-identifier": "EntryPointIdentifier",
		"xml-well-formed":        "XmlWellFormed",
		"a--b-":                  "AB",
		"-x":                     "X",
		"":                       "",
	} {
		if got := sarifRuleName(in); got != want {
			t.Errorf("sarifRuleName(%q) = %q, want %q", in, got, want)
		}
	}
}

// A Windows absolute path becomes a file: URI with the drive in its path.
func TestSARIFWindowsPath(t *testing.T) {
	if runtime.GOOS != "windows" {
		t.Skip("drive letters are absolute paths only on Windows")
	}
	if got := sarifArtifact(`C:\src\App\Package.appxmanifest`); got.URI != "file:///C:/src/App/Package.appxmanifest" || got.URIBaseID != "" {
		t.Errorf("sarifArtifact = %+v", got)
	}
}
