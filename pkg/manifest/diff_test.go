package manifest

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/bgtask/bgtask/internal/corpus"
)

// TestDiffShowsExactlyTheEdit: on the fixtures and every corpus file, the
// --dry-run diff of adding a declaration, applied to the original, gives the
// edited file, and it adds lines without removing any (and the reverse for
// remove): a reviewer sees only the element that changes.
func TestDiffShowsExactlyTheEdit(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join(fixtures, "*.appxmanifest"))
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, path := range append(paths, seedPath) {
		if checkAddRemoveDiffs(t, path) {
			checked++
		}
	}
	if checked < 10 {
		t.Fatalf("only %d manifests checked", checked)
	}
	// The corpus in a subtest, so that its absence skips only this part.
	t.Run("corpus", func(t *testing.T) {
		for _, f := range corpus.Manifests(t) {
			checkAddRemoveDiffs(t, f.Path)
		}
	})
}

// checkAddRemoveDiffs checks the diffs of adding a declaration to the
// manifest at path and removing it again; false when the file has no
// Application to add to (or does not load: malformed files are tested elsewhere).
func checkAddRemoveDiffs(t *testing.T, path string) bool {
	t.Helper()
	doc, err := Load(path)
	if err != nil || len(doc.ApplicationIDs()) == 0 {
		return false
	}
	target := Target{App: doc.ApplicationIDs()[0], EntryPoint: "Bgtask.DiffProbeTask"}
	added, err := doc.Add(AddRequest{Target: target, Types: []string{"pushNotification"}})
	if err != nil {
		t.Errorf("%s: add: %v", path, err)
		return false
	}
	checkDiff(t, path+" (add)", added, '+')
	after := reparse(t, doc, added.Data)
	removed, err := after.Remove(RemoveRequest{Target: target})
	if err != nil {
		t.Errorf("%s: remove: %v", path, err)
		return false
	}
	checkDiff(t, path+" (remove)", removed, '-')
	return true
}

func checkDiff(t *testing.T, name string, res EditResult, only byte) {
	t.Helper()
	diff, err := res.Diff("Package.appxmanifest")
	if err != nil {
		t.Errorf("%s: %v", name, err)
		return
	}
	got, opposite, err := applyUnified(string(res.Before), diff, only)
	if err != nil {
		t.Errorf("%s: %v\n%s", name, err, diff)
		return
	}
	if got != string(res.Data) {
		t.Errorf("%s: the diff applied to the original does not give the edited file\n%s", name, diff)
	}
	// Two edits rewrite a line by nature: expanding <X/> into <X>...</X>
	// (its mirror, collapsing, never happens) and any edit in a file written
	// on one line.
	pure := res.edit.Start == res.edit.End || res.edit.Text == ""
	singleLine := !strings.Contains(strings.TrimRight(string(res.Before), "\r\n"), "\n")
	if opposite > 0 && pure && !singleLine {
		t.Errorf("%s: the diff has %d lines of the opposite kind; it should show only the element\n%s", name, opposite, diff)
	}
}

var hunkHeader = regexp.MustCompile(`^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@`)

// applyUnified applies a one-file unified diff to old, and counts the
// changed lines that are not of kind only ('+' or '-').
func applyUnified(old, diff string, only byte) (string, int, error) {
	oldLines := strings.SplitAfter(old, "\n")
	lines := strings.SplitAfter(diff, "\n")
	var out []string
	next, opposite := 0, 0 // next: index of the first old line not yet copied
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		switch {
		case line == "", strings.HasPrefix(line, "---"), strings.HasPrefix(line, "+++"):
			continue
		case strings.HasPrefix(line, "@@"):
			m := hunkHeader.FindStringSubmatch(line)
			if m == nil {
				return "", 0, fmt.Errorf("bad hunk header %q", line)
			}
			start, _ := strconv.Atoi(m[1])
			if m[2] == "0" {
				start++ // "-N,0" adds lines after line N
			}
			out = append(out, oldLines[next:start-1]...)
			next = start - 1
			continue
		case strings.HasPrefix(line, `\ No newline`):
			continue
		}
		kind, body := line[0], line[1:]
		if i+1 < len(lines) && strings.HasPrefix(lines[i+1], `\ No newline`) {
			body = strings.TrimSuffix(body, "\n")
		}
		if kind != ' ' && kind != only {
			opposite++
		}
		switch kind {
		case ' ':
			out = append(out, body)
			next++
		case '-':
			next++
		case '+':
			out = append(out, body)
		default:
			return "", 0, fmt.Errorf("unexpected diff line %q", line)
		}
	}
	out = append(out, oldLines[next:]...)
	return strings.Join(out, ""), opposite, nil
}
