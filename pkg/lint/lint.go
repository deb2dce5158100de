// Package lint checks Windows app manifests for background-task mistakes
// before they reach a device: it is what `bgtask lint` runs in CI.
//
// Each rule lives in its own rule_*.go file on a shared base (rule.go) and
// has a stable ID (BT001...) that never changes meaning. A Linter runs every
// rule over one manifest and returns positioned findings; the format_*.go
// files write them as text, JSON, SARIF 2.1.0 or GitHub workflow commands.
// Cross-checks against the task registry and plugins run when a Project is
// given.
package lint

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/bgtask/bgtask/pkg/manifest"
)

// Severity says whether a finding fails the build (error) or only informs
// (warning, which fails only under --strict).
type Severity int

const (
	SeverityWarning Severity = iota + 1
	SeverityError
)

func (s Severity) String() string {
	switch s {
	case SeverityError:
		return "error"
	case SeverityWarning:
		return "warning"
	}
	return "unknown"
}

// MarshalJSON writes the severity as "error" or "warning".
func (s Severity) MarshalJSON() ([]byte, error) { return json.Marshal(s.String()) }

// UnmarshalJSON reads "error" or "warning".
func (s *Severity) UnmarshalJSON(b []byte) error {
	var v string
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	switch v {
	case "error":
		*s = SeverityError
	case "warning":
		*s = SeverityWarning
	default:
		return fmt.Errorf("unknown severity %q", v)
	}
	return nil
}

// Finding is one problem at a 1-based line and column of a file. Columns
// count bytes from the start of the line, as manifest.Pos does.
type Finding struct {
	RuleID   string   `json:"rule"`
	Severity Severity `json:"severity"`
	Path     string   `json:"path"`
	Line     int      `json:"line"`
	Col      int      `json:"col"`
	Message  string   `json:"message"`

	// utf16Col is Col counted in UTF-16 code units, the unit of SARIF
	// (its default columnKind) and of GitHub's annotations; 0 when unknown.
	utf16Col int
}

// ColumnUTF16 is the finding's column counted in UTF-16 code units instead
// of bytes: the same number unless non-ASCII text precedes the position on
// its line. SARIF and the github format write it.
func (f Finding) ColumnUTF16() int {
	if f.utf16Col > 0 {
		return f.utf16Col
	}
	return f.Col
}

// utf16Column converts the 1-based byte column col of line (1-based) in
// data to UTF-16 code units. Columns do not count a leading UTF-8 BOM, as
// manifest.Pos does not; bytes that are not UTF-8 count as one unit each.
func utf16Column(data []byte, line, col int) int {
	var ix columnIndex
	return ix.utf16(data, line, col)
}

// columnIndex converts columns of one file for many findings in time that
// grows with the file, not with the file times the findings: a hostile
// manifest of 80,000 findings took 22 s when each conversion counted the
// lines from the start of the file. The lines' starts are found once, and
// a conversion further along the same line as the one before goes on from
// where that one stopped (rules report in document order), so a file on
// one line costs no more. A file with no byte above 0x7F is all one-unit
// characters and needs no counting at all.
type columnIndex struct {
	data       []byte
	checked    bool // ascii is known
	ascii      bool
	lineStarts []int // offset of each line's first byte; [0] is after a BOM

	// The last conversion: its line and the offset and units reached.
	curLine, curOff, curUnits int
}

func (ix *columnIndex) utf16(data []byte, line, col int) int {
	if !ix.checked || !sameBytes(ix.data, data) {
		*ix = columnIndex{data: data, checked: true, ascii: isASCII(data)}
	}
	if ix.ascii {
		return col
	}
	if ix.lineStarts == nil {
		first := 0
		if bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) {
			first = 3
		}
		ix.lineStarts = append(make([]int, 0, bytes.Count(data, []byte("\n"))+1), first)
		for i, b := range data {
			if b == '\n' {
				ix.lineStarts = append(ix.lineStarts, i+1)
			}
		}
	}
	if line > len(ix.lineStarts) {
		return col
	}
	start := ix.lineStarts[line-1]
	target := start + col - 1
	end := min(target, len(data))
	off, units := start, 0
	if ix.curLine == line && ix.curOff <= end && ix.curOff >= start {
		off, units = ix.curOff, ix.curUnits
	}
	// Whole characters up to the column: where they end is a place the
	// next conversion can go on from.
	for off < end {
		r, size := utf8.DecodeRune(data[off:]) // an invalid byte is RuneError, one unit
		if off+size > end {
			break
		}
		units += utf16.RuneLen(r)
		off += size
	}
	ix.curLine, ix.curOff, ix.curUnits = line, off, units
	// A character the column cuts counts as its bytes, each one unit.
	return units + (end - off) + 1 + max(0, target-len(data))
}

// sameBytes says whether a and b are the same slice of the same memory.
func sameBytes(a, b []byte) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}

func isASCII(data []byte) bool {
	for _, b := range data {
		if b >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// SortFindings orders findings by path, line, column, then rule, so output
// is stable whatever order the rules ran in.
func SortFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Col != b.Col {
			return a.Col < b.Col
		}
		if a.RuleID != b.RuleID {
			return a.RuleID < b.RuleID
		}
		return a.Message < b.Message
	})
}

// Count returns how many findings have each severity.
func Count(fs []Finding) (errs, warnings int) {
	for _, f := range fs {
		if f.Severity == SeverityError {
			errs++
		} else {
			warnings++
		}
	}
	return errs, warnings
}

// Linter runs a set of rules. Its only state between calls is a cache of
// folder listings, safe for concurrent use, so one Linter may lint many
// files, from several goroutines.
type Linter struct {
	rules []Rule
	// infos are the rules' Info, read once: a RuleInfo is a dozen strings.
	infos    []RuleInfo
	projects []*Project
	// severity overrides rules' own severities (a lint configuration).
	severity map[string]Severity
	// dirs caches folder listings for the asset rule (BT013), checked
	// against the folder's modification time on every use.
	dirs *dirCache
}

// Option configures a Linter.
type Option func(*Linter)

// WithRules replaces the default rule set (every rule in Rules()).
func WithRules(rules ...Rule) Option { return func(l *Linter) { l.rules = rules } }

// WithSeverity reports the findings of each rule ID in sev with that
// severity instead of the rule's own.
func WithSeverity(sev map[string]Severity) Option { return func(l *Linter) { l.severity = sev } }

// WithProject enables the registry and plugin cross-checks of p's manifest
// against p's registry. Given several times, each manifest is cross-checked
// against its own project's registry.
func WithProject(p *Project) Option { return func(l *Linter) { l.projects = append(l.projects, p) } }

// projectFor is the project whose manifest is the file at displayPath.
func (l *Linter) projectFor(displayPath string) *Project {
	for _, p := range l.projects {
		if p != nil && sameDisplayPath(p.ManifestPath, displayPath) {
			return p
		}
	}
	return nil
}

// New returns a Linter with every rule, configured by opts.
func New(opts ...Option) *Linter {
	l := &Linter{rules: Rules(), dirs: newDirCache()}
	for _, o := range opts {
		o(l)
	}
	for _, r := range l.rules {
		l.infos = append(l.infos, r.Info())
	}
	return l
}

// LintFile reads and lints the manifest at fsPath, reporting it as
// displayPath. An error means the file could not be read at all, and names
// it by displayPath too ("src/Package.appxmanifest: permission denied"); a
// file that is not well-formed XML is a finding, not an error.
func (l *Linter) LintFile(displayPath, fsPath string) ([]Finding, error) {
	buf := readBuffers.Get().(*[]byte)
	data, err := readRegular(fsPath, *buf)
	if err != nil {
		readBuffers.Put(buf)
		return nil, fmt.Errorf("%s: %w", displayPath, unwrapPathError(err))
	}
	findings := l.Lint(Source{Path: displayPath, Dir: filepath.Dir(fsPath), Data: data})
	// The bytes are free again: findings hold strings, never slices of them,
	// and the parsed document, which does, is dropped.
	if cap(data) <= maxPooledRead {
		*buf = data[:0]
		readBuffers.Put(buf)
	}
	return findings, nil
}

// readBuffers hold the bytes of a file while it is linted, reused for the
// next: a repository of many manifests would otherwise take fresh memory
// (and page faults) for every one.
var readBuffers = sync.Pool{New: func() any { return new([]byte) }}

// maxPooledRead keeps the buffer of an unusually large file out of the pool.
const maxPooledRead = 1 << 20

// FileResult is what LintFiles found in one file: its findings, or Err
// when the file could not be read (as LintFile reports it).
type FileResult struct {
	Findings []Finding
	Err      error
}

// LintFiles lints the files at fsPaths, naming each by the displayPaths
// entry of the same index, on as many goroutines as Go may run at once
// (GOMAXPROCS, the cores): linting a repository of many apps is bound by
// parsing, which is independent per file. Results are in the order given.
func (l *Linter) LintFiles(displayPaths, fsPaths []string) []FileResult {
	results := make([]FileResult, len(fsPaths))
	forEach(len(fsPaths), func(i int) {
		results[i].Findings, results[i].Err = l.LintFile(displayPaths[i], fsPaths[i])
	})
	return results
}

// forEach calls fn(i) for every i in [0, n), on as many goroutines as Go may
// run at once (GOMAXPROCS, the cores), taking the next i as each call ends.
func forEach(n int, fn func(i int)) {
	var next atomic.Int64
	work := func() {
		for {
			i := int(next.Add(1)) - 1
			if i >= n {
				return
			}
			fn(i)
		}
	}
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), n) - 1 {
		wg.Go(work)
	}
	work()
	wg.Wait()
}

// Source is one manifest to lint.
type Source struct {
	// Path is how findings name the file (relative to the working folder).
	Path string
	// Dir is the folder the manifest sits in on disk, for the rules that
	// look for referenced files; empty disables them.
	Dir  string
	Data []byte
	// Doc is Data already parsed, or nil to have Lint parse it: a caller
	// that holds the document (manifest add) need not parse it again.
	Doc *manifest.Document
}

// Lint runs every rule over src and returns its findings, sorted.
func (l *Linter) Lint(src Source) []Finding {
	f := &File{Path: src.Path, Dir: src.Dir, Data: src.Data, Project: l.projectFor(src.Path), dirs: l.dirs}
	doc, err := src.Doc, error(nil)
	if doc == nil {
		doc, err = manifest.Parse(src.Path, src.Data)
	}
	if err != nil || doc == nil {
		f.ParseErr = err
		if f.ParseErr == nil {
			f.ParseErr = errors.New("manifest could not be parsed")
		}
	} else {
		f.Doc = doc
	}
	var findings []Finding
	p := &Pass{File: f, findings: &findings} // one for every rule: a rule keeps no Pass
	for i, r := range l.rules {
		p.info = &l.infos[i]
		if f.Doc == nil && !p.info.checksMalformed {
			continue
		}
		runRule(r, p)
	}
	findings = l.applySuppressions(f, findings)
	if len(l.severity) > 0 {
		for i := range findings {
			if sev, ok := l.severity[findings[i].RuleID]; ok {
				findings[i].Severity = sev
			}
		}
	}
	SortFindings(findings)
	return findings
}

// runRule runs one rule, turning a panic into a finding: a linter that
// crashes on a strange manifest fails a CI run for the wrong reason.
func runRule(r Rule, p *Pass) {
	defer func() {
		if v := recover(); v != nil {
			*p.findings = append(*p.findings, Finding{
				RuleID:   p.info.ID,
				Severity: SeverityError,
				Path:     p.File.Path,
				Line:     1,
				Col:      1,
				Message:  fmt.Sprintf("internal error in rule %s (%s): %v; please report this with the manifest", p.info.ID, p.info.Name, v),
			})
		}
	}()
	r.Check(p)
}
