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
