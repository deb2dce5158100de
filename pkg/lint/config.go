package lint

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// ConfigName is the lint configuration file a repository keeps, found from
// the working folder upward (the nearest one wins).
const ConfigName = ".bgtask-lint.json"

// Config is a repository's lint configuration:
//
//	{
//	  "version": 1,
//	  "rules": {"BT013": "off", "duplicate-entry-point": "error"},
//	  "ignore": ["legacy/**", "samples/*/Package.appxmanifest"]
//	}
//
// rules turns rules "off" or "on" (their own severity) or sets their
// severity ("warning", "error"); ignore lists globs, relative to the file's
// folder, of manifests not to lint ("*" within one folder, "**" across
// folders; a folder's pattern covers everything in it).
type Config struct {
	// Path is where the configuration was read from ("" for none).
	Path string
	// Dir is the folder ignore patterns are relative to.
	Dir string
	// Rules maps rule IDs to "off", "on", "warning" or "error".
	Rules  map[string]string
	Ignore []string

	ignore []*regexp.Regexp
}

type configFile struct {
	Version int               `json:"version"`
	Rules   map[string]string `json:"rules"`
	Ignore  []string          `json:"ignore"`
}

// FindConfig looks for ConfigName in dir and its parents.
func FindConfig(dir string) (string, bool) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", false
	}
	for {
		p := filepath.Join(dir, ConfigName)
		if info, err := os.Stat(p); err == nil && !info.IsDir() {
			return p, true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}

// LoadConfig reads and checks a configuration file. Unknown fields, rules
// and values are errors: a typo must not silently lint with the defaults.
func LoadConfig(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%s: no such file", path)
		}
		return nil, fmt.Errorf("%s: %v", path, unwrapPathError(err))
	}
	if len(data) > 1<<20 {
		return nil, fmt.Errorf("%s: over 1 MiB; a lint configuration is a few lines", path)
	}
	var cf configFile
	dec := json.NewDecoder(bytes.NewReader(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&cf); err != nil {
		return nil, fmt.Errorf("%s: %v (see docs/lint.md, \"Configuration file\")", path, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%s: more than one JSON value", path)
	}
	if cf.Version != 1 {
		return nil, fmt.Errorf("%s: \"version\" must be 1", path)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	c := &Config{Path: path, Dir: filepath.Dir(abs), Rules: map[string]string{}, Ignore: cf.Ignore}
	for key, v := range cf.Rules {
		r, ok := RuleByID(key)
		if !ok {
			return nil, fmt.Errorf("%s: rules: no rule %q; bgtask lint --list-rules lists them", path, key)
		}
		switch v {
		case "off", "on", "warning", "error":
		default:
			return nil, fmt.Errorf("%s: rules: %s is %q; use \"off\", \"on\", \"warning\" or \"error\"", path, key, v)
		}
		c.Rules[r.Info().ID] = v
	}
	for _, pat := range cf.Ignore {
		re, err := globRegexp(pat)
		if err != nil {
			return nil, fmt.Errorf("%s: ignore: %v", path, err)
		}
		c.ignore = append(c.ignore, re)
	}
	return c, nil
}

// globRegexp turns a slash-separated glob into a regexp matching a path
// relative to the configuration's folder, or any path below it.
func globRegexp(pat string) (*regexp.Regexp, error) {
	p := strings.TrimPrefix(filepath.ToSlash(strings.TrimSpace(pat)), "./")
	p = strings.TrimSuffix(p, "/")
	if p == "" || strings.HasPrefix(p, "/") || strings.Contains(p, "..") {
		return nil, fmt.Errorf("pattern %q must be a relative path inside the configuration's folder", pat)
	}
	var b strings.Builder
	b.WriteString("^")
	for i := 0; i < len(p); i++ {
		switch c := p[i]; c {
		case '*':
			if i+1 < len(p) && p[i+1] == '*' {
				i++
				if i+1 < len(p) && p[i+1] == '/' {
					i++
					b.WriteString("(?:.*/)?") // **/ : any folders, or none
				} else {
					b.WriteString(".*")
				}
			} else {
				b.WriteString("[^/]*")
			}
		case '?':
			b.WriteString("[^/]")
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	b.WriteString("(?:/.*)?$")
	return regexp.Compile(b.String())
}

// Ignored reports whether the configuration's ignore patterns cover file.
func (c *Config) Ignored(file string) bool {
	if c == nil || len(c.ignore) == 0 {
		return false
	}
	abs, err := filepath.Abs(file)
	if err != nil {
		return false
	}
	rel, err := filepath.Rel(c.Dir, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return false
	}
	rel = filepath.ToSlash(rel)
	for _, re := range c.ignore {
		if re.MatchString(rel) {
			return true
		}
	}
	return false
}

// Selection is which rules run and with what severity: the configuration
// file's settings, then the command line's --disable and --enable on top.
type Selection struct {
	Rules    []Rule
	Severity map[string]Severity
}

// Select applies cfg (may be nil), then disable, then enable (rule IDs or
// names), to every rule.
func Select(cfg *Config, disable, enable []string) (Selection, error) {
	off := map[string]bool{}
	sel := Selection{Severity: map[string]Severity{}}
	if cfg != nil {
		ids := make([]string, 0, len(cfg.Rules))
		for id := range cfg.Rules {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for _, id := range ids {
			switch cfg.Rules[id] {
			case "off":
				off[id] = true
			case "warning":
				sel.Severity[id] = SeverityWarning
			case "error":
				sel.Severity[id] = SeverityError
			}
		}
	}
	resolve := func(flag string, keys []string, set bool) error {
		for _, key := range keys {
			r, ok := RuleByID(strings.TrimSpace(key))
			if !ok {
				return fmt.Errorf("%s %s: no such rule; bgtask lint --list-rules lists them", flag, key)
			}
			off[r.Info().ID] = set
		}
		return nil
	}
	if err := resolve("--disable", disable, true); err != nil {
		return Selection{}, err
	}
	if err := resolve("--enable", enable, false); err != nil {
		return Selection{}, err
	}
	for _, r := range Rules() {
		if !off[r.Info().ID] {
			sel.Rules = append(sel.Rules, r)
		}
	}
	return sel, nil
}
