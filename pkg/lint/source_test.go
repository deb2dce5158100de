package lint

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// Every rule's Source points users at what they have: a section of
// docs/windows.md that exists, or a public page; never the project's
// internal notes (windows-facts.md, SPEC.md), which ship to nobody.
func TestRuleSourcesArePublic(t *testing.T) {
	data, err := os.ReadFile("../../docs/windows.md")
	if err != nil {
		t.Fatal(err)
	}
	headings := map[string]bool{}
	for _, line := range strings.Split(string(data), "\n") {
		if h, ok := strings.CutPrefix(line, "## "); ok {
			headings[h] = true
		}
	}
	section := regexp.MustCompile(`docs/windows\.md ("[^"]+"(?:,? (?:and )?"[^"]+")*)`)
	quoted := regexp.MustCompile(`"([^"]+)"`)
	for _, r := range Rules() {
		info := r.Info()
		for _, banned := range []string{"windows-facts", "SPEC.md", "shared/", "WDD ", "SCH ", "WR "} {
			if strings.Contains(info.Explanation(), banned) {
				t.Errorf("%s names %q, which users do not have", info.ID, banned)
			}
		}
		if !strings.Contains(info.Source, "docs/windows.md") && !strings.Contains(info.Source, "docs/lint.md") && !strings.Contains(info.Source, "https://") {
			t.Errorf("%s: Source %q points neither at docs/windows.md nor at a public page", info.ID, info.Source)
		}
		for _, m := range section.FindAllStringSubmatch(info.Source, -1) {
			for _, q := range quoted.FindAllStringSubmatch(m[1], -1) {
				if !headings[q[1]] {
					t.Errorf("%s: Source names docs/windows.md section %q, which does not exist", info.ID, q[1])
				}
			}
		}
	}
}
