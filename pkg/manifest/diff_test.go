package manifest

import (
	"fmt"
	"os"
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
	paths, _ := filepath.Glob("../../testdata/manifests/*.appxmanifest")
	paths = append(paths, "../../testdata/seed/Package.appxmanifest")
	if _, err := os.Stat(filepath.Join("..", "..", "..", "shared", "corpus", "manifests")); err == nil {
		for _, f := range corpus.Manifests(t) {
			paths = append(paths, f.Path)
		}
	}
	checked := 0
	for _, path := range paths {
		doc, err := Load(path)
		if err != nil || len(doc.ApplicationIDs()) == 0 {
			continue // malformed fixtures are tested elsewhere
		}
		target := Target{App: doc.ApplicationIDs()[0], EntryPoint: "Bgtask.DiffProbeTask"}
		added, err := doc.Add(AddRequest{Target: target, Types: []string{"pushNotification"}})
		if err != nil {
			t.Errorf("%s: add: %v", path, err)
			continue
		}
		checkDiff(t, path+" (add)", added, '+')
		after := reparse(t, doc, added.Data)
		removed, err := after.Remove(RemoveRequest{Target: target})
		if err != nil {
			t.Errorf("%s: remove: %v", path, err)
			continue
		}
		checkDiff(t, path+" (remove)", removed, '-')
		checked++
	}
	if checked < 10 {
		t.Fatalf("only %d manifests checked", checked)
	}
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
