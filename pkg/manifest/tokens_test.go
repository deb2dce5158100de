package manifest

import (
	"bytes"
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/bgtask/bgtask/internal/corpus"
)

// sameTokens checks fastTokens against encoding/xml's RawToken over data:
// every token the fast tokenizer yields, before it gives up or ends, is
// encoding/xml's next token with the same offsets; when it reaches the end,
// so does encoding/xml, without an error. It returns whether the fast
// tokenizer read the whole file.
func sameTokens(t *testing.T, data []byte) bool {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	dec.CharsetReader = func(string, io.Reader) (io.Reader, error) { return nil, errFallback }
	fast := &fastTokens{src: string(data)}
	var ft token
	for i := 0; ; i++ {
		err := fast.next(&ft)
		if err == errFallback {
			return false
		}
		wbefore := int(dec.InputOffset())
		wtok, werr := dec.RawToken()
		wafter := int(dec.InputOffset())
		if err == io.EOF {
			if werr != io.EOF {
				t.Fatalf("token %d: fast tokenizer ended, encoding/xml gives %s, %v", i, tokenString(wtok), werr)
			}
			return true
		}
		if err != nil {
			t.Fatalf("token %d: fast tokenizer failed with %v, not errFallback", i, err)
		}
		tok := ft.xmlToken()
		if werr != nil || !reflect.DeepEqual(xml.CopyToken(tok), xml.CopyToken(wtok)) || ft.before != wbefore || ft.after != wafter {
			t.Fatalf("token %d: fast %s at %d-%d; encoding/xml %s at %d-%d, %v", i, tokenString(tok), ft.before, ft.after, tokenString(wtok), wbefore, wafter, werr)
		}
	}
}

// The fast tokenizer reads the fixtures and the real-world corpus with the
// same tokens as encoding/xml, and nearly all of them without its help.
func TestFastTokensReadManifests(t *testing.T) {
	paths, _ := filepath.Glob(filepath.Join(fixtures, "*.appxmanifest"))
	paths = append(paths, seedPath)
	check := func(t *testing.T, paths []string) {
		whole := 0
		for _, p := range paths {
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			if sameTokens(t, data) {
				whole++
			}
		}
		if whole < len(paths)*3/4 {
			t.Errorf("the fast tokenizer read %d of %d manifests whole", whole, len(paths))
		}
	}
	check(t, paths)
	t.Run("corpus", func(t *testing.T) {
		var paths []string
		for _, f := range corpus.Manifests(t) {
			paths = append(paths, f.Path)
		}
		check(t, paths)
	})
}

func TestFastTokensOddCases(t *testing.T) {
	for _, src := range []string{
		"<a x='1'y=\"2\"/>", "<a\tx = '1' >t</a >", "<a:b:c/>", "<:a b:=''/>", "<a x='&amp;'/>", "<a>&lt;</a>",
		"<a>\r\n</a>", "<a x='\r'/>", "<a>]]></a>", "<a><![CDATA[x]]></a>", "<!-- c --><a/>", "<!---><a/>",
		"<?xml version='1.0' encoding='latin1'?><a/>", "<?xml version=\"1.0\" encoding=\"utf-8\"?><a/>", "<?xml version=\"1.0\"?>\n<a/>", "<?xml version=\"1.0\" encoding=\"utf-8\"?>x<a/>", "<?xml version='1.0'?><a/>", "<a>é</a>", "<é/>", "<a é='1'/>",
		"<a x='<'/>", "<a/ >", "< a/>", "</a>", "<a", "<a x", "<a x=", "<a x='1", "<!DOCTYPE a><a/>", "<a>\x01</a>",
		"<a x='\x00'/>", "<a>text", "<a/><b>", "<1a/>", "<a 1x='2'/>", "<a x='1' x='2'/>", "<a>\xff</a>", "<a>\uFFFE</a>",
	} {
		sameTokens(t, []byte(src))
	}
}

// FuzzFastTokens: whatever the bytes, the fast tokenizer agrees with
// encoding/xml token for token, as far as it goes.
func FuzzFastTokens(f *testing.F) {
	if data, err := os.ReadFile(seedPath); err == nil {
		f.Add(data)
	}
	for _, s := range []string{"<a x='1'y=\"2\"/>", "<a>&lt;\r\n</a>", "<!-- c --><?p x?><a><![CDATA[]]></a>", "<a:b:c/>"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) { sameTokens(t, data) })
}
