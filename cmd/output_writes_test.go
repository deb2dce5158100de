package cmd

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// countingWriter counts the writes made to it, each of which is a system
// call when it is a terminal, a pipe or a file.
type countingWriter struct {
	bytes.Buffer
	writes int
}

func (c *countingWriter) Write(p []byte) (int, error) {
	c.writes++
	return c.Buffer.Write(p)
}

// Listings and reports reach stdout in a few large writes, not one per
// table cell or finding: `manifest list` of 10,000 declarations made 80,261
// write system calls through text/tabwriter (0.15 s, 0.06 s buffered).
func TestListingsAreWrittenInFewWrites(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.appxmanifest")
	if err := os.WriteFile(good, bigManifest(300), 0o644); err != nil {
		t.Fatal(err)
	}
	// Every declaration with a task type Windows does not know: a finding each.
	bad := filepath.Join(dir, "bad.appxmanifest")
	if err := os.WriteFile(bad, bytes.ReplaceAll(bigManifest(300), []byte(`Type="timer"`), []byte(`Type="bogus"`)), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string // in the output, so that the command did write its listing
		code int
	}{
		{[]string{"--manifest", good, "manifest", "list"}, "Tasks.Task300", 0},
		{[]string{"lint", "--no-registry", bad}, "BT002", 1},
		{[]string{"lint", "--no-registry", "--format", "github", bad}, "::error file=", 1},
		{[]string{"lint", "--list-rules"}, "BT029", 0},
	} {
		io, _, _, _ := TestIO()
		out := &countingWriter{}
		io.Out = out
		code := Execute(context.Background(), io, tc.args)
		if code != tc.code || !strings.Contains(out.String(), tc.want) {
			t.Fatalf("%v: exit %d, want %d; output %.200q", tc.args, code, tc.code, out.String())
		}
		// 64 KiB a write at most, whatever the size: a write per line or
		// cell would be hundreds.
		if max := out.Len()/(64<<10) + 2; out.writes > max {
			t.Errorf("%v: %d bytes in %d writes, want at most %d", tc.args, out.Len(), out.writes, max)
		}
	}
}
