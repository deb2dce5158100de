package cmd

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/bgtask/bgtask/internal/textdist"
)

// flagUsageError is every flag parsing error: a usage error (exit 2), with
// the flag the user most likely meant when the flag is unknown
// (--entrypoint: did you mean --entry-point?).
func flagUsageError(c *cobra.Command, err error) error {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "unknown flag: --"); ok {
		if s := nearestFlag(c.Flags(), name); s != "" {
			return usageError(fmt.Errorf("%w; did you mean --%s?", err, s))
		}
	}
	return usageError(err)
}

// nearestFlag is the visible flag of fs closest to name: the same but for
// dashes and case, or within a third of its length in edits (at least 2).
func nearestFlag(fs *pflag.FlagSet, name string) string {
	norm := func(s string) string { return strings.ToLower(strings.ReplaceAll(s, "-", "")) }
	typed := norm(name)
	best, bestDist := "", -1
	fs.VisitAll(func(f *pflag.Flag) {
		if f.Hidden {
			return
		}
		d := textdist.Levenshtein(typed, norm(f.Name))
		if d <= max(2, len(typed)/3) && (bestDist < 0 || d < bestDist) {
			best, bestDist = f.Name, d
		}
	})
	return best
}
