package tasks

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
)

// Outcome says what Register did.
type Outcome int

const (
	// Registered: the name was new.
	Registered Outcome = iota + 1
	// AlreadyRegistered: an identical registration existed; nothing changed.
	AlreadyRegistered
	// Replaced: the name was registered with other settings and Replace was set.
	Replaced
)

func (o Outcome) String() string {
	switch o {
	case Registered:
		return "registered"
	case AlreadyRegistered:
		return "already registered"
	case Replaced:
		return "replaced"
	}
	return "unknown"
}

// RegisterOptions changes how Register treats an existing registration and
// what it checks.
type RegisterOptions struct {
	// Replace a registration of the same name that has other settings.
	Replace bool
	// Manifest is what the entry point and trigger are checked against, as
	// Windows 8.1+ checks at Register. Nil skips the check.
	Manifest *Manifest
	// Now stamps the registration; nil means time.Now.
	Now func() time.Time
}

// RegisterResult is what Register did and the registration now in force.
type RegisterResult struct {
	Outcome      Outcome
	Registration Registration
	// Previous is the registration Replaced replaced.
	Previous *Registration
}

// Register adds req to the registry at path, applying Windows' rules:
// the manifest must declare the entry point with the task type the trigger
// needs; a name is registered once (identical again is a no-op, different is
// refused unless Replace); only one ApplicationTrigger registration per app.
// Refusals match ErrInvalidInput and write nothing.
func Register(ctx context.Context, path string, req Request, opts RegisterOptions) (RegisterResult, error) {
	plugin, err := storedPluginPath(path, req.Plugin)
	if err != nil {
		return RegisterResult{}, fmt.Errorf("resolving plugin path %s: %w", req.Plugin, err)
	}
	conds, err := canonicalConditions(req.Conditions)
	if err != nil {
		return RegisterResult{}, err
	}
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	candidate := Registration{
		Name:                  req.Name,
		EntryPoint:            req.EntryPoint,
		Trigger:               req.Trigger,
		Conditions:            conds,
		CancelOnConditionLoss: req.CancelOnConditionLoss,
		Plugin:                plugin,
		PluginArgs:            req.PluginArgs,
		ExamplePlugin:         req.ExamplePlugin,
		Registered:            now().UTC().Truncate(time.Second),
	}
	if err := candidate.validate(); err != nil {
		return RegisterResult{}, err
	}
	if opts.Manifest != nil {
		if err := opts.Manifest.CheckEntryPoint(candidate.EntryPoint, candidate.Trigger); err != nil {
			return RegisterResult{}, err
		}
	}

	var result RegisterResult
	err = update(ctx, path, func(reg *Registry) (bool, error) {
		var err error
		result, err = applyRegister(reg, candidate, opts.Replace)
		return err == nil && result.Outcome != AlreadyRegistered, err
	})
	if err != nil {
		return RegisterResult{}, err
	}
	return result, nil
}

// applyRegister decides what registering candidate does to reg and changes
// reg accordingly.
func applyRegister(reg *Registry, candidate Registration, replace bool) (RegisterResult, error) {
	existing := reg.Lookup(candidate.Name)
	if len(existing) > 1 {
		return RegisterResult{}, &ConflictError{Existing: existing[0], Reason: fmt.Sprintf(
			"the registry holds %d registrations named %q (edited by hand?); unregister the extra ones by --id first", len(existing), candidate.Name)}
	}
	if len(existing) == 1 {
		old := existing[0]
		if old.sameSettings(candidate) {
			return RegisterResult{Outcome: AlreadyRegistered, Registration: old}, nil
		}
		if !replace {
			return RegisterResult{}, &ConflictError{Existing: old, Differences: old.differences(candidate, reg.PluginPath), Reason: fmt.Sprintf(
				"a task named %q is already registered with other settings; check AllTasks before registering, or pass --replace to unregister it and register the new one", candidate.Name)}
		}
	}
	if candidate.Trigger.Kind == TriggerApplication {
		for _, other := range reg.Registrations {
			// windows-facts.md §3: ApplicationTrigger can be registered only once per app instance.
			if other.Trigger.Kind == TriggerApplication && other.Name != candidate.Name {
				return RegisterResult{}, &ConflictError{Existing: other, Reason: "an app can register only one ApplicationTrigger task, and one is registered already; unregister it first"}
			}
		}
	}
	id, err := uuid.NewRandom()
	if err != nil {
		return RegisterResult{}, fmt.Errorf("generating a TaskId: %w", err)
	}
	candidate.TaskID = id
	result := RegisterResult{Outcome: Registered, Registration: candidate}
	if len(existing) == 1 {
		previous := existing[0]
		result.Outcome, result.Previous = Replaced, &previous
		reg.Registrations = removeByID(reg.Registrations, previous.TaskID)
	}
	reg.Registrations = insertRegistration(reg.Registrations, candidate)
	return result, nil
}
