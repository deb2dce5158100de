package manifest

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	udiff "github.com/aymanbagabas/go-udiff"
	"github.com/beevik/etree"

	"github.com/bgtask/bgtask/internal/corpus"
)

// excerptManifest declares n tasks (Tasks.T0...) in one <Extensions>, a
// protocol extension among them and a comment after the middle one, and m more (Tasks.U0...) in
// a second application; m < 0 gives that one no <Extensions>.
func excerptManifest(n, m int) string {
	var b strings.Builder
	b.WriteString("\ufeff<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<Package xmlns=\"http://schemas.microsoft.com/appx/manifest/foundation/windows10\" xmlns:uap=\"http://schemas.microsoft.com/appx/manifest/uap/windows10\">\r\n  <Applications>\r\n")
	for app, count := range []int{n, m} {
		fmt.Fprintf(&b, "    <Application Id=\"App%d\" Executable=\"App.exe\" EntryPoint=\"A.App\">\r\n", app)
		if count < 0 {
			b.WriteString("    </Application>\r\n")
			continue
		}
		b.WriteString("      <Extensions>\r\n")
		for i := range count {
			if i == count/2 {
				b.WriteString("        <uap:Extension Category=\"windows.protocol\"><uap:Protocol Name=\"p\" /></uap:Extension>\r\n")
			}
			fmt.Fprintf(&b, "        <Extension Category=\"windows.backgroundTasks\" EntryPoint=\"Tasks.%c%d\">\r\n          <BackgroundTasks>\r\n            <Task Type=\"timer\" />\r\n          </BackgroundTasks>\r\n        </Extension>\r\n", 'T'+app, i)
			if i == count/2 {
				b.WriteString("        <!-- a <comment> -->\r\n")
			}
		}
		b.WriteString("      </Extensions>\r\n    </Application>\r\n")
	}
	b.WriteString("  </Applications>\r\n</Package>\r\n")
	return b.String()
}

// entryPoints lists the EntryPoint of every declaration of doc.
func entryPoints(doc *Document) []string {
	var eps []string
	for _, d := range doc.Declarations() {
		eps = append(eps, d.EntryPoint)
	}
	return eps
}

// An addition is checked and linted on an excerpt: the file without the
// other declarations of the list it edited (and the comments and text
// between them), before and after. The oracle is the whole result, parsed.
func TestAddExcerpt(t *testing.T) {
	doc := mustParse(t, excerptManifest(10, 3))
	for _, tc := range []struct {
		name string
		req  AddRequest
		// the declarations the excerpt keeps, after the edit
		want []string
		// the comments it keeps
		comments int
	}{
		{"new", AddRequest{Target: Target{App: "App0", EntryPoint: "Tasks.New"}, Types: []string{"pushNotification"}}, []string{"Tasks.New", "Tasks.U0", "Tasks.U1", "Tasks.U2"}, 1},
		{"merge", AddRequest{Target: Target{App: "App0", EntryPoint: "Tasks.T7"}, Types: []string{"general"}}, []string{"Tasks.T7", "Tasks.U0", "Tasks.U1", "Tasks.U2"}, 1},
		{"other app", AddRequest{Target: Target{App: "App1", EntryPoint: "Tasks.U1"}, Types: []string{"general"}}, []string{"Tasks.T0", "Tasks.T1", "Tasks.T2", "Tasks.T3", "Tasks.T4", "Tasks.T5", "Tasks.T6", "Tasks.T7", "Tasks.T8", "Tasks.T9", "Tasks.U1"}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := doc.Add(tc.req)
			if err != nil {
				t.Fatal(err)
			}
			full, err := Parse(doc.Path, res.Data)
			if err != nil {
				t.Fatalf("the result does not parse: %v", err)
			}
			x := res.Excerpt()
			if x == nil {
				t.Fatal("no excerpt")
			}
			if res.Doc != nil {
				t.Error("the whole result was parsed too")
			}
			// The excerpt is the edit: its after is its before with the same splice.
			if d := len(x.After) - len(x.Before); d != len(res.Data)-len(doc.Data) {
				t.Errorf("the excerpt grew by %d bytes, the file by %d", d, len(res.Data)-len(doc.Data))
			}
			if tc.want != nil {
				if got := entryPoints(x.AfterDoc); strings.Join(got, " ") != strings.Join(tc.want, " ") {
					t.Errorf("excerpt declares %v, want %v", got, tc.want)
				}
			}
			// A comment between two declarations left out goes with them.
			if n := bytes.Count(x.After, []byte("<comment>")); n != tc.comments {
				t.Errorf("%d comments in the excerpt, want %d", n, tc.comments)
			}
			if n := bytes.Count(x.After, []byte("windows.protocol")); n != 2 {
				t.Errorf("%d protocol extensions in the excerpt, want both", n)
			}
			// Every element of the excerpt is placed where the whole file has it.
			placed := map[string]Pos{}
			for _, d := range full.Declarations() {
				placed[d.EntryPoint] = d.Pos
				for _, task := range d.Tasks {
					placed[d.EntryPoint+"/"+task.Type] = task.Pos
				}
			}
			for _, d := range x.AfterDoc.Declarations() {
				for key, pos := range map[string]Pos{d.EntryPoint: d.Pos} {
					if got := x.ResultPos(pos.Line, pos.Col); got != placed[key] {
						t.Errorf("%s at %d:%d of the excerpt placed at %+v, the file has it at %+v", key, pos.Line, pos.Col, got, placed[key])
					}
				}
				for _, task := range d.Tasks {
					key := d.EntryPoint + "/" + task.Type
					if got := x.ResultPos(task.Pos.Line, task.Pos.Col); got != placed[key] {
						t.Errorf("%s placed at %+v, want %+v", key, got, placed[key])
					}
				}
			}
			for _, el := range []string{"Package", "Applications"} {
				pos := x.AfterDoc.PosOf(findElement(x.AfterDoc.Tree.Root(), el))
				if got, want := x.ResultPos(pos.Line, pos.Col), full.PosOf(findElement(full.Tree.Root(), el)); got != want {
					t.Errorf("<%s> placed at %+v, want %+v", el, got, want)
				}
			}
		})
	}
}

func findElement(el *etree.Element, tag string) *etree.Element {
	if el.Tag == tag {
		return el
	}
	for _, c := range el.ChildElements() {
		if f := findElement(c, tag); f != nil {
			return f
		}
	}
	return nil
}

// No excerpt where there is nothing to leave out, or for a removal (lint
// judges a removal on the whole file).
func TestNoExcerpt(t *testing.T) {
	one := mustParse(t, excerptManifest(1, -1))
	res, err := one.Add(AddRequest{Target: Target{App: "App0", EntryPoint: "Tasks.T0"}, Types: []string{"general"}})
	if err != nil || res.Excerpt() != nil || res.Doc == nil {
		t.Errorf("merge into the only declaration: excerpt %v, doc %v, err %v", res.Excerpt(), res.Doc, err)
	}
	many := mustParse(t, excerptManifest(5, -1))
	for name, edit := range map[string]func() (EditResult, error){
		"remove": func() (EditResult, error) {
			return many.Remove(RemoveRequest{Target: Target{App: "App0", EntryPoint: "Tasks.T2"}})
		},
		"unchanged": func() (EditResult, error) {
			return many.Add(AddRequest{Target: Target{App: "App0", EntryPoint: "Tasks.T2"}, Types: []string{"timer"}})
		},
		"new Extensions": func() (EditResult, error) {
			return many.Add(AddRequest{Target: Target{App: "App1", EntryPoint: "Tasks.X"}, Types: []string{"timer"}})
		},
	} {
		res, err := edit()
		if err != nil || res.Excerpt() != nil {
			t.Errorf("%s: excerpt %v, err %v", name, res.Excerpt(), err)
		}
	}
}

// The size limit holds for an addition checked on its excerpt: the whole
// file would pass it, so the edit is refused, as before.
func TestAddExcerptOverTheSizeLimit(t *testing.T) {
	src := excerptManifest(4, -1)
	end := strings.Index(src, "?>") + 2
	pad := MaxFileSize - len(src) - len("<!---->") - 10
	data := src[:end] + "<!--" + strings.Repeat("x", pad) + "-->" + src[end:]
	doc, err := Parse("Package.appxmanifest", []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	if x, ok := doc.excerpt(splice{Start: end, End: end}, doc.applicationExtensions(doc.Applications()[0]), nil); !ok || x == nil {
		t.Fatal("no excerpt: the test would not reach its check")
	}
	_, err = doc.Add(AddRequest{Target: Target{App: "App0", EntryPoint: "Tasks.New"}, Types: []string{"timer"}})
	if !errors.Is(err, ErrBadRequest) || !strings.Contains(err.Error(), "larger than 10 MiB") {
		t.Fatalf("err = %v, want the size refusal", err)
	}
}

// The start tags found in the bytes are the elements of the tree, in
// order, where the parser put them (its spans are the oracle), through
// comments, CDATA, processing instructions and '>' in attribute values.
func TestStartTagsAreTheElements(t *testing.T) {
	sources := []string{
		excerptManifest(3, 2),
		`<?xml version="1.0"?><!-- <Fake> --><Package xmlns="http://schemas.microsoft.com/appx/manifest/foundation/windows10" a="x>y" b='<'>` +
			`<![CDATA[ <Fake/> ]]><?pi <Fake> ?><A c=">"/><B><C></C></B><a:D xmlns:a="u" e="/>"/></Package><!-- <Fake/> -->`,
	}
	sources[1] = strings.Replace(sources[1], `b='<'`, `b='&lt;'`, 1)
	crafted := len(sources)
	if dir, err := corpus.Locate(); err == nil && dirExists(dir) {
		for _, f := range corpus.Manifests(t) {
			if f.Malformed {
				continue
			}
			data, err := os.ReadFile(f.Path)
			if err != nil {
				t.Fatal(err)
			}
			sources = append(sources, string(data))
		}
	}
	parsed := 0
	for i, src := range sources {
		doc, err := Parse("m", []byte(src))
		if err != nil && i < crafted {
			t.Fatal(err)
		}
		if err != nil {
			continue // a corpus file bgtask refuses
		}
		parsed++
		tags := startTags{data: doc.Data}
		var walk func(el *etree.Element)
		walk = func(el *etree.Element) {
			for _, c := range el.ChildElements() {
				start, end, ok := tags.next(c)
				if s := doc.spans[c]; !ok || start != s.Start || end != s.StartEnd {
					t.Fatalf("source %d: <%s> found at %d-%d (%v), its span is %d-%d", i, c.FullTag(), start, end, ok, s.Start, s.StartEnd)
				}
				walk(c)
			}
		}
		walk(&doc.Tree.Element)
		if tags.more() {
			t.Errorf("source %d: a start tag after the last element", i)
		}
		unit, selfClose, ok := doc.styleFromTags()
		if !ok || unit != doc.indentUnitFromSpans() || selfClose != doc.selfCloseFromSpans() {
			t.Errorf("source %d: style from tags %q %q (%v), from spans %q %q", i, unit, selfClose, ok, doc.indentUnitFromSpans(), doc.selfCloseFromSpans())
		}
	}
	t.Logf("%d files", parsed)
}

// Where the tags and the tree disagree, the style comes from the spans.
func TestStyleFromTagsDisagreement(t *testing.T) {
	doc := mustParse(t, "<Package>\n\t<A/>\n</Package>\n")
	for _, data := range []string{
		"<Package>\n    <B />\n    <C />\n</Package>\n", // more elements than the tree
		"<Package>\n    <B>\n</Package>\n",              // an element left open
		"<Package>\n    </B>\n</Package>\n</X>",         // more end tags than start tags
	} {
		doc.Data = []byte(data) // not the tree's bytes
		if _, _, ok := doc.styleFromTags(); ok {
			t.Fatalf("bytes that disagree with the tree were read for its style:\n%s", data)
		}
	}
	doc.Data = []byte("<Package>\n    <B />\n    <C />\n</Package>\n")
	if got := doc.indentUnit(); got != doc.indentUnitFromSpans() {
		t.Errorf("indentUnit = %q, want the spans' %q", got, doc.indentUnitFromSpans())
	}
	if got := doc.style().selfClose; got != " />" {
		t.Errorf("selfClose = %q, want the spans' \" />\"", got)
	}
}

func dirExists(dir string) bool {
	info, err := os.Stat(dir)
	return err == nil && info.IsDir()
}

// The diff of an edit is the one the library writes from the whole file
// (the oracle), though it is given only the lines around the edit: at the
// start, middle and end of files, with and without a final newline, CRLF.
func TestDiffFromLinesAroundTheEdit(t *testing.T) {
	sources := map[string]string{
		"many":            excerptManifest(40, 3),
		"no final break":  strings.TrimRight(excerptManifest(40, 3), "\r\n"),
		"LF":              strings.ReplaceAll(excerptManifest(12, -1), "\r\n", "\n"),
		"short":           excerptManifest(1, -1),
		"one line":        `<Package xmlns="http://schemas.microsoft.com/appx/manifest/foundation/windows10"><Applications><Application Id="App0"><Extensions/></Application></Applications></Package>`,
		"extensions last": strings.Replace(excerptManifest(5, -1), "      </Extensions>\r\n    </Application>\r\n    <Application Id=\"App1\" Executable=\"App.exe\" EntryPoint=\"A.App\">\r\n    </Application>\r\n  </Applications>\r\n</Package>\r\n", "</Extensions></Application></Applications></Package>", 1),
	}
	edits := map[string]func(d *Document) (EditResult, error){
		"add": func(d *Document) (EditResult, error) {
			return d.Add(AddRequest{Target: Target{App: "App0", EntryPoint: "Tasks.New"}, Types: []string{"timer"}})
		},
		"merge": func(d *Document) (EditResult, error) {
			return d.Add(AddRequest{Target: Target{App: "App0", EntryPoint: "Tasks.T0"}, Types: []string{"general"}})
		},
		"remove": func(d *Document) (EditResult, error) {
			return d.Remove(RemoveRequest{Target: Target{App: "App0", EntryPoint: "Tasks.T4"}})
		},
		"remove type": func(d *Document) (EditResult, error) {
			return d.Remove(RemoveRequest{Target: Target{App: "App0", EntryPoint: "Tasks.T0"}, Type: "timer"})
		},
	}
	diffs := 0
	for name, src := range sources {
		doc, err := Parse("m", []byte(src))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for edit, do := range edits {
			res, err := do(doc)
			if err != nil || !res.Changed {
				continue
			}
			got, err := res.Diff("P.appxmanifest")
			if err != nil {
				t.Fatal(err)
			}
			sp := alignToLines(res.Before, res.edit)
			want, err := udiff.ToUnified("a/P.appxmanifest", "b/P.appxmanifest", string(res.Before), []udiff.Edit{{Start: sp.Start, End: sp.End, New: sp.Text}}, udiff.DefaultContextLines)
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("%s, %s:\n%s\nwant\n%s", name, edit, got, want)
			}
			diffs++
		}
	}
	if diffs < 15 {
		t.Errorf("only %d diffs compared", diffs)
	}
}

// moveHunk moves one hunk's header and refuses anything else.
func TestMoveHunk(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"--- a\n+++ b\n@@ -3,7 +3,8 @@\n x\n", "--- a\n+++ b\n@@ -13,7 +13,8 @@\n x\n"},
		{"--- a\n+++ b\n@@ -3 +3,2 @@\n x\n", "--- a\n+++ b\n@@ -13 +13,2 @@\n x\n"},
		{"--- a\n+++ b\n@@ -0,0 +1 @@\n+x\n", ""},
		{"--- a\n+++ b\n@@ -3 +3 @@\n x\n@@ -9 +9 @@\n y\n", ""},
		{"--- a\n+++ b\n", ""},
	} {
		got, ok := moveHunk(tc.in, 10)
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("moveHunk(%q) = %q, %v; want %q", tc.in, got, ok, tc.want)
		}
	}
}

// Every element of an excerpt, not only the declarations, is placed where
// the whole edited file has it: the start tag at the excerpt's position is
// the start tag at the placed position in the file (the test reads line:col
// itself: lines end at '\n', line 1 starts after a BOM, columns count
// bytes). Edits before, between and after the declarations left out, in a
// file laid out on lines and in the same file on one line, where an element
// starts right where a left-out run ended and the BOM shares line 1, and
// with no XML declaration, where the root starts right after the BOM.
func TestExcerptPlacesEveryElement(t *testing.T) {
	spaced := excerptManifest(10, 3)
	compact := regexp.MustCompile(`>\r\n *`).ReplaceAllString(spaced, ">")
	if strings.Count(compact, "\n") != 0 {
		t.Fatal("the one-line manifest has line breaks")
	}
	bare := regexp.MustCompile(`<\?xml[^>]*>`).ReplaceAllString(compact, "") // <Package> right after the BOM
	// Tasks.T3 with no task yet: adding one rewrites its "<BackgroundTasks />",
	// the one edit that replaces bytes rather than inserting them; and an
	// unprefixed Extension that is no task declaration, which stays in.
	t3 := regexp.MustCompile(`(EntryPoint="Tasks.T3">\r\n *)<BackgroundTasks>\r\n *<Task Type="timer" />\r\n *</BackgroundTasks>`).
		ReplaceAllString(spaced, "${1}<BackgroundTasks />")
	t3 = strings.Replace(t3, `<uap:Extension Category="windows.protocol"><uap:Protocol Name="p" /></uap:Extension>`, `<Extension Category="windows.updateTask" />`, 1)
	if strings.Count(t3, "<BackgroundTasks />") != 1 || !strings.Contains(t3, "windows.updateTask") {
		t.Fatal("the manifest with an empty declaration was not made")
	}
	for _, src := range []struct{ name, data string }{{"lines", spaced}, {"one line", compact}, {"no declaration", bare}, {"empty declaration", t3}} {
		doc := mustParse(t, src.data)
		for _, target := range []Target{
			{App: "App0", EntryPoint: "Tasks.T0"}, {App: "App0", EntryPoint: "Tasks.T2"},
			{App: "App0", EntryPoint: "Tasks.T5"}, {App: "App0", EntryPoint: "Tasks.T9"},
			{App: "App0", EntryPoint: "Tasks.New"}, {App: "App1", EntryPoint: "Tasks.U0"},
			{App: "App1", EntryPoint: "Tasks.U1"}, {App: "App1", EntryPoint: "Tasks.U2"},
			{App: "App0", EntryPoint: "Tasks.T3"},
		} {
			res, err := doc.Add(AddRequest{Target: target, Types: []string{"general"}})
			if err != nil {
				t.Fatalf("%s, %s: %v", src.name, target.EntryPoint, err)
			}
			x := res.Excerpt()
			if x == nil {
				t.Fatalf("%s, %s: no excerpt", src.name, target.EntryPoint)
			}
			if strings.Contains(src.data, "windows.updateTask") && !bytes.Contains(x.After, []byte("windows.updateTask")) {
				t.Errorf("%s, %s: the Extension that declares no task was left out of the excerpt", src.name, target.EntryPoint)
			}
			var walk func(el *etree.Element)
			n := 0
			walk = func(el *etree.Element) {
				n++
				pos := x.AfterDoc.PosOf(el)
				got := x.ResultPos(pos.Line, pos.Col)
				if want, have := startTagAt(x.After, pos), startTagAt(res.Data, got); have != want {
					t.Errorf("%s, %s: <%s> at %d:%d of the excerpt (%s) placed at %d:%d, where the file has %s",
						src.name, target.EntryPoint, el.Tag, pos.Line, pos.Col, want, got.Line, got.Col, have)
				}
				for _, c := range el.ChildElements() {
					walk(c)
				}
			}
			walk(x.AfterDoc.Tree.Root())
			if n < 10 {
				t.Errorf("%s, %s: only %d elements in the excerpt", src.name, target.EntryPoint, n)
			}
		}
	}
}

// startTagAt is the start tag at line:col of data, or what is there instead.
func startTagAt(data []byte, p Pos) string {
	off := 0
	for l := 1; l < p.Line; l++ {
		i := bytes.IndexByte(data[off:], '\n')
		if i < 0 {
			return fmt.Sprintf("no line %d", p.Line)
		}
		off += i + 1
	}
	if p.Line == 1 && bytes.HasPrefix(data, []byte("\ufeff")) {
		off += len("\ufeff")
	}
	off += p.Col - 1
	if off < 0 || off >= len(data) || data[off] != '<' {
		return fmt.Sprintf("no tag at %d:%d", p.Line, p.Col)
	}
	end := bytes.IndexByte(data[off:], '>')
	if end < 0 {
		return "an unclosed tag"
	}
	return string(data[off : off+end+1])
}
