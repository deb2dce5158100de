package lint

import (
	"bytes"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzLint: no input makes a rule panic (runRule would turn it into an
// "internal error" finding) and every finding has a position.
//
//	go test ./pkg/lint -run '^$' -fuzz FuzzLint -fuzztime 30s
func FuzzLint(f *testing.F) {
	for _, path := range goldenCases(f) {
		if data, err := os.ReadFile(path); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(`<Package xmlns="http://schemas.microsoft.com/appx/2010/manifest"><Applications><Application><uap:Task Type="x" uap4:A="1"/></Application></Applications></Package>`))
	l := New()
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, fd := range l.Lint(Source{Path: "fuzz.appxmanifest", Data: data}) {
			if strings.Contains(fd.Message, "internal error") {
				t.Fatalf("rule crashed: %s", fd.Message)
			}
			if fd.Line < 1 || fd.Col < 1 || fd.ColumnUTF16() < 1 || fd.ColumnUTF16() > fd.Col {
				t.Fatalf("finding without a position: %+v", fd)
			}
		}
	})
}

// FuzzParseConfig: no configuration file makes parseConfig panic, and a
// placed error is placed inside the file (its line exists, its column is
// on that line).
//
//	go test ./pkg/lint -run '^$' -fuzz FuzzParseConfig -fuzztime 30s
func FuzzParseConfig(f *testing.F) {
	f.Add([]byte(`{"version": 1, "rules": {"BT013": "off"}, "ignore": ["legacy"]}`))
	f.Add([]byte("\xef\xbb\xbf{\n  \"version\": \"1\",\n  \"rule\": {}\n}\n"))
	f.Add([]byte(`{"version": 1, "ignore": ["a\"b", 5]}`))
	f.Add([]byte(`{"rules": {"BT013": "off",}}`))
	placed := regexp.MustCompile(`^c\.json:(\d+):(\d+): `)
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := parseConfig("c.json", data)
		if err == nil {
			return
		}
		m := placed.FindStringSubmatch(err.Error())
		if m == nil {
			return
		}
		line, _ := strconv.Atoi(m[1])
		col, _ := strconv.Atoi(m[2])
		lines := strings.Split(string(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))), "\n")
		if line < 1 || line > len(lines) || col < 1 || col > utf8.RuneCountInString(lines[line-1])+1 {
			t.Fatalf("%q: placed outside the file: %v", data, err)
		}
	})
}
