package tasks

import (
	"errors"
	"fmt"

	"github.com/bgtask/bgtask/pkg/manifest"
	"github.com/google/uuid"
)

// ProblemCode names a kind of registry problem. Codes are stable: lint maps
// them to its rule ids and users may filter on them.
type ProblemCode string

const (
	// ProblemEntryPointNotDeclared: the manifest does not declare the
	// registration's entry point; Windows 8.1+ would refuse to register it.
	ProblemEntryPointNotDeclared ProblemCode = "entry-point-not-declared"
	// ProblemTaskTypeNotDeclared: the entry point is declared, but without the
	// task type its trigger needs.
	ProblemTaskTypeNotDeclared ProblemCode = "task-type-not-declared"
	// ProblemDuplicateName: a name is registered more than once (a hand-edited
	// file); on Windows each copy would run on every trigger.
	ProblemDuplicateName ProblemCode = "duplicate-name"
	// ProblemDuplicateTaskID: two registrations share a TaskId.
	ProblemDuplicateTaskID ProblemCode = "duplicate-task-id"
	// ProblemApplicationTriggerTwice: more than one ApplicationTrigger
	// registration; Windows allows one per app.
	ProblemApplicationTriggerTwice ProblemCode = "application-trigger-twice"
)

// Problem is one thing wrong with a registry, seen against a manifest.
type Problem struct {
	Code ProblemCode
	// Name and TaskID identify the registration the problem is about.
	Name    string
	TaskID  uuid.UUID
	Message string
	// Suggestion is, for ProblemEntryPointNotDeclared, the declared entry
	// point the registration most likely meant; "" if none is close.
	Suggestion string
	// Index is the registration's index in the Registry's Registrations:
	// Name and TaskID may both repeat in a hand-edited file.
	Index int
}

// Check cross-checks every registration of reg against decls, the
// background task declarations of the app's manifest (manifestPath is used in
// messages), and the registry against itself. It returns problems in
// registry order, registration by registration; an empty result means every
// registration would be accepted by Windows' Register.
func Check(reg *Registry, manifestPath string, decls []manifest.Declaration) []Problem {
	m := Manifest{Path: manifestPath, Declarations: decls}
	var problems []Problem
	add := func(i int, code ProblemCode, msg, suggestion string) {
		r := reg.Registrations[i]
		problems = append(problems, Problem{Code: code, Name: r.Name, TaskID: r.TaskID, Message: msg, Suggestion: suggestion, Index: i})
	}
	names := map[string]int{}
	ids := map[uuid.UUID]int{}
	var application *Registration
	for i, r := range reg.Registrations {
		var mismatch *MismatchError
		if err := m.CheckEntryPoint(r.EntryPoint, r.Trigger); errors.As(err, &mismatch) {
			add(i, mismatch.code(), fmt.Sprintf("registration %q: %s", r.Name, mismatch.Summary()), mismatch.Suggestion)
		}
		if n := names[r.Name]; n > 0 {
			add(i, ProblemDuplicateName, fmt.Sprintf("registration %q is registered %d times; on Windows each copy runs on every trigger; unregister the extras with bgtask unregister --id", r.Name, n+1), "")
		}
		names[r.Name]++
		if n := ids[r.TaskID]; n > 0 {
			add(i, ProblemDuplicateTaskID, fmt.Sprintf("registration %q has TaskId %s, already used by another registration", r.Name, r.TaskID), "")
		}
		ids[r.TaskID]++
		if r.Trigger.Kind == TriggerApplication {
			if application != nil {
				add(i, ProblemApplicationTriggerTwice, fmt.Sprintf("registration %q is a second ApplicationTrigger task (%q is the first); Windows allows one per app", r.Name, application.Name), "")
			} else {
				application = &reg.Registrations[i]
			}
		}
	}
	return problems
}

// Stranded lists the registrations of reg that the manifest declared before
// an edit and no longer declares after it (entry point gone, or the task
// type its trigger needs), with the problem each now has. Windows keeps such
// a registration, but it no longer activates (windows-facts.md §7 "Entry
// point mismatch"); bgtask lint reports it as BT015 or BT016. Registrations
// that were broken before the edit are not its doing and are left out.
func Stranded(reg *Registry, manifestPath string, before, after []manifest.Declaration) []Problem {
	was := Manifest{Path: manifestPath, Declarations: before}
	now := Manifest{Path: manifestPath, Declarations: after}
	var problems []Problem
	for i, r := range reg.Registrations {
		if was.CheckEntryPoint(r.EntryPoint, r.Trigger) != nil {
			continue
		}
		var mismatch *MismatchError
		if err := now.CheckEntryPoint(r.EntryPoint, r.Trigger); errors.As(err, &mismatch) {
			p := Problem{Code: mismatch.code(), Name: r.Name, TaskID: r.TaskID, Index: i, Message: fmt.Sprintf(
				"registration %q in %s runs entry point %s, which %s no longer declares", r.Name, reg.Path, r.EntryPoint, manifestPath)}
			if p.Code == ProblemTaskTypeNotDeclared {
				p.Message = fmt.Sprintf(
					"registration %q in %s has trigger %s (%s), which needs task type %s, no longer declared for %s in %s",
					r.Name, reg.Path, r.Trigger, r.Trigger.WindowsName(), mismatch.NeededType, r.EntryPoint, manifestPath)
			}
			problems = append(problems, p)
		}
	}
	return problems
}

// code is the registry problem a mismatch is: the entry point not declared
// at all, or declared without the task type the trigger needs.
func (e *MismatchError) code() ProblemCode {
	if e.DeclaredTypes != nil {
		return ProblemTaskTypeNotDeclared
	}
	return ProblemEntryPointNotDeclared
}
