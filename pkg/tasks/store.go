package tasks

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"

	"github.com/bgtask/bgtask/internal/fsutil"
	"github.com/google/uuid"
)

// Load reads the registry at path. A file that does not exist is an empty
// registry, and is not created. A file that cannot be read back is a
// *CorruptError or *VersionError (both match ErrInvalidInput); other errors
// are I/O failures.
//
// Load takes no lock: writers replace the file atomically, so a reader sees
// the old registry or the new one, never a torn file.
func Load(path string) (*Registry, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return &Registry{Path: path}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading registry: %w", err)
	}
	return Decode(path, data)
}

// update runs change on the registry at path under its lock and writes the
// result if change reports a modification. The sequence (lock, read, change,
// atomic replace, unlock) is what makes parallel bgtask processes lose
// nothing and a killed one leave the old or the new file.
func update(ctx context.Context, path string, change func(*Registry) (changed bool, err error)) error {
	unlock, err := fsutil.Lock(ctx, fsutil.SiblingLockPath(path))
	if err != nil {
		return fmt.Errorf("registry %s is in use by another bgtask: %w", path, err)
	}
	defer func() { _ = unlock() }()

	reg, err := Load(path)
	if err != nil {
		return err
	}
	changed, err := change(reg)
	if err != nil || !changed {
		return err
	}
	data, err := Encode(reg)
	if err != nil {
		return err
	}
	return fsutil.WriteFile(path, data, 0o644)
}

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
			return RegisterResult{}, &ConflictError{Existing: old, Reason: fmt.Sprintf(
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
	reg.Registrations = append(reg.Registrations, candidate)
	sortRegistrations(reg.Registrations)
	return result, nil
}

// Selector picks a registration to unregister: by Name, or by TaskID when
// Name is empty.
type Selector struct {
	Name   string
	TaskID uuid.UUID
}

// Unregister removes the registration sel picks from the registry at path
// and returns it. A name that matches several registrations (a hand-edited
// file) is refused: unregister those by TaskId. Not found is a
// *NotFoundError, which matches ErrInvalidInput.
func Unregister(ctx context.Context, path string, sel Selector) (Registration, error) {
	var removed Registration
	err := update(ctx, path, func(reg *Registry) (bool, error) {
		var err error
		removed, err = pick(reg, sel)
		if err != nil {
			return false, err
		}
		reg.Registrations = removeByID(reg.Registrations, removed.TaskID)
		return true, nil
	})
	return removed, err
}

func pick(reg *Registry, sel Selector) (Registration, error) {
	notFound := &NotFoundError{Name: sel.Name, TaskID: sel.TaskID, RegistryPath: reg.Path, Registered: reg.Names()}
	if sel.Name == "" {
		r, ok := reg.ByID(sel.TaskID)
		if !ok {
			return Registration{}, notFound
		}
		return r, nil
	}
	found := reg.Lookup(sel.Name)
	switch len(found) {
	case 0:
		return Registration{}, notFound
	case 1:
		return found[0], nil
	}
	return Registration{}, &ConflictError{Existing: found[0], Reason: fmt.Sprintf(
		"%d registrations are named %q (edited by hand?); unregister them one at a time with --id", len(found), sel.Name)}
}

// removeByID removes every registration with TaskId id; a hand-edited file
// may repeat one, and all of them are the same registration.
func removeByID(regs []Registration, id uuid.UUID) []Registration {
	out := regs[:0]
	for _, r := range regs {
		if r.TaskID != id {
			out = append(out, r)
		}
	}
	return out
}
