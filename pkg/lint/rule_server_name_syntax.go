package lint

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/bgtask/bgtask/pkg/manifest"
)

// ruleServerNameSyntax reports a BackgroundTasks ServerName the schema
// rejects: empty or over 255 characters in every generation, and on
// Windows 10 anything that is not an ST_AsciiWindowsId.
type ruleServerNameSyntax struct{ RuleBase }

func newRuleServerNameSyntax() Rule {
	return ruleServerNameSyntax{RuleBase{RuleInfo{
		ID:       "BT025",
		Name:     "server-name-syntax",
		Severity: SeverityError,
		Short:    "a BackgroundTasks ServerName the schema does not accept",
		What: `The ServerName attribute of <BackgroundTasks> must be 1-255 characters in every
generation. In a Windows 10 manifest it must also be an ASCII Windows ID: a
letter, then letters and digits, optionally several such parts separated by
dots ("PushServer", "Contoso.PushServer"); a space, hyphen, underscore, leading
digit or non-ASCII letter is reported. Values holding a template token
($safeprojectname$, {Name}) are not checked.`,
		Why: `The manifest is validated against the schema when the package is built and
installed; a ServerName outside its type fails packaging with a schema error.`,
		Fix: `Write a name of letters and digits that starts with a letter, such as
ServerName="PushServer", or remove ServerName. If the old name also appears
elsewhere in the manifest (a uap:AppService or OutOfProcessServer ServerName, as
in Microsoft's VoIP sample), rename it there too.`,
		Source: `docs/windows.md "Task types" (https://learn.microsoft.com/uwp/schemas/appxpackage/uapmanifestschema/element-backgroundtasks:
letters and digits, starting with a letter); microsoft/msix-packaging
FoundationManifestSchema.xsd types CT_BackgroundTasks/@ServerName as t:ST_AsciiWindowsId, which
AppxManifestTypes.xsd defines as an ST_NonEmptyString of at most 255 characters matching
([A-Za-z][A-Za-z0-9]*)(\.[A-Za-z][A-Za-z0-9]*)*.`,
	}}}
}

func (r ruleServerNameSyntax) Check(p *Pass) {
	win10 := p.Generation() == manifest.GenWin10
	for _, d := range p.Declarations() {
		bt := firstChildByLocal(d.Element, "BackgroundTasks")
		v, ok := attrValue(bt, "ServerName")
		if !ok || manifest.HasPlaceholder(v) {
			continue
		}
		pos := p.AttrPos(bt, "ServerName")
		if win10 {
			if problem := asciiWindowsIDProblem(v); problem != "" {
				p.Reportf(pos, "ServerName %s; write %s, or remove ServerName", problem, asciiWindowsIDSuggestion(v, "PushServer"))
			}
			continue
		}
		if problem := lengthProblem(v, 1, 255); problem != "" {
			p.Reportf(pos, "ServerName %s; write a name of 1 to 255 characters, such as \"PushServer\", or remove ServerName", problem)
		}
	}
}

// asciiWindowsIDPattern is the pattern of ST_AsciiWindowsId
// (microsoft/msix-packaging AppxManifestTypes.xsd), anchored as XSD patterns are.
// It is compiled on first use, not at start-up: every command pays for
// package initialisation, and few lint a ServerName.
var asciiWindowsIDPattern = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^([A-Za-z][A-Za-z0-9]*)(\.[A-Za-z][A-Za-z0-9]*)*$`)
})

// asciiWindowsIDProblem says what keeps v from being an ST_AsciiWindowsId
// (1-255 characters, dot-separated parts of ASCII letters and digits each
// starting with a letter), as a predicate on the attribute: "is empty". It
// returns "" for a valid value.
func asciiWindowsIDProblem(v string) string {
	if problem := lengthProblem(v, 1, 255); problem != "" {
		return problem
	}
	if asciiWindowsIDPattern().MatchString(v) {
		return ""
	}
	for _, c := range v {
		if c != '.' && !isASCIIAlnum(c) {
			return fmt.Sprintf("%s holds %s, but only ASCII letters and digits are allowed (dots may separate parts)", quoteShort(v), describeRune(c))
		}
	}
	for _, part := range strings.Split(v, ".") {
		if part == "" {
			return fmt.Sprintf("%s has an empty part between dots", quoteShort(v))
		}
		if !isASCIILetter(rune(part[0])) {
			if part == v {
				return fmt.Sprintf("%s starts with %q, but must start with a letter", quoteShort(v), part[0])
			}
			return fmt.Sprintf("%s has the part %q, which starts with %q, but each part must start with a letter", quoteShort(v), part, part[0])
		}
	}
	return fmt.Sprintf("%s is not letters and digits starting with a letter", quoteShort(v)) // not reached
}

// asciiWindowsIDSuggestion proposes an ST_AsciiWindowsId close to v: v
// without the spaces, punctuation and leading digits the type forbids. A
// value with non-ASCII letters gets example instead: dropping them would
// garble the name.
func asciiWindowsIDSuggestion(v, example string) string {
	generic := fmt.Sprintf("letters and digits starting with a letter, such as %q", example)
	for _, c := range v {
		if c >= utf8.RuneSelf {
			return generic
		}
	}
	var parts []string
	for _, part := range strings.Split(v, ".") {
		var b strings.Builder
		for _, c := range part {
			if isASCIILetter(c) || (b.Len() > 0 && isASCIIAlnum(c)) {
				b.WriteRune(c)
			}
		}
		if b.Len() > 0 {
			parts = append(parts, b.String())
		}
	}
	s := strings.Join(parts, ".")
	if s == "" || s == v || len(s) > 255 {
		return generic
	}
	return fmt.Sprintf("%q", s)
}

// lengthProblem says how v breaks a schema length of min to max characters
// (XSD counts characters, not bytes), or "" when it fits.
func lengthProblem(v string, min, max int) string {
	n := utf8.RuneCountInString(v)
	switch {
	case n == 0 && min > 0:
		return `is empty ("")`
	case n < min:
		return fmt.Sprintf("%s is %d characters long, under the minimum of %d", quoteShort(v), n, min)
	case n > max:
		return fmt.Sprintf("%s is %d characters long, over the limit of %d", quoteShort(v), n, max)
	}
	return ""
}

// quoteShort quotes v like quoteValue, cut to its first 40 characters so a
// runaway value does not fill the terminal.
func quoteShort(v string) string {
	const keep = 40
	if utf8.RuneCountInString(v) <= keep {
		return quoteValue(v)
	}
	cut := 0
	for i := 0; i < keep; i++ {
		_, size := utf8.DecodeRuneInString(v[cut:])
		cut += size
	}
	return quoteValue(v[:cut]) + "…"
}

// describeRune names a character for a message: "a space", "'-'".
func describeRune(c rune) string {
	switch c {
	case ' ':
		return "a space"
	case '\t', '\n', '\r':
		return "white space"
	}
	return fmt.Sprintf("%q", c)
}

func isASCIILetter(c rune) bool { return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' }

func isASCIIAlnum(c rune) bool { return isASCIILetter(c) || c >= '0' && c <= '9' }
