package lint

import (
	"fmt"
	"strings"
	"testing"

	"github.com/bgtask/bgtask/internal/corpus"
)

// knownDefects are the findings the linter reports on the shared corpus,
// besides BT001 on the files broken on purpose, each a real defect of that
// manifest with the reason. Any other finding, on any file, error or
// warning, fails TestCorpus: it is a false positive to fix in the rule.
// Keys are "file: RULE line:col".
func knownDefects() map[string]string {
	return map[string]string{
		// The Windows 8.1 LockScreenApps C++ sample (MSDN code gallery)
		// declares its push task with EntryPoint="pch.cpp", the name of its
		// precompiled-header source file, not a class. EntryPoint must be the
		// activatable class ID (Namespace.Class) of the IBackgroundTask
		// implementation, so Windows could never activate this task. A real
		// defect of the sample, and the reason BT004 exists
		// (windows-facts.md §1 "Extension attributes", §7 "Entry point mismatch").
		"014-microsoftarchive-msdn-code-gallery-microsoft-lockscreenapps-cpp-pushtask.appxmanifest: BT004 25:55": "EntryPoint is a C++ source file name",
	}
}

// TestCorpus lints every manifest of the shared real-world corpus: no rule
// may panic (runRule turns a panic into an "internal error" finding, which
// fails here), files broken on purpose must get a BT001 finding, and every
// other finding, on Microsoft's samples and everyone else's, warnings
// included, must be a documented real defect.
func TestCorpus(t *testing.T) {
	files := corpus.Manifests(t)
	defects := knownDefects()
	seen := map[string]bool{}
	l := New()
	for _, f := range files {
		// The corpus folder holds manifests without their projects; it is
		// not a project folder, so BT013 (missing assets) must stay quiet:
		// a warning here is a false positive like any other.
		findings, err := l.LintFile(f.Name, f.Path)
		if err != nil {
			t.Errorf("%s: %v", f.Name, err)
			continue
		}
		hasBT001 := false
		for _, fd := range findings {
			if strings.Contains(fd.Message, "internal error") {
				t.Errorf("%s: rule crashed: %s", f.Name, fd.Message)
			}
			if fd.RuleID == "BT001" {
				hasBT001 = true
			}
			key := fmt.Sprintf("%s: %s %d:%d", f.Name, fd.RuleID, fd.Line, fd.Col)
			if _, ok := defects[key]; ok {
				seen[key] = true
				continue
			}
			if f.Malformed && fd.RuleID == "BT001" {
				continue // broken on purpose upstream
			}
			t.Errorf("false positive? [%s] %s:%d:%d: %s: %s [%s]", f.Owner, f.Name, fd.Line, fd.Col, fd.Severity, fd.Message, fd.RuleID)
		}
		if f.Malformed && !hasBT001 {
			t.Errorf("%s is malformed on purpose but got no BT001 finding", f.Name)
		}
		if !f.Malformed && hasBT001 {
			t.Errorf("%s is well formed but got BT001", f.Name)
		}
	}
	for key := range defects {
		if !seen[key] {
			t.Errorf("documented defect no longer reported (rule changed or corpus moved?): %s", key)
		}
	}
}

// TestCorpusReport logs every finding on the corpus, for reviewing rules
// (go test ./pkg/lint -run TestCorpusReport -v).
func TestCorpusReport(t *testing.T) {
	if !testing.Verbose() {
		t.Skip("run with -v to print every corpus finding")
	}
	l := New()
	for _, f := range corpus.Manifests(t) {
		findings, err := l.LintFile(f.Name, f.Path)
		if err != nil {
			t.Fatal(err)
		}
		for _, fd := range findings {
			t.Logf("[%s] %s:%d:%d: %s: %s [%s]", f.Owner, fd.Path, fd.Line, fd.Col, fd.Severity, fd.Message, fd.RuleID)
		}
	}
}
