package lint

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// sampleReport has an error and a warning with characters every format
// must escape: a path with a space and a comma, a message with %, a colon,
// a comma, CR and LF.
func sampleReport() Report {
	var infos []RuleInfo
	for _, r := range Rules() {
		infos = append(infos, r.Info())
	}
	return Report{
		ToolVersion: "1.2.3",
		Files:       []string{"App,1/Package.appxmanifest", "My App/Package.appxmanifest"},
		Rules:       infos,
		Findings: []Finding{
			{RuleID: "BT004", Severity: SeverityError, Path: "App,1/Package.appxmanifest", Line: 25, Col: 52,
				Message: `EntryPoint "pch.cpp" is a file name: 100% wrong,` + "\r\nreally"},
			{RuleID: "BT013", Severity: SeverityWarning, Path: "My App/Package.appxmanifest", Line: 3, Col: 7,
				Message: "missing file"},
		},
	}
}

func TestWriteText(t *testing.T) {
	var b bytes.Buffer
	r := sampleReport()
	r.Findings = r.Findings[1:]
	if err := WriteText(&b, r, TextStyle{}); err != nil {
		t.Fatal(err)
	}
	want := "My App/Package.appxmanifest:3:7: warning: missing file [BT013]\n"
	if b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
	b.Reset()
	style := TextStyle{Error: func(s string) string { return "<" + s + ">" }, Warning: func(s string) string { return "{" + s + "}" }}
	if err := WriteText(&b, r, style); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), ": {warning}: ") {
		t.Errorf("style not applied: %q", b.String())
	}
}

func TestWriteGitHubEscapes(t *testing.T) {
	var b bytes.Buffer
	if err := WriteGitHub(&b, sampleReport()); err != nil {
		t.Fatal(err)
	}
	want := "::error file=App%2C1/Package.appxmanifest,line=25,col=52,title=BT004::EntryPoint \"pch.cpp\" is a file name: 100%25 wrong,\\x0d%0Areally\n" +
		"::warning file=My App/Package.appxmanifest,line=3,col=7,title=BT013::missing file\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

// Values from a manifest (an EntryPoint="A&#xA;..." or with U+009B, CSI)
// must neither forge a finding line in text output nor reach a terminal or
// the runner's log as control characters, with or without colour.
func TestFormatsEscapeManifestValues(t *testing.T) {
	r := Report{Findings: []Finding{{RuleID: "BT004", Severity: SeverityError, Path: "a\u202e/Package.appxmanifest", Line: 4, Col: 2,
		Message: "EntryPoint \"A\nPackage.appxmanifest:1:1: error: forged \u009b2J\" is wrong"}}}
	var text, gh bytes.Buffer
	if err := WriteText(&text, r, TextStyle{}); err != nil {
		t.Fatal(err)
	}
	want := `a\u202e/Package.appxmanifest:4:2: error: EntryPoint "A\x0aPackage.appxmanifest:1:1: error: forged \x9b2J" is wrong [BT004]` + "\n"
	if text.String() != want {
		t.Errorf("text:\n got %q\nwant %q", text.String(), want)
	}
	if err := WriteGitHub(&gh, r); err != nil {
		t.Fatal(err)
	}
	want = `::error file=a\u202e/Package.appxmanifest,line=4,col=2,title=BT004::EntryPoint "A%0APackage.appxmanifest:1:1: error: forged \x9b2J" is wrong` + "\n"
	if gh.String() != want {
		t.Errorf("github:\n got %q\nwant %q", gh.String(), want)
	}
}

func TestWriteGitHubPropertyEscapesColon(t *testing.T) {
	if got := escapeGitHubProperty(`C:\a,b%`); got != `C%3A\a%2Cb%25` {
		t.Errorf("escapeGitHubProperty = %q", got)
	}
}

func TestWriteJSON(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJSON(&b, sampleReport()); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Version     int      `json:"version"`
		Tool        string   `json:"tool"`
		ToolVersion string   `json:"toolVersion"`
		Files       []string `json:"files"`
		Errors      int      `json:"errors"`
		Warnings    int      `json:"warnings"`
		Findings    []struct {
			Rule, Name, Severity, Path, Message string
			Line, Col                           int
		} `json:"findings"`
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	if doc.Version != 1 || doc.Tool != "bgtask" || doc.ToolVersion != "1.2.3" || doc.Errors != 1 || doc.Warnings != 1 || len(doc.Files) != 2 {
		t.Errorf("unexpected header: %+v", doc)
	}
	f := doc.Findings[0]
	if f.Rule != "BT004" || f.Name != "entry-point-identifier" || f.Severity != "error" || f.Line != 25 || f.Col != 52 {
		t.Errorf("unexpected finding: %+v", f)
	}
}

func TestWriteJSONEmptyIsArrays(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJSON(&b, Report{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `"findings": []`) || !strings.Contains(b.String(), `"files": []`) {
		t.Errorf("empty report should have empty arrays, not null:\n%s", b.String())
	}
}

// TestSARIFValidatesAgainstSchema validates --format sarif output against
// the OASIS SARIF 2.1.0 schema vendored in testdata/sarif.
func TestSARIFValidatesAgainstSchema(t *testing.T) {
	schema := compileSARIFSchema(t)
	for name, r := range map[string]Report{"findings": sampleReport(), "empty": {ToolVersion: "dev"}} {
		var b bytes.Buffer
		if err := WriteSARIF(&b, r); err != nil {
			t.Fatal(err)
		}
		doc, err := jsonschema.UnmarshalJSON(&b)
		if err != nil {
			t.Fatal(err)
		}
		if err := schema.Validate(doc); err != nil {
			t.Errorf("%s: SARIF output does not validate: %v", name, err)
		}
	}
}

// TestSARIFSchemaRejectsBrokenLog makes sure the validation above can fail.
func TestSARIFSchemaRejectsBrokenLog(t *testing.T) {
	schema := compileSARIFSchema(t)
	broken := map[string]any{"version": "2.1.0", "runs": []any{map[string]any{
		"tool":    map[string]any{"driver": map[string]any{"name": "bgtask"}},
		"results": []any{map[string]any{"ruleId": "BT001", "level": "fatal", "message": map[string]any{"text": "x"}}},
	}}}
	if err := schema.Validate(broken); err == nil {
		t.Fatal("a result with level \"fatal\" validated; the schema is not being applied")
	}
}

func TestSARIFContent(t *testing.T) {
	var b bytes.Buffer
	if err := WriteSARIF(&b, sampleReport()); err != nil {
		t.Fatal(err)
	}
	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Name, Version, InformationURI string
					Rules                         []struct {
						ID                   string
						DefaultConfiguration struct{ Level string }
						Help                 struct{ Text string }
					}
				}
			}
			Results []struct {
				RuleID    string
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
	if err := json.Unmarshal(b.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	run := log.Runs[0]
	if d := run.Tool.Driver; d.Name != "bgtask" || d.Version != "1.2.3" || d.InformationURI == "" || len(d.Rules) != len(Rules()) {
		t.Errorf("driver: %+v", d)
	}
	if h := run.Tool.Driver.Rules[0].Help.Text; !strings.Contains(h, "Fix:") {
		t.Errorf("rule help lacks the fix: %q", h)
	}
	res := run.Results[1]
	loc := res.Locations[0].PhysicalLocation
	if res.Level != "warning" || loc.ArtifactLocation.URI != "My%20App/Package.appxmanifest" || loc.ArtifactLocation.URIBaseID != "%SRCROOT%" ||
		loc.Region.StartLine != 3 || loc.Region.StartColumn != 7 {
		t.Errorf("result: %+v", res)
	}
}

func TestSARIFArtifactURIs(t *testing.T) {
	for in, want := range map[string]string{
		"Package.appxmanifest":           "Package.appxmanifest",
		"./src/App/Package.appxmanifest": "src/App/Package.appxmanifest",
		"src/Ä pp/x#1.appxmanifest":      "src/%C3%84%20pp/x%231.appxmanifest",
		"/abs/Package.appxmanifest":      "file:///abs/Package.appxmanifest",
		// A colon in the first segment would read as a scheme (RFC 3986
		// section 4.2): "file:x/..." is an absolute URI of scheme file.
		"file:x/Package.appxmanifest": "./file:x/Package.appxmanifest",
		"a:b.appxmanifest":            "./a:b.appxmanifest",
		"src/a:b.appxmanifest":        "src/a:b.appxmanifest",
	} {
		if got := sarifArtifact(in).URI; got != want {
			t.Errorf("sarifArtifact(%q) = %q, want %q", in, got, want)
		}
	}
}

func compileSARIFSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open("../../testdata/sarif/sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	const url = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	if err := c.AddResource(url, doc); err != nil {
		t.Fatal(err)
	}
	c.AssertFormat()
	s, err := c.Compile(url)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
