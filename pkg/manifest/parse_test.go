package manifest

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const seedPath = "../../testdata/seed/Package.appxmanifest"

func TestParseSeed(t *testing.T) {
	doc, err := Load(seedPath)
	if err != nil {
		t.Fatal(err)
	}
	if g := doc.Generation(); g != GenWin10 {
		t.Errorf("Generation() = %q, want %q", g, GenWin10)
	}
	if ids := doc.ApplicationIDs(); len(ids) != 1 || ids[0] != "App" {
		t.Errorf("ApplicationIDs() = %q, want [App]", ids)
	}
	decls := doc.Declarations()
	if len(decls) != 1 {
		t.Fatalf("Declarations() = %d, want 1", len(decls))
	}
	d := decls[0]
	if d.App != "App" || d.EntryPoint != "Tasks.ExampleBackgroundTask" || d.PackageLevel {
		t.Errorf("declaration = %+v", d)
	}
	if want := (Pos{Line: 44, Col: 9}); d.Pos.Line != want.Line || d.Pos.Col != want.Col {
		t.Errorf("Pos = %d:%d, want 44:9", d.Pos.Line, d.Pos.Col)
	}
	if doc.Data[d.Pos.Offset] != '<' {
		t.Errorf("Pos.Offset %d does not point at '<'", d.Pos.Offset)
	}
	if len(d.Tasks) != 1 || d.Tasks[0].Type != "pushNotification" || d.Tasks[0].Namespace != NSFoundation {
		t.Errorf("Tasks = %+v", d.Tasks)
	}
	if p := d.Tasks[0].Pos; p.Line != 46 || p.Col != 13 {
		t.Errorf("task Pos = %d:%d, want 46:13", p.Line, p.Col)
	}
}

func TestParseByNamespaceNotPrefix(t *testing.T) {
	src := `<?xml version="1.0"?>
<f:Package xmlns:f="http://schemas.microsoft.com/appx/manifest/foundation/windows10" xmlns:u="http://schemas.microsoft.com/appx/manifest/uap/windows10">
 <f:Applications>
  <f:Application Id="A">
   <f:Extensions>
    <f:Extension Category="windows.backgroundTasks" EntryPoint="T.P">
     <f:BackgroundTasks><f:Task Type="timer"/><u:Task Type="phoneCall"/></f:BackgroundTasks>
    </f:Extension>
   </f:Extensions>
  </f:Application>
 </f:Applications>
 <Applications xmlns="urn:not-appx"><Application Id="Fake"/></Applications>
</f:Package>`
	doc, err := Parse("p.xml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if g := doc.Generation(); g != GenWin10 {
		t.Errorf("Generation() = %q", g)
	}
	if ids := doc.ApplicationIDs(); len(ids) != 1 || ids[0] != "A" {
		t.Errorf("ApplicationIDs() = %q, want [A]", ids)
	}
	decls := doc.Declarations()
	if len(decls) != 1 {
		t.Fatalf("Declarations() = %d, want 1", len(decls))
	}
	got := decls[0].Tasks
	if len(got) != 2 || got[0].Namespace != NSFoundation || got[1].Namespace != NSUAP || got[1].Type != "phoneCall" {
		t.Errorf("Tasks = %+v", got)
	}
}

func TestGeneration(t *testing.T) {
	for _, tc := range []struct {
		root string
		want Generation
	}{
		{`<Package xmlns="` + NSWin8 + `"/>`, GenWin8},
		{`<Package xmlns="` + NSWin8 + `" xmlns:m2="` + NSWin81M2 + `"/>`, GenWin81},
		{`<Package xmlns="` + NSWin8 + `" xmlns:m2="` + NSWin81M2 + `" xmlns:m3="` + NSPhoneM3 + `"/>`, GenPhone81},
		{`<Package xmlns="` + NSFoundation + `"/>`, GenWin10},
		{`<Package xmlns="urn:other"/>`, GenUnknown},
	} {
		doc, err := Parse("g.xml", []byte(tc.root))
		if err != nil {
			t.Fatal(err)
		}
		if g := doc.Generation(); g != tc.want {
			t.Errorf("%s: Generation() = %q, want %q", tc.root, g, tc.want)
		}
	}
}

func TestPackageLevelDeclaration(t *testing.T) {
	src := `<Package xmlns="` + NSFoundation + `"><Extensions><Extension Category="windows.backgroundTasks" EntryPoint="X.Y"><BackgroundTasks ServerName="S"><Task Type="timer"/></BackgroundTasks></Extension></Extensions></Package>`
	doc, err := Parse("p.xml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	decls := doc.Declarations()
	if len(decls) != 1 || !decls[0].PackageLevel || decls[0].App != "" || decls[0].ServerName != "S" {
		t.Fatalf("Declarations() = %+v", decls)
	}
}

func TestParseErrors(t *testing.T) {
	deep := strings.Repeat("<a>", MaxDepth+1) + strings.Repeat("</a>", MaxDepth+1)
	// manyAttrs(n, dup) is an element with n attributes, the last named as
	// the first when dup is set.
	manyAttrs := func(n int, dup bool) string {
		var b strings.Builder
		b.WriteString("<Package>\n  <Application")
		for i := range n {
			if dup && i == n-1 {
				i = 0
			}
			fmt.Fprintf(&b, " a%d=\"v\"", i)
		}
		b.WriteString("/>\n</Package>")
		return b.String()
	}
	for _, tc := range []struct {
		name, src string
		cause     error
		line, col int
		msg       string
	}{
		{"malformed", "<Package>\n  <Identity>\n</Package>", ErrMalformed, 3, 1, "does not match <Identity> opened at 2:3"},
		{"unclosed", "<Package>\n  <Applications>", ErrMalformed, 2, 3, "never closed"},
		{"syntax", "<Package>\n  <Identity Name=x/>\n</Package>", ErrMalformed, 2, 0, "malformed XML"},
		{"conflict", "<Package>\n<<<<<<< HEAD\n<A/>\n=======\n<B/>\n>>>>>>> other\n</Package>", ErrConflictMarker, 2, 1, "unresolved merge conflict"},
		{"conflict at the start", "<<<<<<< HEAD\n<Package/>", ErrConflictMarker, 1, 1, "unresolved merge conflict"},
		// Only a marker at the start of a line is one; the first such is reported.
		{"conflict after a marker inside a line", "<Package><!-- <<<<<<< -->\n\n  <<<<<<<\n<<<<<<< HEAD\n</Package>", ErrConflictMarker, 4, 1, "unresolved merge conflict"},
		{"doctype", "<?xml version=\"1.0\"?>\n<!DOCTYPE Package [<!ENTITY a \"aaaa\">]>\n<Package>&a;</Package>", ErrDTD, 2, 1, "DTD"},
		{"depth", deep, ErrTooDeep, 1, 3*MaxDepth + 1, "nested more than"},
		{"root", "<?xml version=\"1.0\"?>\n<Project/>", ErrNotManifest, 2, 1, "not <Package>"},
		{"empty", "", ErrNotManifest, 1, 1, "no XML element"},
		{"two roots", "<Package/><Package/>", ErrMalformed, 1, 11, "after the root"},
		{"text outside", "<Package/>junk", ErrMalformed, 1, 11, "text outside"},
		// A BOM added to a file that had one: the first is skipped, the
		// second is invisible text before the declaration; it is named.
		{"two byte-order marks", "\xef\xbb\xbf\xef\xbb\xbf<?xml version=\"1.0\"?><Package/>", ErrMalformed, 1, 1, "a byte-order mark (U+FEFF) where only the file's first may be; delete it"},
		{"utf16", "<?xml version=\"1.0\" encoding=\"utf-16\"?><Package/>", ErrMalformed, 1, 1, `declares encoding "utf-16"; bgtask reads UTF-8 manifests`},
		{"duplicate attribute", "<Package>\n <a b=\"1\" b=\"2\"/></Package>", ErrMalformed, 2, 2, "attribute b appears twice in <a>"},
		// Past 16 attributes duplicates are found through a set, not pairwise.
		{"duplicate attribute among many", manyAttrs(100, true), ErrMalformed, 2, 3, "attribute a0 appears twice in <Application>"},
		// Every attribute cost time linear in the ones before it: 60,000
		// took 16 s. Over the limit the file is refused at the element.
		{"too many attributes", manyAttrs(MaxAttributes+1, false), ErrTooManyAttributes, 2, 3, "<Application> has 1001 attributes, more than the 1000 bgtask reads"},
		{"late declaration", "\n<?xml version=\"1.0\"?><Package/>", ErrMalformed, 2, 1, "must be the very first thing"},
		{"utf16 with a byte-order mark", "\xff\xfe<\x00?\x00x\x00", ErrMalformed, 1, 1, "the file is UTF-16 (little-endian); bgtask reads UTF-8 manifests"},
		{"utf16 big-endian without one", "\x00<\x00?\x00x", ErrMalformed, 1, 1, "the file is UTF-16 (big-endian)"},
		// UTF-32LE's mark starts with UTF-16LE's, and was called UTF-16.
		{"utf32 with a byte-order mark", "\xff\xfe\x00\x00<\x00\x00\x00?\x00\x00\x00", ErrMalformed, 1, 1, "the file is UTF-32 (little-endian); bgtask reads UTF-8 manifests"},
		{"utf32 big-endian with one", "\x00\x00\xfe\xff\x00\x00\x00<", ErrMalformed, 1, 1, "the file is UTF-32 (big-endian)"},
		{"utf32 without one", "<\x00\x00\x00?\x00\x00\x00", ErrMalformed, 1, 1, "the file is UTF-32 (little-endian)"},
		// The decoder trips at the next '<'; the position is the attribute left open.
		{"unclosed quote", "<Package>\n  <Identity Name=\"Contoso />\n  <Properties/>\n</Package>", ErrMalformed, 2, 13, "attribute Name is not closed: a quote is missing before the next tag at line 3"},
		{"unknown entity", "<Package>&nbsp;</Package>", ErrMalformed, 1, 0, "malformed XML"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("bad.appxmanifest", []byte(tc.src))
			var me *Error
			if !errors.As(err, &me) {
				t.Fatalf("Parse error = %v (%T), want *Error", err, err)
			}
			if !errors.Is(err, tc.cause) {
				t.Errorf("error %v is not %v", err, tc.cause)
			}
			if me.Pos.Line != tc.line || (tc.col != 0 && me.Pos.Col != tc.col) {
				t.Errorf("position %d:%d, want %d:%d (%v)", me.Pos.Line, me.Pos.Col, tc.line, tc.col, err)
			}
			if !strings.Contains(err.Error(), tc.msg) || !strings.HasPrefix(err.Error(), "bad.appxmanifest:") {
				t.Errorf("Error() = %q, want it to start with the path and contain %q", err, tc.msg)
			}
		})
	}
}

func TestParseTooLarge(t *testing.T) {
	_, err := Parse("big.xml", make([]byte, MaxFileSize+1))
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("error = %v, want ErrTooLarge", err)
	}
}

func TestLoadMissingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "Package.appxmanifest")
	_, err := Load(path)
	var me *Error
	if !errors.As(err, &me) || !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("Load error = %v, want *Error wrapping ErrNotExist", err)
	}
	if !strings.Contains(err.Error(), "--manifest") {
		t.Errorf("Error() = %q should say how to point at the manifest", err)
	}
}

func TestPosColumnIgnoresBOM(t *testing.T) {
	doc, err := Parse("b.xml", []byte(utf8BOM+`<Package xmlns="`+NSFoundation+`"/>`))
	if err != nil {
		t.Fatal(err)
	}
	if p := doc.PosOf(doc.Tree.Root()); p.Line != 1 || p.Col != 1 || p.Offset != 3 {
		t.Errorf("PosOf(root) = %+v, want 1:1 at offset 3", p)
	}
}
