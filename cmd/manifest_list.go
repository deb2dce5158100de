package cmd

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/bgtask/bgtask/internal/safetext"
	"github.com/bgtask/bgtask/pkg/manifest"
)

// ManifestListOptions are `bgtask manifest list`'s flags.
type ManifestListOptions struct {
	JSON bool
}

// NewCmdManifestList builds `bgtask manifest list`. Tests pass runF to check
// flag parsing alone; nil runs the command.
func NewCmdManifestList(g *Globals, runF func(*ManifestListOptions) error) *cobra.Command {
	opts := &ManifestListOptions{}
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the background task declarations of the manifest",
		Long: `List every <Extension Category="windows.backgroundTasks"> of the --manifest file:
where it is (file:line:col), its application, its entry point, start page or
executable, and its task types. Task types outside the manifest's main namespace
carry their usual prefix (uap:phoneCall, m2:location, iot:startup).

--json writes the same as data; the schema is in docs/manifest.md.`,
		Example: `  bgtask manifest list
  bgtask manifest list --manifest src/App/Package.appxmanifest --json`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			if runF != nil {
				return runF(opts)
			}
			return runManifestList(g, opts)
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "write the declarations as JSON")
	return cmd
}

func runManifestList(g *Globals, opts *ManifestListOptions) error {
	doc, err := loadManifest(g.ManifestPath())
	if err != nil {
		return err
	}
	if opts.JSON {
		return writeManifestJSON(g.IO.Out, doc)
	}
	return writeBuffered(g.IO.Out, func(w io.Writer) error { return writeManifestText(w, g.OutPalette(), doc) })
}

// manifestListJSON is the --json document. Its fields are a stable interface
// (docs/manifest.md); add fields, never rename or remove them.
type manifestListJSON struct {
	Version      int                    `json:"version"`
	Manifest     string                 `json:"manifest"`
	Generation   manifest.Generation    `json:"generation"`
	Applications []string               `json:"applications"`
	Declarations []manifest.Declaration `json:"declarations"`
}

func writeManifestJSON(w io.Writer, doc *manifest.Document) error {
	out := manifestListJSON{
		Version:      jsonVersion,
		Manifest:     doc.Path,
		Generation:   doc.Generation(),
		Applications: doc.ApplicationIDs(),
		Declarations: doc.Declarations(),
	}
	if out.Applications == nil {
		out.Applications = []string{}
	}
	if out.Declarations == nil {
		out.Declarations = []manifest.Declaration{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return operationalError(fmt.Errorf("writing the declarations: %w", err))
	}
	return nil
}

// writeManifestText writes one line per declaration:
// file:line:col, application, entry point (or start page), types, details.
// Every value comes from the file, so each is escaped (safetext): a newline
// or tab in an attribute (&#xA;, &#x9;) must not forge a line or a column,
// nor a C1 control reach the terminal.
func writeManifestText(w io.Writer, p Palette, doc *manifest.Document) error {
	decls := doc.Declarations()
	path := safetext.Escape(doc.Path)
	if len(decls) == 0 {
		_, err := fmt.Fprintf(w, "No background task declarations in %s.\n", path)
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, d := range decls {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s", p.Faint(fmt.Sprintf("%s:%d:%d", path, d.Pos.Line, d.Pos.Col)),
			p.Bold(safetext.Escape(declApp(d))), p.Cyan(safetext.Escape(declTarget(d))), safetext.Escape(taskTypes(d)))
		if extra := declDetails(d); extra != "" {
			fmt.Fprintf(tw, "\t%s", safetext.Escape(extra))
		}
		fmt.Fprintln(tw)
	}
	if err := tw.Flush(); err != nil {
		return operationalError(fmt.Errorf("writing the declarations: %w", err))
	}
	return nil
}

func declApp(d manifest.Declaration) string {
	if d.PackageLevel {
		return "(package level)"
	}
	return d.App
}

// declTarget is what Windows activates: the entry point class, or for a
// JavaScript task its start page.
func declTarget(d manifest.Declaration) string {
	switch {
	case d.EntryPoint != "":
		return d.EntryPoint
	case d.StartPage != "":
		return "start page " + d.StartPage
	case d.Executable != "":
		return "executable " + d.Executable
	}
	return "(no entry point)"
}

func taskTypes(d manifest.Declaration) string {
	if len(d.Tasks) == 0 {
		return "(no tasks)"
	}
	types := make([]string, len(d.Tasks))
	for i, t := range d.Tasks {
		types[i] = t.Type
		if label := manifest.NamespaceLabel(t.Namespace); label != "" {
			types[i] = label + ":" + t.Type
		}
	}
	return strings.Join(types, ", ")
}

func declDetails(d manifest.Declaration) string {
	var parts []string
	add := func(key, value string) {
		if value != "" {
			parts = append(parts, key+"="+value)
		}
	}
	if d.EntryPoint != "" || d.StartPage != "" {
		add("Executable", d.Executable)
	}
	if d.EntryPoint != "" {
		add("StartPage", d.StartPage)
	}
	add("RuntimeType", d.RuntimeType)
	add("ResourceGroup", d.ResourceGroup)
	add("ServerName", d.ServerName)
	add("SupportsMultipleInstances", d.SupportsMultipleInstances)
	return strings.Join(parts, " ")
}
