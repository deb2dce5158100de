package cmd

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// Each entry of subcommands is found by its command's name: rootFor finds
// the command args name among stand-ins that have only that name.
func TestSubcommandNames(t *testing.T) {
	io, _, _, _ := TestIO()
	for _, sub := range subcommands() {
		c := sub.build(&Globals{IO: io})
		if c.Name() != sub.name || len(c.Aliases) > 0 || c.Hidden {
			t.Errorf("subcommands names %q for a command named %q (aliases %q, hidden %t); rootFor's stand-ins only know the name", sub.name, c.Name(), c.Aliases, c.Hidden)
		}
	}
}

// Running args with the part of the tree rootFor builds says and exits
// exactly what running them with the whole tree does: help at every level,
// --version, and the errors and suggestions of names and flags that are no
// command's (none of these runs a command's work).
func TestPartialTreeActsAsWholeTree(t *testing.T) {
	cases := [][]string{
		{}, {"--version"}, {"-v"}, {"--no-color", "--version"}, {"--manifest", "x.appxmanifest", "--version"},
		{"--manifest=x.appxmanifest", "--version"}, {"--version", "--help"}, {"-v", "-h"}, {"--version", "lint"},
		{"--help", "lint"}, {"--version=false"}, {"--version", "--bogus"}, {"--bogus", "--version"}, {"--version", "--", "lint"},
		{"nosuch"}, {"nosuch", "--version"}, {"lnt"}, {"--manfest", "x", "lint"}, {"--manifest", "lint", "tasks", "--help"},
		{"plugin", "chek"}, {"help"}, {"help", "lint"}, {"help", "nosuch"}, {"completion"}, {"completion", "nushell"},
		{"lint", "--formt", "json"}, {"register", "--entrypoint", "X"},
	}
	io, _, _, _ := TestIO()
	var walk func(*cobra.Command)
	walk = func(c *cobra.Command) {
		path := strings.Fields(c.CommandPath())[1:]
		for _, last := range [][]string{{"--help"}, {"-h"}, {"--zzzz"}, {"--no-color", "--version"}} {
			cases = append(cases, append(slices.Clone(path), last...))
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(NewRootCmd(&Globals{IO: io}))

	run := func(args []string, build func(*Globals, []string) *cobra.Command) (int, string, string) {
		io, _, out, errOut := TestIO()
		code := execute(context.Background(), io, args, build)
		return code, out.String(), errOut.String()
	}
	whole := func(g *Globals, _ []string) *cobra.Command { return NewRootCmd(g) }
	for _, args := range cases {
		wantCode, wantOut, wantErr := run(args, whole)
		code, out, errOut := run(args, rootFor)
		if code != wantCode || out != wantOut || errOut != wantErr {
			t.Errorf("bgtask %q with rootFor's tree: exit %d, stdout %q, stderr %q\nwith the whole tree: exit %d, stdout %q, stderr %q",
				args, code, out, errOut, wantCode, wantOut, wantErr)
		}
	}
}

// rootFor does build less: nothing for --version, only the command named
// otherwise (with cobra's help and completion commands).
func TestRootForBuildsOnlyWhatIsRun(t *testing.T) {
	io, _, _, _ := TestIO()
	names := func(args ...string) []string {
		var out []string
		for _, c := range rootFor(&Globals{IO: io}, args).Commands() {
			out = append(out, c.Name())
		}
		return out
	}
	if got := names("--version"); len(got) != 0 {
		t.Errorf("--version built %q", got)
	}
	if got := names("--manifest", "x", "lint", "--format", "json"); !slices.Equal(got, []string{"completion", "help", "lint"}) {
		t.Errorf("lint built %q", got)
	}
	if got, all := names("--help"), names("help"); len(got) != len(subcommands())+2 || !slices.Equal(got, all) {
		t.Errorf("--help built %q, help %q: want the whole tree", got, all)
	}
}
