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
	"strconv"
	"strings"

	"github.com/bgtask/bgtask/internal/fsutil"
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
	// Opened without waiting: a FIFO or device found as .bgtask-lint.json
	// must not stop lint (a FIFO's open would block until a writer came).
	data, err := fsutil.ReadRegular(path, 1<<20)
	if err != nil {
		var notRegular *fsutil.NotRegularError
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return nil, fmt.Errorf("%s: no such file", path)
		case errors.As(err, &notRegular):
			return nil, fmt.Errorf("%s: %s; a lint configuration is a JSON file", path, fsutil.DescribeNotRegular(notRegular.Mode))
		}
		return nil, fmt.Errorf("%s: %v", path, unwrapPathError(err))
	}
	if len(data) > 1<<20 {
		return nil, fmt.Errorf("%s: over 1 MiB; a lint configuration is a few lines", path)
	}
	return parseConfig(path, data)
}

// parseConfig checks a configuration file's bytes (LoadConfig).
func parseConfig(path string, data []byte) (*Config, error) {
	var cf configFile
	body := bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&cf); err != nil {
		return nil, configDecodeError(path, body, err)
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

// configFieldShapes says what each member holds, for a value of the wrong
// JSON type (encoding/json would name Go's types instead).
var configFieldShapes = map[string]string{
	"version": `"version" must be the number 1`,
	"rules":   `"rules" maps rule IDs or names to "off", "on", "warning" or "error"`,
	"ignore":  `"ignore" is a list of path patterns, each a string`,
}

// configDocs is where a user reads what the file may hold.
const configDocs = `(see docs/lint.md, "Silencing findings")`

// configDecodeError places a decoding failure at its line and column, as
// every other file bgtask reads is placed: encoding/json gives an offset for
// syntax and type errors, and none for an unknown field, whose name is then
// found among the top-level members. body is the file without its
// byte-order mark, which columns do not count (as in manifests).
func configDecodeError(path string, body []byte, err error) error {
	at := int64(-1)
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		at = syn.Offset - 1 // just past the bad byte
	case errors.As(err, &typ):
		at = valueStart(body, typ.Offset)
		top, _, _ := strings.Cut(typ.Field, ".")
		if want, ok := configFieldShapes[top]; ok {
			article := "a"
			if strings.ContainsRune("aeiou", rune(typ.Value[0])) {
				article = "an"
			}
			err = fmt.Errorf("%s, not %s %s here", want, article, typ.Value)
		}
	default:
		if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
			if unq, uerr := strconv.Unquote(name); uerr == nil {
				at = memberOffset(body, unq)
				err = fmt.Errorf("unknown field %q; a configuration has \"version\", \"rules\" and \"ignore\"", unq)
			}
		}
	}
	if at < 0 || at > int64(len(body)) {
		return fmt.Errorf("%s: %v %s", path, err, configDocs)
	}
	line, col := 1, 1
	for _, b := range body[:at] {
		if b == '\n' {
			line, col = line+1, 1
		} else if b&0xC0 != 0x80 { // a character, not a UTF-8 continuation byte
			col++
		}
	}
	return fmt.Errorf("%s:%d:%d: %v %s", path, line, col, err, configDocs)
}

// valueStart is where the value ending at end (a type error's offset)
// begins: its opening quote, or the first character of a number or literal.
func valueStart(body []byte, end int64) int64 {
	if end <= 0 || end > int64(len(body)) {
		return -1
	}
	i := end - 1
	if body[i] == '"' {
		for j := i - 1; j >= 0; j-- {
			if body[j] == '"' {
				backslashes := 0
				for k := j - 1; k >= 0 && body[k] == '\\'; k-- {
					backslashes++
				}
				if backslashes%2 == 0 {
					return j
				}
			}
		}
		return i
	}
	for i > 0 && strings.IndexByte("0123456789+-.eEtruefalsn", body[i-1]) >= 0 {
		i--
	}
	return i
}

// memberOffset is the offset of the top-level member name in body, a JSON
// object that decoded up to an unknown field; -1 when it is not found.
func memberOffset(body []byte, name string) int64 {
	dec := json.NewDecoder(bytes.NewReader(body))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return -1
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return -1
		}
		if key, ok := tok.(string); ok && key == name {
			// InputOffset is just past the name's closing quote.
			end := dec.InputOffset()
			start := bytes.LastIndexByte(body[:end-1], '"')
			return int64(start)
		}
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return -1
		}
	}
	return -1
}
