package lint

import (
	"os"
	"path/filepath"
	"testing"
)

func TestConfigIgnoreGlobs(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		pattern string
		match   []string
		miss    []string
	}{
		{"legacy", []string{"legacy/Package.appxmanifest", "legacy/a/b/AppxManifest.xml"}, []string{"legacyapp/Package.appxmanifest", "src/legacy.appxmanifest"}},
		{"samples/*/Package.appxmanifest", []string{"samples/A/Package.appxmanifest"}, []string{"samples/A/B/Package.appxmanifest", "Package.appxmanifest"}},
		{"**/Test*.appxmanifest", []string{"Test.appxmanifest", "a/b/TestX.appxmanifest"}, []string{"a/Prod.appxmanifest"}},
		{"./src/*.appxmanifest", []string{"src/a.appxmanifest"}, []string{"src/x/a.appxmanifest"}},
		{"a?c", []string{"abc/x"}, []string{"a/c/x", "abbc/x"}},
	} {
		re, err := globRegexp(tc.pattern)
		if err != nil {
			t.Fatalf("%q: %v", tc.pattern, err)
		}
		c := &Config{Dir: dir, Ignore: []string{tc.pattern}}
		c.ignore = append(c.ignore, re)
		for _, m := range tc.match {
			if !c.Ignored(filepath.Join(dir, filepath.FromSlash(m))) {
				t.Errorf("%q does not ignore %s", tc.pattern, m)
			}
		}
		for _, m := range tc.miss {
			if c.Ignored(filepath.Join(dir, filepath.FromSlash(m))) {
				t.Errorf("%q ignores %s", tc.pattern, m)
			}
		}
	}
	for _, bad := range []string{"", "/abs", "../up", "a/../../b"} {
		if _, err := globRegexp(bad); err == nil {
			t.Errorf("pattern %q accepted", bad)
		}
	}
	// Nothing outside the configuration's folder is ignored.
	c := &Config{Dir: filepath.Join(dir, "sub")}
	re, _ := globRegexp("**")
	c.ignore = append(c.ignore, re)
	if c.Ignored(filepath.Join(dir, "other", "Package.appxmanifest")) {
		t.Error("a file outside the configuration's folder was ignored")
	}
}

func TestSelect(t *testing.T) {
	path := filepath.Join(t.TempDir(), ConfigName)
	if err := os.WriteFile(path, []byte(`{"version": 1, "rules": {"BT004": "off", "missing-asset": "error", "BT006": "warning", "BT008": "on"}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := LoadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	sel, err := Select(cfg, []string{"BT005", "duplicate-entry-point"}, []string{"entry-point-identifier"})
	if err != nil {
		t.Fatal(err)
	}
	on := map[string]bool{}
	for _, r := range sel.Rules {
		on[r.Info().ID] = true
	}
	for id, want := range map[string]bool{"BT004": true, "BT005": false, "BT008": false, "BT013": true, "BT001": true} {
		if on[id] != want {
			t.Errorf("%s on = %v, want %v", id, on[id], want)
		}
	}
	if sel.Severity["BT013"] != SeverityError || sel.Severity["BT006"] != SeverityWarning {
		t.Errorf("severities = %v", sel.Severity)
	}
	if _, err := Select(nil, []string{"nope"}, nil); err == nil {
		t.Error("--disable of an unknown rule accepted")
	}
}
