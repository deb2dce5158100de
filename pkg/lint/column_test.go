package lint

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
)

func TestUTF16Column(t *testing.T) {
	for _, tc := range []struct {
		data      string
		line, col int
		want      int
	}{
		{"abc", 1, 3, 3},
		{"\xef\xbb\xbfabc", 1, 3, 3},        // the BOM is not counted
		{"x\n\u00e9t\u00e9 <a", 2, 7, 5},    // é is 2 bytes, 1 unit
		{"x\r\n\U0001F600<a", 2, 5, 3},      // an emoji is 4 bytes, 2 units
		{"\u4e2d\u6587 <Task", 1, 8, 4},     // CJK: 3 bytes, 1 unit each
		{"\xff<a", 1, 2, 2},                 // an invalid byte counts one
		{"short", 3, 4, 4},                  // a line past the end keeps the byte column
		{"\xef\xbb\xbf\u00e9t", 1, 3, 2},    // after the BOM, é is one unit
		{"\xef\xbb\xbfx\n\u00e9t", 2, 3, 2}, // the BOM is only on line 1
		{"\n\n\u00e9t", 3, 3, 2},            // empty lines before
		{"a\u00e9t", 1, 100, 99},            // past the end of the data: the rest counts as bytes
	} {
		if got := utf16Column([]byte(tc.data), tc.line, tc.col); got != tc.want {
			t.Errorf("utf16Column(%q, %d, %d) = %d, want %d", tc.data, tc.line, tc.col, got, tc.want)
		}
	}
}

// A finding after non-ASCII text on its line: text and JSON keep the byte
// column, SARIF (columnKind utf16CodeUnits) and the github format give the
// character column an editor or GitHub shows.
func TestSARIFColumnsAreUTF16(t *testing.T) {
	src := "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n" +
		"<Package xmlns=\"http://schemas.microsoft.com/appx/manifest/foundation/windows10\">\n" +
		"  <Applications>\n" +
		"    <Application Id=\"App\" Executable=\"App.exe\" EntryPoint=\"Caf\u00e9.App\">\n" +
		"      <Extensions>\n" +
		"        <Extension Category=\"windows.backgroundTasks\" EntryPoint=\"T\u00e2ches.Push\"><BackgroundTasks><Task Type=\"pushnotification\"/></BackgroundTasks></Extension>\n" +
		"      </Extensions>\n" +
		"    </Application>\n" +
		"  </Applications>\n" +
		"</Package>\n"
	findings := New().Lint(Source{Path: "Package.appxmanifest", Data: []byte(src)})
	var f *Finding
	for i := range findings {
		if findings[i].RuleID == "BT002" {
			f = &findings[i]
		}
	}
	if f == nil {
		t.Fatalf("no BT002 finding in %v", findings)
	}
	line := strings.Split(src, "\n")[f.Line-1]
	wantByte := strings.Index(line, `Type="pushnotification"`) + 1
	wantUTF16 := wantByte - 1 // "â" is two bytes, one unit
	if f.Col != wantByte || f.ColumnUTF16() != wantUTF16 {
		t.Fatalf("col %d, UTF-16 col %d; want %d and %d", f.Col, f.ColumnUTF16(), wantByte, wantUTF16)
	}

	var b bytes.Buffer
	if err := WriteSARIF(&b, Report{Findings: []Finding{*f}}); err != nil {
		t.Fatal(err)
	}
	var log struct {
		Runs []struct {
			ColumnKind string
			Results    []struct {
				Locations []struct {
					PhysicalLocation struct {
						Region struct{ StartColumn int }
					}
				}
			}
		}
	}
	if err := json.Unmarshal(b.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	run := log.Runs[0]
	if run.ColumnKind != "utf16CodeUnits" || run.Results[0].Locations[0].PhysicalLocation.Region.StartColumn != wantUTF16 {
		t.Errorf("SARIF columnKind %q, startColumn %d; want utf16CodeUnits, %d", run.ColumnKind,
			run.Results[0].Locations[0].PhysicalLocation.Region.StartColumn, wantUTF16)
	}

	b.Reset()
	if err := WriteGitHub(&b, Report{Findings: []Finding{*f}}); err != nil {
		t.Fatal(err)
	}
	if want := ",col=" + strconv.Itoa(wantUTF16) + ","; !strings.Contains(b.String(), want) {
		t.Errorf("github format %q lacks %q", b.String(), want)
	}
}
