package tasks

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/bgtask/bgtask/internal/safetext"
	"github.com/bgtask/bgtask/pkg/manifest"
)

// Manifest is the part of an app manifest Register checks against: its
// background task declarations. Callers load the manifest; this package
// only looks at the declarations.
type Manifest struct {
	Path         string // for messages
	Declarations []manifest.Declaration
	// AppIDs are the manifest's Application Ids, so that a suggested
	// manifest add names the application when there are several (it
	// refuses to guess); nil when unknown.
	AppIDs []string
}

// MismatchError refuses a registration the manifest does not allow: its entry
// point is not declared, or is declared without the task type the trigger
// needs. Windows 8.1+ throws at Register in both cases (windows-facts.md §3
// "Register()"; §7 "Entry point mismatch").
type MismatchError struct {
	ManifestPath string
	EntryPoint   string
	Trigger      Trigger
	// NeededType is the task type the trigger needs.
	NeededType string
	// DeclaredTypes are the types declared for EntryPoint; nil when the entry
	// point is not declared at all.
	DeclaredTypes []string
	// Declared is every declared entry point, in document order.
	Declared []DeclaredEntryPoint
	// Suggestion is the declared entry point nearest EntryPoint, if one is
	// close enough to be a likely typo.
	Suggestion string
	// AppIDs are the manifest's Application Ids (Manifest.AppIDs), and
	// DeclaredApp the one declaring EntryPoint when DeclaredTypes is set.
	AppIDs      []string
	DeclaredApp string
}

// appFlag is the --app a suggested manifest add needs: none with one
// application, the declaring one when known, else a placeholder the
// message explains.
func (e *MismatchError) appFlag() string {
	switch {
	case len(e.AppIDs) < 2:
		return ""
	case e.DeclaredTypes != nil && e.DeclaredApp != "":
		return " --app " + safetext.ShellWord(e.DeclaredApp)
	}
	return " --app ID"
}

// appNote says what ID stands for in appFlag's placeholder.
func (e *MismatchError) appNote() string {
	if e.appFlag() != " --app ID" {
		return ""
	}
	ids := make([]string, len(e.AppIDs))
	for i, id := range e.AppIDs {
		ids[i] = safetext.ShellWord(id)
	}
	return fmt.Sprintf(" (ID: the Application to declare it in, one of %s)", strings.Join(ids, ", "))
}

// DeclaredEntryPoint is one entry point the manifest declares and its types.
type DeclaredEntryPoint struct {
	EntryPoint string
	Types      []string
	Line       int
}

func (e *MismatchError) Is(target error) bool { return target == ErrInvalidInput }

func (e *MismatchError) Error() string {
	var b strings.Builder
	b.WriteString(e.Summary())
	if len(e.Declared) > 0 && e.DeclaredTypes == nil {
		fmt.Fprintf(&b, "\n  %s declares:", e.ManifestPath)
		for _, d := range e.Declared {
			fmt.Fprintf(&b, "\n    %s (%s) at line %d", safetext.Escape(d.EntryPoint), safetext.Escape(strings.Join(d.Types, ", ")), d.Line)
		}
	}
	var invalid *manifest.InvalidValueError
	switch {
	case errors.As(manifest.CheckEntryPoint(e.EntryPoint), &invalid):
		// No command can declare it: manifest add refuses it (BT004).
		fmt.Fprintf(&b, "\n  %s %s: an entry point is the task class's full name, Namespace.Class", safetext.ShellWord(e.EntryPoint), invalid.Reason)
	case e.DeclaredTypes != nil:
		fmt.Fprintf(&b, "\n  to declare the type: bgtask manifest add --entry-point %s --type %s%s", safetext.ShellWord(e.EntryPoint), e.NeededType, e.appFlag())
	case e.Suggestion == "":
		fmt.Fprintf(&b, "\n  to declare it: bgtask manifest add --entry-point %s --type %s%s%s", safetext.ShellWord(e.EntryPoint), e.NeededType, e.appFlag(), e.appNote())
	}
	b.WriteString("\n  Windows 8.1 and later refuse such a registration at Register (see docs/registry.md).")
	return b.String()
}

// Summary is the problem in one line, for lint findings. Values from the
// manifest are escaped (safetext): an entry point holding "&#xA;" must not
// add a line to the message.
func (e *MismatchError) Summary() string {
	switch {
	case e.DeclaredTypes != nil:
		return fmt.Sprintf("entry point %s is declared in %s for %s, but trigger %s (%s) needs task type %s",
			e.EntryPoint, e.ManifestPath, safetext.Escape(strings.Join(e.DeclaredTypes, ", ")), e.Trigger, e.Trigger.WindowsName(), e.NeededType)
	case len(e.Declared) == 0:
		return fmt.Sprintf("entry point %s is not declared: %s declares no background tasks", e.EntryPoint, e.ManifestPath)
	case e.Suggestion != "":
		return fmt.Sprintf("entry point %s is not declared in %s; did you mean %s?", e.EntryPoint, e.ManifestPath, safetext.Escape(e.Suggestion))
	}
	return fmt.Sprintf("entry point %s is not declared in %s", e.EntryPoint, e.ManifestPath)
}

// CheckEntryPoint returns a *MismatchError unless the manifest declares
// entryPoint with the task type trigger needs. An entry point is matched
// exactly (Windows compares activatable class ids as written) against each
// declaration's EntryPoint, or its StartPage for a JavaScript task.
func (m Manifest) CheckEntryPoint(entryPoint string, trigger Trigger) error {
	need := trigger.RequiredTaskType()
	var declaredTypes []string
	declaredApp := ""
	for _, d := range m.Declarations {
		if declaredEntryPoint(d) != entryPoint {
			continue
		}
		if d.HasType(need) {
			return nil
		}
		if declaredApp == "" && !d.PackageLevel {
			declaredApp = d.App
		}
		// Each type once, in document order, though several declarations
		// of the entry point may repeat it.
		for _, t := range d.Types() {
			if !slices.Contains(declaredTypes, t) {
				declaredTypes = append(declaredTypes, t)
			}
		}
	}
	e := &MismatchError{
		ManifestPath: m.Path,
		EntryPoint:   entryPoint,
		Trigger:      trigger,
		NeededType:   need,
		Declared:     m.declared(),
		AppIDs:       m.AppIDs,
		DeclaredApp:  declaredApp,
	}
	if declaredTypes != nil {
		e.DeclaredTypes = declaredTypes
		return e
	}
	names := make([]string, 0, len(e.Declared))
	for _, d := range e.Declared {
		names = append(names, d.EntryPoint)
	}
	e.Suggestion = nearest(entryPoint, names)
	return e
}

// declared lists the declared entry points, merging declarations that repeat
// one (several Application elements, or one Extension per type).
func (m Manifest) declared() []DeclaredEntryPoint {
	var out []DeclaredEntryPoint
	index := map[string]int{}
	for _, d := range m.Declarations {
		ep := declaredEntryPoint(d)
		if ep == "" {
			continue
		}
		i, seen := index[ep]
		if !seen {
			i = len(out)
			index[ep] = i
			out = append(out, DeclaredEntryPoint{EntryPoint: ep, Line: d.Pos.Line})
		}
		for _, t := range d.Types() {
			if !slices.Contains(out[i].Types, t) {
				out[i].Types = append(out[i].Types, t)
			}
		}
	}
	return out
}

// declaredEntryPoint is what a registration's TaskEntryPoint must equal for
// this declaration: its EntryPoint, or for a JavaScript task its StartPage.
func declaredEntryPoint(d manifest.Declaration) string {
	if d.EntryPoint != "" {
		return d.EntryPoint
	}
	return d.StartPage
}
