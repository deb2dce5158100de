package lint

import (
	"strings"
	"testing"
)

// GitHub renders help.markdown: a raw <Task Type="..."> would be taken for
// an HTML tag and vanish from the rule's help.
func TestSARIFHelpMarkdownEscapesTags(t *testing.T) {
	r, ok := RuleByID("BT002")
	if !ok {
		t.Fatal("no BT002")
	}
	md := ruleMarkdown(r.Info())
	if strings.Contains(md, "<Task") || !strings.Contains(md, "&lt;Task Type=") {
		t.Errorf("help.markdown does not escape the tags:\n%s", md)
	}
	if !strings.Contains(md, "<br>\nWindows 10 uap:Task:") {
		t.Errorf("help.markdown runs the list of task types into one line:\n%s", md)
	}
}
