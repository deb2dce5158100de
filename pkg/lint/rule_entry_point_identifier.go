package lint

import (
	"fmt"
	"strings"
	"unicode"
)

// ruleEntryPointIdentifier reports an EntryPoint that cannot be an
// activatable class name: a file name (pch.cpp), a path, a bare class name.
type ruleEntryPointIdentifier struct{ RuleBase }

func newRuleEntryPointIdentifier() Rule {
	return ruleEntryPointIdentifier{RuleBase{RuleInfo{
		ID:       "BT004",
		Name:     "entry-point-identifier",
		Severity: SeverityError,
		Short:    "a background-task EntryPoint that is not a Namespace.Class name",
		What: `A background task's EntryPoint is the activatable class ID of the task: the full
name of the class, a dotted identifier such as "Tasks.PushTask". A file name
(pch.cpp, Task.cs, task.js), a path, a name with spaces or a class name without
its namespace is reported.`,
		Why: `Windows activates the task by that class name. A name that is not a class
(the LockScreenApps sample's EntryPoint="pch.cpp") registers and then never
runs: activation fails on the device with nothing at build time.`,
		Fix: `Write the namespace and class of the IBackgroundTask implementation, exactly as
in the code: EntryPoint="MyTasks.PushTask". It must also be the TaskEntryPoint
the app registers. JavaScript tasks use StartPage instead.`,
		Source: `windows-facts.md §1 "Extension attributes" (EntryPoint is an activatable class ID,
normally Namespace.Class) and §7 "Entry point mismatch" (WDD debug-a-background-task.md).`,
	}}}
}

func (r ruleEntryPointIdentifier) Check(p *Pass) {
	for _, d := range p.Declarations() {
		if d.EntryPoint == "" || hasPlaceholder(d.EntryPoint) {
			continue
		}
		if msg := entryPointProblem(d.EntryPoint); msg != "" {
			p.Reportf(p.AttrPos(d.Element, "EntryPoint"), "%s", msg)
		}
	}
}

// entryPointProblem explains why ep is not a class name, or returns "".
func entryPointProblem(ep string) string {
	parts := strings.Split(ep, ".")
	if last := strings.ToLower(parts[len(parts)-1]); len(parts) > 1 && isSourceOrBinaryExtension(last) {
		return fmt.Sprintf("EntryPoint %q is a file name, not a class: write the task class's full name, Namespace.Class", ep)
	}
	if strings.ContainsAny(ep, `\/`) {
		return fmt.Sprintf("EntryPoint %q is a path, not a class: write the task class's full name, Namespace.Class", ep)
	}
	for _, part := range parts {
		if !isIdentifier(part) {
			return fmt.Sprintf("EntryPoint %q is not a dotted identifier: write the task class's full name, Namespace.Class", ep)
		}
	}
	if len(parts) < 2 {
		return fmt.Sprintf("EntryPoint %q has no namespace: write the task class's full name, Namespace.Class", ep)
	}
	return ""
}

// isSourceOrBinaryExtension reports file extensions that show up by mistake
// where a class name belongs.
func isSourceOrBinaryExtension(ext string) bool {
	switch ext {
	case "cpp", "cxx", "cc", "c", "h", "hpp", "cs", "vb", "fs", "js", "ts", "xaml",
		"dll", "exe", "winmd", "idl", "html", "htm":
		return true
	}
	return false
}

func isIdentifier(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if r == '_' || unicode.IsLetter(r) || (i > 0 && (unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r))) {
			continue
		}
		return false
	}
	return true
}
