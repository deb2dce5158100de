package lint

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The regexp each glob becomes, written out: a star at either end, a double
// star at the end or before a slash, a question mark.
func TestGlobRegexpExactly(t *testing.T) {
	for pat, want := range map[string]string{
		"a*":        `^a[^/]*(?:/.*)?$`,
		"*":         `^[^/]*(?:/.*)?$`,
		"**":        `^.*(?:/.*)?$`,
		"a/**":      `^a/.*(?:/.*)?$`,
		"**/b":      `^(?:.*/)?b(?:/.*)?$`,
		"a**b":      `^a.*b(?:/.*)?$`,
		"?.x":       `^[^/]\.x(?:/.*)?$`,
		" ./a/b/ ":  `^a/b(?:/.*)?$`,
		"a/*/c*d**": `^a/[^/]*/c[^/]*d.*(?:/.*)?$`,
	} {
		re, err := globRegexp(pat)
		if err != nil || re.String() != want {
			t.Errorf("globRegexp(%q) = %v, %v; want %s", pat, re, err, want)
		}
	}
}

// No configuration ignores nothing; a file above the configuration's folder
// is never ignored, whatever the pattern.
func TestIgnoredOutsideAndNil(t *testing.T) {
	var none *Config
	if none.Ignored("Package.appxmanifest") {
		t.Error("a nil configuration ignored a file")
	}
	if (&Config{Dir: t.TempDir()}).Ignored("Package.appxmanifest") {
		t.Error("a configuration without patterns ignored a file")
	}
	root := t.TempDir()
	c := &Config{Dir: filepath.Join(root, "app")}
	re, _ := globRegexp("**")
	c.ignore = append(c.ignore, re)
	for _, f := range []string{root, filepath.Join(root, "Package.appxmanifest"), filepath.Join(root, "app..x", "Package.appxmanifest")} {
		if c.Ignored(f) {
			t.Errorf("%s, outside %s, was ignored", f, c.Dir)
		}
	}
	if !c.Ignored(filepath.Join(root, "app", "..app", "Package.appxmanifest")) {
		t.Error("a file in a folder named ..app inside the configuration's folder was not ignored")
	}
}

// A configuration of exactly 1 MiB is read; one byte more is refused.
func TestLoadConfigSizeLimit(t *testing.T) {
	dir := t.TempDir()
	body := []byte(`{"version": 1}`)
	exact := append(body, bytes.Repeat([]byte(" "), 1<<20-len(body))...)
	path := filepath.Join(dir, "bgtask-lint.json")
	if err := os.WriteFile(path, exact, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadConfig(path); err != nil {
		t.Errorf("1 MiB: %v", err)
	}
	if err := os.WriteFile(path, append(exact, ' '), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadConfig(path); err == nil || !strings.HasSuffix(err.Error(), ": over 1 MiB; a lint configuration is a few lines") {
		t.Errorf("1 MiB + 1: %v", err)
	}
}

// A configuration that does not decode is placed at its line and column
// (counted by hand below, 1-based, in characters), with what the member
// holds in words rather than Go's types; an unknown field at its name. The
// byte-order mark a Windows editor writes is not counted.
func TestLoadConfigErrorsArePlaced(t *testing.T) {
	for _, tc := range []struct{ body, want string }{
		{"{\n  \"version\": 1,\n  \"rule\": {}\n}\n",
			`:3:3: unknown field "rule"; a configuration has "version", "rules" and "ignore" (see docs/lint.md, "Silencing findings")`},
		{"\xef\xbb\xbf{\"version\": 1, \"Ignore2\": []}",
			`:1:16: unknown field "Ignore2"`},
		{"{\n  \"version\": \"1\"\n}\n",
			`:2:14: "version" must be the number 1, not a string here`},
		{"{\n  \"version\": 1,\n  \"rules\": {\"BT013\": 3}\n}\n",
			`:3:22: "rules" maps rule IDs or names to "off", "on", "warning" or "error", not a number here`},
		{`{"version": 1, "ignore": ["a\"b", 5]}`,
			`:1:35: "ignore" is a list of path patterns, each a string, not a number here`},
		{`{"version": 1, "rules": []}`,
			`:1:25: "rules" maps rule IDs or names to "off", "on", "warning" or "error", not an array here`},
		{"{\n  \"version\": 1,\n  \"rules\": {\"BT013\": \"off\",}\n}\n",
			`:3:28: invalid character '}' looking for beginning of object key string`},
		{"{\"ignore\": [\"é\", 5], \"version\": 1}",
			`:1:18: "ignore" is a list of path patterns`},
		// A string holding an escaped quote starts at its opening quote.
		{`{"version": "\\\""}`, `:1:13: "version" must be the number 1, not a string here`},
		{`{"ignore": -12}`, `:1:12: "ignore" is a list of path patterns, each a string, not a number here`},
		{`5`, `:1:1: `},
		// An unknown field after a nested value is found past it.
		{`{"rules": {"a": "b"}, "x": 1}`, `:1:23: unknown field "x"`},
	} {
		path := filepath.Join(t.TempDir(), ConfigName)
		if err := os.WriteFile(path, []byte(tc.body), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := LoadConfig(path)
		if err == nil || !strings.HasPrefix(err.Error(), path+tc.want) {
			t.Errorf("%q: %v\nwant %s%s", tc.body, err, path, tc.want)
		}
	}
}
