// Package scaffold writes the source of a new Go task plugin: a module with
// a task stub for each entry point, the way `cargo new` or `dotnet new`
// start a project. `bgtask plugin new` is its command.
package scaffold

import (
	"bytes"
	"errors"
	"fmt"
	"go/format"
	"go/token"
	"path"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode"
)

// SDKModule is the module a plugin imports the SDK (pkg/plugin) from.
const SDKModule = "github.com/bgtask/bgtask"

// Options say what to generate.
type Options struct {
	// Module is the new module's path, such as example.com/contoso/tasks.
	Module string
	// EntryPoints get one task stub each, in this order.
	EntryPoints []string
	// GoVersion is the go directive of go.mod (such as 1.26.0).
	GoVersion string
	// SDKVersion is the version of SDKModule to require, such as v1.2.0;
	// "" requires v0.0.0, which only a replace or a go.work can satisfy.
	SDKVersion string
	// Replace, when set, is a replace directive's target for SDKModule: a
	// checkout of bgtask.
	Replace string
	// Manifest names where the entry points come from, for comments.
	Manifest string
}

// File is one generated file, by its slash-separated path in the module.
type File struct {
	Path string
	Data []byte
}

// modulePathRe is compiled on first use, not at every start of bgtask.
var modulePathRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._~/-]*$`) })

// Generate returns the files of the plugin module, formatted with gofmt.
func Generate(o Options) ([]File, error) {
	if !modulePathRe().MatchString(o.Module) || strings.Contains(o.Module, "//") || strings.HasSuffix(o.Module, "/") {
		return nil, fmt.Errorf("module path %q is not valid: use letters, digits and . _ ~ - separated by /, such as example.com/contoso/tasks", o.Module)
	}
	if len(o.EntryPoints) == 0 {
		return nil, errors.New("no entry points to write tasks for")
	}
	seen := map[string]bool{}
	var eps []string
	for _, ep := range o.EntryPoints {
		if !seen[ep] {
			seen[ep] = true
			eps = append(eps, ep)
		}
	}
	funcs := funcNames(eps)

	var main bytes.Buffer
	fmt.Fprintf(&main, "// Command %s is a bgtask task plugin: bgtask starts it once per task\n", path.Base(o.Module))
	fmt.Fprintf(&main, "// instance and it runs the task registered for the instance's entry point.\n")
	if o.Manifest != "" {
		fmt.Fprintf(&main, "// Its entry points are the ones %s declares.\n", commentSafe(o.Manifest))
	}
	main.WriteString(`//
//	go build -o task .
//	bgtask plugin check ./task
//	bgtask register --name NAME --entry-point ENTRY.POINT --trigger push --plugin ./task
package main

import "github.com/bgtask/bgtask/pkg/plugin"

func main() {
	// Each key is an entry point, as the manifest's EntryPoint and the
	// registration's --entry-point spell it.
	plugin.Serve(map[string]plugin.Task{
`)
	for i, ep := range eps {
		fmt.Fprintf(&main, "\t\t%s: plugin.TaskFunc(%s),\n", strconv.Quote(ep), funcs[i])
	}
	main.WriteString("\t})\n}\n")

	var tasks bytes.Buffer
	tasks.WriteString(`package main

import (
	"context"
	"fmt"
	"os"

	"github.com/bgtask/bgtask/pkg/plugin"
)
`)
	for i, ep := range eps {
		fmt.Fprintf(&tasks, `
// %s is the background task %s: IBackgroundTask.Run.
func %s(ctx context.Context, inst *plugin.Instance) error {
	// A push trigger brings the raw notification (TriggerDetails).
	if n, ok := inst.RawNotification(); ok {
		fmt.Fprintf(os.Stderr, "%%s received %%q\n", inst.EntryPoint(), n.Content) // stderr is the task's log
	}

	// Work that outlives Run needs a deferral, completed when the work is
	// done; without one the work is lost when Run returns, as on Windows.
	deferral := inst.GetDeferral()
	go func() {
		defer deferral.Complete()
		select {
		case <-ctx.Done(): // cancelled: inst.CancelReason() says why
			return
		default:
		}
		// TODO: the task's work.
		inst.SetProgress(100)
	}()
	return nil
}
`, funcs[i], strconv.Quote(ep), funcs[i])
	}

	var mod bytes.Buffer
	fmt.Fprintf(&mod, "module %s\n\ngo %s\n\n", o.Module, o.GoVersion)
	sdk := o.SDKVersion
	if sdk == "" {
		sdk = "v0.0.0"
	}
	fmt.Fprintf(&mod, "require %s %s\n", SDKModule, sdk)
	if o.Replace != "" {
		fmt.Fprintf(&mod, "\nreplace %s => %s\n", SDKModule, quoteModPath(o.Replace))
	}

	files := []File{{Path: "go.mod", Data: mod.Bytes()}}
	for _, f := range []struct {
		name string
		src  []byte
	}{{"main.go", main.Bytes()}, {"tasks.go", tasks.Bytes()}} {
		formatted, err := format.Source(f.src)
		if err != nil {
			return nil, fmt.Errorf("generated %s does not parse (a bug in bgtask): %w", f.name, err)
		}
		files = append(files, File{Path: f.name, Data: formatted})
	}
	return files, nil
}

// funcNames gives each entry point a distinct, valid Go function name from
// its class name: Tasks.ExampleBackgroundTask -> runExampleBackgroundTask.
func funcNames(eps []string) []string {
	names := make([]string, len(eps))
	used := map[string]bool{}
	for i, ep := range eps {
		parts := strings.Split(ep, ".")
		base := "run" + identifier(parts[len(parts)-1])
		if used[base] && len(parts) > 1 { // the same class name in two namespaces
			base = "run" + identifier(strings.Join(parts, ""))
		}
		name := base
		for n := 2; used[name] || token.Lookup(name).IsKeyword(); n++ {
			name = base + strconv.Itoa(n)
		}
		used[name] = true
		names[i] = name
	}
	return names
}

// identifier keeps the letters and digits of s, with its first letter upper case.
func identifier(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_') {
			b.WriteRune(r)
		}
	}
	out := b.String()
	if out == "" {
		return "Task"
	}
	return strings.ToUpper(out[:1]) + out[1:]
}

// commentSafe keeps a path on one comment line.
func commentSafe(s string) string {
	q := strconv.Quote(s)
	return q[1 : len(q)-1]
}

// quoteModPath writes a go.mod path, quoted when it has spaces or quotes.
func quoteModPath(p string) string {
	if strings.ContainsAny(p, " \t\"'`\\") || p == "" {
		return strconv.Quote(p)
	}
	return p
}
