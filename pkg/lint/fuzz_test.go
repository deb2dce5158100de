package lint

import (
	"os"
	"strings"
	"testing"
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
