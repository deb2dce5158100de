package lint

import (
	"errors"

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
nothing else is checked until it is fixed. It reads XML as Go's encoding/xml does,
which lets a few rarer mistakes pass that a validating parser (xmllint, MakeAppx)
refuses: an XML declaration without version= or with standalone= other than yes or
no, a character reference to a surrogate (&#xD800;), a processing instruction named
XML in another case, and namespace errors (xmlns:p="", xmlns:xml rebound, two
attributes of one name in one namespace under two prefixes).`,
		Why: `Visual Studio, MakeAppx and the Store refuse a manifest that does not parse, with
an error far from the cause. Conflict markers committed by a bad merge are the
usual culprit.`,
		Fix:    `Open the file at the reported line and repair the XML (resolve the conflict, close the tag, add the quote).`,
		Source: `docs/windows.md "Manifest generations"; XML 1.0 well-formedness.`,

		checksMalformed: true,
	}}}
}

func (r ruleXMLWellFormed) Check(p *Pass) {
	if p.ParseErr == nil {
		return
	}
	// manifest.Error messages already say what is wrong and what to do
	// ("malformed XML: ...; fix the file so ..."), at the position of the
	// mistake; the finding carries the position, so only the message is kept.
	var me *manifest.Error
	if errors.As(p.ParseErr, &me) {
		p.Reportf(me.Pos, "%s", me.Msg)
		return
	}
	p.Reportf(manifest.Pos{Line: 1, Col: 1}, "malformed XML: %v", p.ParseErr)
}
