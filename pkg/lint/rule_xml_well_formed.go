package lint

import (
	"bytes"
	"errors"
	"strings"

	"github.com/bgtask/bgtask/pkg/manifest"
)

// ruleXMLWellFormed reports a manifest that is not well-formed XML at the
// first error, the way the packaging tools stop at it.
type ruleXMLWellFormed struct{ RuleBase }

func newRuleXMLWellFormed() Rule {
	return ruleXMLWellFormed{RuleBase{RuleInfo{
		ID:       "BT001",
		Name:     "xml-well-formed",
		Severity: SeverityError,
		Short:    "the manifest is not well-formed XML",
		What: `The file must parse as XML: one root element, matched tags, quoted attribute
values, no merge-conflict markers (<<<<<<<), no DTD, in UTF-8 (a UTF-16 file is
reported as such: save it as UTF-8). The finding points at the first error;
nothing else is checked until it is fixed.`,
		Why: `Visual Studio, MakeAppx and the Store refuse a manifest that does not parse, with
an error far from the cause. Conflict markers committed by a bad merge are the
usual culprit.`,
		Fix:    `Open the file at the reported line and repair the XML (resolve the conflict, close the tag, add the quote).`,
		Source: `windows-facts.md §1 (the manifest schema); XML 1.0 well-formedness.`,

		checksMalformed: true,
	}}}
}

func (r ruleXMLWellFormed) Check(p *Pass) {
	if p.ParseErr == nil {
		return
	}
	// A UTF-16 file is well-formed XML that bgtask does not read; the
	// parser's "invalid UTF-8" at the second byte would call it malformed.
	if enc := utf16Encoding(p.Data); enc != "" {
		p.Reportf(manifest.Pos{Line: 1, Col: 1},
			"the file is %s; bgtask reads UTF-8 manifests (what Visual Studio writes): save it as UTF-8 (Visual Studio: File > Save As > Save with Encoding)", enc)
		return
	}
	// manifest.Error messages already say what is wrong and what to do
	// ("malformed XML: ...; fix the file so ..."); the finding carries the
	// position, so only the message is kept.
	var me *manifest.Error
	if errors.As(p.ParseErr, &me) {
		if strings.Contains(me.Msg, "unescaped < inside quoted string") {
			// The parser notices at the next tag; the mistake is the
			// attribute whose closing quote is missing, often lines before.
			if name, pos, ok := unclosedAttribute(p.Data, me.Pos.Offset); ok {
				p.Reportf(pos, "malformed XML: the value of attribute %s is not closed: a quote is missing before the next tag at line %d; add the closing quote", name, me.Pos.Line)
				return
			}
		}
		p.Reportf(me.Pos, "%s", me.Msg)
		return
	}
	p.Reportf(manifest.Pos{Line: 1, Col: 1}, "malformed XML: %v", p.ParseErr)
}

// utf16Encoding names the UTF-16 flavour of data from its byte-order mark,
// or from "<?" written in UTF-16 without one; "" for anything else.
func utf16Encoding(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{'<', 0, '?', 0}):
		return "UTF-16 (little-endian)"
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}), bytes.HasPrefix(data, []byte{0, '<', 0, '?'}):
		return "UTF-16 (big-endian)"
	}
	return ""
}

// unclosedAttribute finds the attribute whose quoted value is still open at
// offset: the last name="..." (or name='...') before it. It returns the
// attribute's name and position.
func unclosedAttribute(data []byte, offset int) (string, manifest.Pos, bool) {
	if offset <= 0 || offset > len(data) {
		return "", manifest.Pos{}, false
	}
	head := data[:offset]
	eq := max(bytes.LastIndex(head, []byte(`="`)), bytes.LastIndex(head, []byte(`='`)))
	if eq <= 0 {
		return "", manifest.Pos{}, false
	}
	start := eq
	for start > 0 && !isXMLSpace(data[start-1]) && data[start-1] != '<' && data[start-1] != '"' && data[start-1] != '\'' {
		start--
	}
	if start == eq {
		return "", manifest.Pos{}, false
	}
	return string(data[start:eq]), bytePos(data, start), true
}

// bytePos is the 1-based line and byte column of offset in data, counted as
// manifest.Pos does (a leading UTF-8 BOM is not a column).
func bytePos(data []byte, offset int) manifest.Pos {
	lineStart := bytes.LastIndexByte(data[:offset], '\n') + 1
	col := offset - lineStart + 1
	if lineStart == 0 && bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) {
		col -= 3
	}
	return manifest.Pos{Line: 1 + bytes.Count(data[:offset], []byte("\n")), Col: col, Offset: offset}
}
