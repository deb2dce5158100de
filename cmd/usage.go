package cmd

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

// A command that only groups others (bgtask plugin, manifest, completion)
// is not runnable in cobra, so `bgtask plugin chek` printed the group's help
// and exited 0: a CI step with a typo passed. strictSubcommands makes every
// level refuse an unknown subcommand as a usage error (exit 2) with cobra's
// "did you mean" suggestions, `help TOPIC` too; a group named alone still
// prints its help.
func strictSubcommands(root *cobra.Command) {
	root.SetHelpCommand(newHelpCmd())
	root.InitDefaultHelpCmd()
	// Added here rather than lazily by cobra at Execute, so that the walk
	// below sees it (`bgtask completion nushell`).
	root.InitDefaultCompletionCmd()
	var walk func(*cobra.Command)
	walk = func(c *cobra.Command) {
		if c.HasSubCommands() && !c.Runnable() {
			c.SuggestionsMinimumDistance = 2 // cobra's default, which SuggestionsFor alone does not apply
			c.Args = cobra.ArbitraryArgs
			c.RunE = func(c *cobra.Command, args []string) error {
				if len(args) == 0 {
					return c.Help()
				}
				return unknownCommand(c, args[0])
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)

	// Flags are parsed before RunE runs: in `bgtask plugin chek ./x --example`
	// the group's "unknown flag --example" would hide the real mistake.
	flagError := root.FlagErrorFunc()
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		if c.HasSubCommands() && c.Flags().NArg() > 0 {
			return unknownCommand(c, c.Flags().Arg(0))
		}
		return flagError(c, err)
	})
}

// unknownCommand is the usage error for name, not a subcommand of group.
func unknownCommand(group *cobra.Command, name string) error {
	msg := fmt.Sprintf("unknown command %q for %q", name, group.CommandPath())
	if s := group.SuggestionsFor(name); len(s) > 0 {
		msg += "; did you mean " + strings.Join(s, " or ") + "?"
	}
	return usageErrorf("%s\n  %s --help lists its commands", msg, group.CommandPath())
}

// newHelpCmd is cobra's help command, except that an unknown topic is a
// usage error instead of the root's usage and exit 0.
func newHelpCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "help [command]",
		Short: "Help about any command",
		Long:  "Help prints the help of any command: bgtask help [path to command].",
		ValidArgsFunction: func(c *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
			target, _, err := c.Root().Find(args)
			if err != nil {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			var names []cobra.Completion
			for _, sub := range target.Commands() {
				if sub.IsAvailableCommand() && strings.HasPrefix(sub.Name(), toComplete) {
					names = append(names, cobra.CompletionWithDesc(sub.Name(), sub.Short))
				}
			}
			return names, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(c *cobra.Command, args []string) error {
			target, rest, err := c.Root().Find(args)
			if err != nil {
				return usageError(err)
			}
			// Arguments left over name no command: a typo, unless the command
			// found takes arguments of its own (help lint PATH).
			if len(rest) > 0 && target.HasSubCommands() {
				return unknownCommand(target, rest[0])
			}
			target.InitDefaultHelpFlag()
			target.InitDefaultVersionFlag()
			return target.Help()
		},
	}
}
