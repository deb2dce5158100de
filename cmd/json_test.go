package cmd

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
)

// jsonOutput is one run of a command whose JSON output docs/json.md
// documents. The test runs it in a fresh temporary folder holding the seed
// manifest as Package.appxmanifest (the default --manifest), after setup,
// and checks its standard output against the field table of the section
// named doc.
type jsonOutput struct {
	doc   string             // the section heading in docs/json.md, without backticks
	setup func(t *testing.T) // nil: an empty registry
	args  []string           // $TESTDATA is the repository's testdata folder; $PYTHON is python3 (skipped without it)
	code  int                // the expected exit code
}

// jsonOutputs are the runs checked against docs/json.md. To cover another
// command, add one line.
var jsonOutputs = []jsonOutput{
	{doc: "bgtask tasks --json", args: []string{"tasks", "--json"}},
	{doc: "bgtask tasks --json", setup: twoRegistrations, args: []string{"tasks", "--json"}},
	{doc: "bgtask register --json", args: []string{"register", "--name", "RawPush", "--entry-point", "Tasks.ExampleBackgroundTask", "--trigger", "push", "--condition", "InternetAvailable", "--json"}},
	{doc: "bgtask register --json", setup: twoRegistrations, args: []string{"register", "--name", "RawPush", "--entry-point", "Tasks.ExampleBackgroundTask", "--trigger", "push", "--condition", "InternetAvailable", "--plugin", "bin/task", "--json"}},
	{doc: "bgtask register --json", setup: twoRegistrations, args: []string{"register", "--name", "RawPush", "--entry-point", "Tasks.ExampleBackgroundTask", "--trigger", "push", "--plugin", "bin/other", "--replace", "--json"}},
	{doc: "bgtask register --json", args: []string{"register", "--no-manifest-check", "--name", "Sync", "--entry-point", "Tasks.Sync", "--trigger", "timer:30:oneshot", "--json"}},
	{doc: "bgtask unregister --json", setup: twoRegistrations, args: []string{"unregister", "RawPush", "--json"}},
	{doc: "bgtask unregister --json", setup: twoRegistrations, args: []string{"unregister", "Sync", "--cancel", "--json"}},
	{doc: "bgtask manifest list --json", args: []string{"manifest", "list", "--json"}},
	{doc: "bgtask manifest list --json", args: []string{"--manifest", "$TESTDATA/manifests/prefixed.appxmanifest", "manifest", "list", "--json"}},
	{doc: "bgtask lint --format json", args: []string{"lint", "--format", "json", "$TESTDATA/lint/entry-point-identifier"}, code: ExitFailure},
	{doc: "bgtask lint --list-rules --format json", args: []string{"lint", "--list-rules", "--format", "json"}},
	{doc: "bgtask plugin check --json", args: []string{"plugin", "check", "--json", "--entry-point", "Tasks.PyEcho", "$PYTHON", "--", "-u", "$TESTDATA/plugins/python/task.py"}},
	{doc: "bgtask plugin run --json", args: []string{"plugin", "run", "--json", "--entry-point", "Tasks.PyEcho", "--payload", "hi", "$PYTHON", "--", "-u", "$TESTDATA/plugins/python/task.py"}},
	{doc: "bgtask plugin run --json", args: []string{"plugin", "run", "--json", "--entry-point", "Tasks.PyFail", "$PYTHON", "--", "-u", "$TESTDATA/plugins/python/task.py"}, code: ExitFailure},
	{doc: "bgtask channel new --json", args: []string{"channel", "new", "--json"}},
	{doc: "bgtask channel list --json", args: []string{"channel", "list", "--json"}},
	{doc: "bgtask channel list --json", setup: twoChannels, args: []string{"channel", "list", "--json"}},
	{doc: "bgtask push --json", args: []string{"push", "--payload", "hi", "--json"}, code: ExitNotDelivered},
	{doc: "bgtask push --json", setup: pythonPushRegistrations, args: []string{"push", "--payload", "hi", "--header", "X-Order=42", "--channel-id", "ch",
		"--state", "InternetAvailable=false", "--lose-condition", "UserPresent", "--after", "1h", "--policy", "windows81", "--json"}},
	{doc: "bgtask push --json", setup: pythonPushRegistrations, args: []string{"push", "--payload", "hi", "--app-state", "foreground", "--foreground-cancel", "--json"}},
	{doc: "bgtask push --json", setup: pythonPushRegistrations, args: []string{"trigger", "PyFail", "--json"}, code: ExitFailure},
}

// jsonDocsNotRun are docs/json.md sections of commands that no entry of
// jsonOutputs runs, and why.
var jsonDocsNotRun = map[string]string{
	"bgtask push --to URI --json": "needs a running serve; TestPushToServe checks its output against the table",
	"bgtask serve --json":         "a stream of JSON lines, not one document; TestServeJSONEventsFollowDocs checks every line against the table",
	"bgtask lint --format sarif":  "SARIF's own schema, not a field table; pkg/lint validates it against the OASIS schema",
}

// twoRegistrations registers RawPush (push, InternetAvailable, a plugin)
// and Sync (a timer, no manifest check).
func twoRegistrations(t *testing.T) {
	t.Helper()
	mustExecute(t, "register", "--name", "RawPush", "--entry-point", "Tasks.ExampleBackgroundTask", "--trigger", "push", "--condition", "InternetAvailable", "--plugin", "bin/task")
	mustExecute(t, "register", "--no-manifest-check", "--name", "Sync", "--entry-point", "Tasks.Sync", "--trigger", "timer:30", "--cancel-on-condition-loss", "--condition", "UserPresent")
}

// pythonTaskPath is resolved before the tests change folder.
var pythonTaskPath = mustAbs("../testdata/plugins/python/task.py")

// pythonPushRegistrations registers the Python plugin's tasks: PyEcho
// (push), Offline (push, waiting for InternetAvailable) and PyFail (an
// application trigger).
func pythonPushRegistrations(t *testing.T) {
	t.Helper()
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not installed")
	}
	plugin := []string{"--plugin", python, "--", "-u", pythonTaskPath}
	mustExecute(t, append([]string{"register", "--no-manifest-check", "--name", "PyEcho", "--entry-point", "Tasks.PyEcho", "--trigger", "push"}, plugin...)...)
	mustExecute(t, append([]string{"register", "--no-manifest-check", "--name", "Offline", "--entry-point", "Tasks.PyEcho", "--trigger", "push", "--condition", "InternetAvailable"}, plugin...)...)
	mustExecute(t, append([]string{"register", "--no-manifest-check", "--name", "PyFail", "--entry-point", "Tasks.PyFail", "--trigger", "application"}, plugin...)...)
}

func mustExecute(t *testing.T, args ...string) {
	t.Helper()
	io, _, _, errOut := TestIO()
	if code := Execute(context.Background(), io, args); code != ExitOK {
		t.Fatalf("bgtask %s: exit %d: %s", strings.Join(args, " "), code, errOut)
	}
}

// TestJSONOutputsFollowDocs runs every entry of jsonOutputs and checks its
// output against docs/json.md: valid JSON, "version": 1 its first member,
// every field the doc marks always present, every field of the documented
// type, and no field the doc does not list.
func TestJSONOutputsFollowDocs(t *testing.T) {
	doc := readJSONDoc(t)
	seed, err := os.ReadFile(mustAbs("../testdata/seed/Package.appxmanifest"))
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range jsonOutputs {
		t.Run(fmt.Sprintf("%d %s", i, c.doc), func(t *testing.T) {
			sec, ok := doc.sections[c.doc]
			if !ok {
				t.Fatalf("docs/json.md has no section %q", c.doc)
			}
			args := expandJSONArgs(t, c.args)
			t.Chdir(t.TempDir())
			writeFile(t, "Package.appxmanifest", string(seed))
			if c.setup != nil {
				c.setup(t)
			}
			io, _, out, errOut := TestIO()
			if code := Execute(context.Background(), io, args); code != c.code {
				t.Fatalf("bgtask %s: exit %d, want %d; stderr:\n%s", strings.Join(args, " "), code, c.code, errOut)
			}
			for _, e := range doc.check(sec, out.Bytes()) {
				t.Errorf("bgtask %s: %s", strings.Join(args, " "), e)
			}
			if t.Failed() {
				t.Logf("stdout:\n%s", out)
			}
		})
	}
}

// TestJSONDocExamples checks every example in docs/json.md against its own
// section's table, so an example cannot drift from the table either.
func TestJSONDocExamples(t *testing.T) {
	doc := readJSONDoc(t)
	for _, name := range doc.order {
		sec := doc.sections[name]
		if len(sec.rows) == 0 || !strings.HasPrefix(name, "bgtask ") {
			continue
		}
		if sec.example == "" {
			t.Errorf("docs/json.md %q: a field table without an example", name)
			continue
		}
		for _, e := range doc.check(sec, []byte(sec.example)) {
			t.Errorf("docs/json.md %q example: %s", name, e)
		}
	}
}

// TestJSONDocsEveryCommandRun: every command section of docs/json.md is
// run by jsonOutputs or says in jsonDocsNotRun why not, and the tables
// themselves are well formed.
func TestJSONDocsEveryCommandRun(t *testing.T) {
	doc := readJSONDoc(t)
	for _, e := range doc.errs {
		t.Error(e)
	}
	for _, name := range doc.order {
		if !strings.HasPrefix(name, "bgtask ") {
			continue
		}
		run := slices.ContainsFunc(jsonOutputs, func(c jsonOutput) bool { return c.doc == name })
		_, excused := jsonDocsNotRun[name]
		if !run && !excused {
			t.Errorf("docs/json.md documents %q, but no entry of jsonOutputs runs it", name)
		}
	}
}

func expandJSONArgs(t *testing.T, args []string) []string {
	t.Helper()
	out := make([]string, len(args))
	for i, a := range args {
		if strings.Contains(a, "$PYTHON") {
			python, err := exec.LookPath("python3")
			if err != nil {
				t.Skip("python3 is not installed")
			}
			a = strings.ReplaceAll(a, "$PYTHON", python)
		}
		out[i] = strings.ReplaceAll(a, "$TESTDATA", mustAbs("../testdata"))
	}
	return out
}

// jsonDoc is docs/json.md read as data.
type jsonDoc struct {
	sections map[string]*jsonSection // by heading, backticks removed
	anchors  map[string]string       // GitHub anchor -> heading
	order    []string
	errs     []string // malformed tables
}

type jsonSection struct {
	rows    []jsonField
	example string // the first ```json block
}

// jsonField is one row of a field table.
type jsonField struct {
	path   string // tasks[].name
	typ    string // as written, links kept
	always bool
}

var (
	mdLink     = regexp.MustCompile(`\[([^\]]*)\]\(#([^)]*)\)`)
	anchorDrop = regexp.MustCompile(`[^a-z0-9 _-]`)
)

func readJSONDoc(t *testing.T) *jsonDoc {
	t.Helper()
	data, err := os.ReadFile(mustAbs("../docs/json.md"))
	if err != nil {
		t.Fatal(err)
	}
	return parseJSONDoc(data)
}

func parseJSONDoc(data []byte) *jsonDoc {
	d := &jsonDoc{sections: map[string]*jsonSection{}, anchors: map[string]string{}}
	var cur *jsonSection
	var curName string
	var inJSON, inOther bool
	var block strings.Builder
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case inJSON:
			if line == "```" {
				inJSON = false
				if cur != nil && cur.example == "" {
					cur.example = block.String()
				}
				continue
			}
			block.WriteString(line + "\n")
			continue
		case inOther:
			inOther = line != "```"
			continue
		case line == "```json":
			inJSON = true
			block.Reset()
			continue
		case strings.HasPrefix(line, "```"):
			inOther = true
			continue
		case strings.HasPrefix(line, "#"):
			curName = strings.ReplaceAll(strings.TrimSpace(strings.TrimLeft(line, "#")), "`", "")
			cur = &jsonSection{}
			d.sections[curName] = cur
			d.order = append(d.order, curName)
			anchor := strings.ReplaceAll(anchorDrop.ReplaceAllString(strings.ToLower(curName), ""), " ", "-")
			d.anchors[anchor] = curName
			continue
		}
		if cur == nil || !strings.HasPrefix(line, "| `") {
			continue
		}
		cells := strings.Split(strings.Trim(line, "|"), " | ")
		if len(cells) != 4 {
			continue // a table of another shape (the index)
		}
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		name := cells[0]
		if strings.Count(name, "`") != 2 || !strings.HasPrefix(name, "`") || !strings.HasSuffix(name, "`") {
			d.errs = append(d.errs, fmt.Sprintf("docs/json.md:%d: one field per row, as `path`: %q", n, name))
			continue
		}
		presence := cells[2]
		if presence != "always" && presence != "optional" {
			d.errs = append(d.errs, fmt.Sprintf("docs/json.md:%d: presence is always or optional, not %q", n, presence))
			continue
		}
		cur.rows = append(cur.rows, jsonField{
			path:   strings.Trim(name, "`"),
			typ:    cells[1],
			always: presence == "always",
		})
	}
	// Every link in a type cell must lead to a section with a table.
	for _, name := range d.order {
		for _, f := range d.sections[name].rows {
			if m := mdLink.FindStringSubmatch(f.typ); m != nil {
				if target, ok := d.anchors[m[2]]; !ok || len(d.sections[target].rows) == 0 {
					d.errs = append(d.errs, fmt.Sprintf("docs/json.md %q: %s links to #%s, which has no field table", name, f.path, m[2]))
				}
			}
		}
	}
	return d
}

// fields returns sec's rows with linked object tables expanded in place:
// `tasks` of type "array of [registration](#the-registration-object)"
// yields tasks, tasks[].taskId, tasks[].name, ...
func (d *jsonDoc) fields(sec *jsonSection, depth int) []jsonField {
	var out []jsonField
	for _, f := range sec.rows {
		m := mdLink.FindStringSubmatch(f.typ)
		if m == nil {
			out = append(out, f)
			continue
		}
		array := strings.HasPrefix(f.typ, "array of ")
		parent := f
		parent.typ = "object"
		prefix := f.path + "."
		if array {
			parent.typ = "array of object"
			prefix = f.path + "[]."
		}
		out = append(out, parent)
		target, ok := d.sections[d.anchors[m[2]]]
		if !ok || depth > 8 {
			continue
		}
		for _, sub := range d.fields(target, depth+1) {
			sub.path = prefix + sub.path
			out = append(out, sub)
		}
	}
	return out
}

// check returns every way data breaks the promise of sec.
func (d *jsonDoc) check(sec *jsonSection, data []byte) []string {
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		return []string{fmt.Sprintf("not valid JSON: %v", err)}
	}
	var errs []string
	if err := versionFirst(data); err != nil {
		errs = append(errs, err.Error())
	}
	fields := d.fields(sec, 0)
	byPath := map[string]jsonField{}
	for _, f := range fields {
		byPath[f.path] = f
	}
	for _, f := range fields {
		required := func(path string) bool {
			g, ok := byPath[path]
			return !ok || g.always
		}
		errs = append(errs, checkPath(v, strings.Split(f.path, "."), "", required, f.typ)...)
	}
	var paths []string
	collectPaths(v, "", &paths)
	for _, p := range paths {
		if _, ok := byPath[p]; !ok {
			errs = append(errs, fmt.Sprintf("field %s is not in docs/json.md", p))
		}
	}
	sort.Strings(errs)
	return slices.Compact(errs)
}

// versionFirst checks that the document is an object whose first member is
// "version": 1.
func versionFirst(data []byte) error {
	if name := firstMember(data); name != "version" {
		return fmt.Errorf(`the first member is %q, want "version"`, name)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	_, _ = dec.Token()
	_, _ = dec.Token()
	if tok, err := dec.Token(); err != nil || tok != float64(1) {
		return fmt.Errorf(`"version" is %v, want 1`, tok)
	}
	return nil
}

func firstMember(data []byte) string {
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return ""
	}
	tok, _ := dec.Token()
	name, _ := tok.(string)
	return name
}

// checkPath follows segs (a field path split at dots; "tasks[]" steps
// into every element) from v. A missing member is an error when required
// says its path is; a value found is checked against typ.
func checkPath(v any, segs []string, prefix string, required func(string) bool, typ string) []string {
	if len(segs) == 0 {
		if err := checkType(v, typ); err != nil {
			return []string{fmt.Sprintf("%s: %v", strings.TrimSuffix(prefix, "."), err)}
		}
		return nil
	}
	name, each := strings.CutSuffix(segs[0], "[]")
	path := prefix + name
	obj, ok := v.(map[string]any)
	if !ok {
		return nil // the parent's own row reports its type
	}
	child, present := obj[name]
	if !present {
		if required(path) {
			return []string{fmt.Sprintf("%s is missing; docs/json.md says it is always present", path)}
		}
		return nil
	}
	if !each {
		return checkPath(child, segs[1:], path+".", required, typ)
	}
	arr, ok := child.([]any)
	if !ok {
		return nil
	}
	var errs []string
	for _, el := range arr {
		errs = append(errs, checkPath(el, segs[1:], path+"[].", required, typ)...)
	}
	return errs
}

func checkType(v any, typ string) error {
	typ = mdLink.ReplaceAllString(typ, "object")
	if elem, isArray := strings.CutPrefix(typ, "array of "); isArray {
		arr, ok := v.([]any)
		if !ok {
			return fmt.Errorf("%s is not an array (%s)", jsonText(v), typ)
		}
		for i, el := range arr {
			if err := checkType(el, elem); err != nil {
				return fmt.Errorf("element %d: %w", i, err)
			}
		}
		return nil
	}
	ok := false
	switch typ {
	case "string":
		_, ok = v.(string)
	case "boolean":
		_, ok = v.(bool)
	case "number":
		_, ok = v.(float64)
	case "integer":
		f, isNum := v.(float64)
		ok = isNum && f == math.Trunc(f)
	case "object":
		_, ok = v.(map[string]any)
	default:
		return fmt.Errorf("docs/json.md type %q is not one of string, integer, number, boolean, object, array of ...", typ)
	}
	if !ok {
		return fmt.Errorf("%s is not of type %s", jsonText(v), typ)
	}
	return nil
}

// collectPaths lists the path of every member of every object in v, in the
// notation of the doc's tables.
func collectPaths(v any, prefix string, out *[]string) {
	switch v := v.(type) {
	case map[string]any:
		for k, child := range v {
			path := prefix + k
			*out = append(*out, path)
			if _, isArray := child.([]any); isArray {
				collectPaths(child, path+"[]", out)
			} else {
				collectPaths(child, path+".", out)
			}
		}
	case []any:
		for _, el := range v {
			collectPaths(el, prefix+".", out)
		}
	}
}

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	if len(b) > 60 {
		return string(b[:60]) + "..."
	}
	return string(b)
}
