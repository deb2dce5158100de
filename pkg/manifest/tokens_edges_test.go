package manifest

import "testing"

// Input that ends, or goes wrong, exactly where the fast tokenizer looks one
// byte further: it must give up (encoding/xml then says what is wrong), never
// read past the end or accept what encoding/xml refuses.
func TestFastTokensCutShortOrMalformed(t *testing.T) {
	for _, src := range []string{
		"<", "<a/><", // a '<' as the last byte
		"</", "<a></", "<a></a ", "<a></a x>", "<a></a", // an end tag cut before or after its name, or with more than a name
		"<a ", "<a x='1' ", "<a x='1'", // a start tag cut between attributes
		"<a x ", "<a x!'1'/>", "<a x y='1'/>", // a name not followed by '='
		"<a x= ", "<a b=x1x/>", "<a b= 1/>", // a value not quoted
		"<a/", "<a x='1'/", "<a/x>", // a '/' not followed by '>'
		"<a x='1\n", "<a x=\"1'/>", // a value never closed
	} {
		if sameTokens(t, []byte(src)) {
			t.Errorf("%q: the fast tokenizer read it whole; encoding/xml refuses it", src)
		}
	}
}

// commonForms are the forms a manifest is made of, which the fast
// tokenizer reads itself, as its documentation says: ASCII names; text and
// values without '&', control characters or invalid UTF-8.
var commonForms = []string{
	"<a>words and spaces</a>",
	"<a>\n\t<b/>\n</a>",
	"<a>line\r\nnext\rlast</a>", // line ends normalized as encoding/xml does
	"<a>é, 日本, 😀, \uFFFD, \uD7FF, \uE000, \U00010000, \U0010FFFF</a>",
	"<a x='a b' y=\"c\td\" z=''/>",
	"<a x='é'/>",
	"<a x='\uD7FF' y='\uE000' z='\uFFFD' v='\U00010000' w='\U0010FFFF'/>",
	"<a x='é b\tc'>é b\tc</a>", // ASCII after a character that is not
	"<a\n  x = '1'\n  y=\"2\" >t</a >",
	"<p:a xmlns:p='u' p:x='1'><p:b/></p:a>",
	"<A_b-c.d e1='2'/>", "<Zz AaZz09.-_='1' _a0=\"\"/>",
	"<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<a/>",
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?><a/>",
	"<?xml version=\"1.0\"?><a/>",
	"<a>x]y]>z</a>",
}

// The common forms are read whole, token for token as encoding/xml reads
// them (TestFastTokensReadCommonFormsInPlace: without its help).
func TestFastTokensReadCommonFormsWhole(t *testing.T) {
	for _, src := range commonForms {
		if !sameTokens(t, []byte(src)) {
			t.Errorf("%q: the fast tokenizer gave up; it must read it whole", src)
		}
	}
}
