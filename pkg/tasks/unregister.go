package tasks

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/google/uuid"
)

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
	// A registry that is not there has nothing to remove. Saying so must
	// not create its folder and lock file: a refused command writes nothing,
	// and a .bgtask folder would make this folder an app folder.
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		_, err := pick(&Registry{Path: path}, sel)
		return Registration{}, err
	}
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
