package tasks

import (
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"
)

// ErrInvalidInput is matched (errors.Is) by every error that means the
// caller's input or the registry file is wrong, as opposed to an I/O failure:
// a bad trigger, a mismatch with the manifest, a conflicting registration, a
// corrupt registry. Nothing was written when one of these is returned. The
// command line maps it to exit code 2.
var ErrInvalidInput = errors.New("invalid input")

// InputError is a value that cannot be registered: a malformed trigger, an
// unknown condition, a freshness under 15 minutes.
type InputError struct {
	Field  string // "trigger", "condition", "name", "entry point", "plugin" (keys of jsonKeyOfField)
	Value  string
	Reason string
}

func (e *InputError) Error() string {
	if e.Value == "" {
		return fmt.Sprintf("%s: %s", e.Field, e.Reason)
	}
	return fmt.Sprintf("%s %q: %s", e.Field, e.Value, e.Reason)
}

func (e *InputError) Is(target error) bool { return target == ErrInvalidInput }

// ConflictError refuses a registration because of one already in the
// registry: the same name with other settings (without Replace), or a second
// ApplicationTrigger registration.
type ConflictError struct {
	Existing Registration
	Reason   string
	// Differences names the settings a refused same-name request asked
	// to change, each with its registered value.
	Differences []string
}

func (e *ConflictError) Error() string {
	msg := fmt.Sprintf("%s\n  registered: %s", e.Reason, e.Existing.Summary())
	for _, d := range e.Differences {
		msg += "\n  asked for:  " + d
	}
	return msg
}

func (e *ConflictError) Is(target error) bool { return target == ErrInvalidInput }

// NotFoundError says no registration has the name or TaskId asked for.
type NotFoundError struct {
	Name         string
	TaskID       uuid.UUID
	RegistryPath string
	// Registered lists the names that are registered, to spot a typo.
	Registered []string
}

func (e *NotFoundError) Error() string {
	what := fmt.Sprintf("no registration named %q", e.Name)
	if e.Name == "" {
		what = fmt.Sprintf("no registration with TaskId %s", e.TaskID)
	}
	if len(e.Registered) == 0 {
		return fmt.Sprintf("%s in %s: the registry is empty", what, e.RegistryPath)
	}
	if e.Name != "" {
		// A guess that shares nothing with the name (A for C) helps nobody.
		if guess := nearest(e.Name, e.Registered); guess != "" && editDistance(strings.ToLower(e.Name), strings.ToLower(guess)) < len(e.Name) {
			what += fmt.Sprintf(" (did you mean %s?)", guess)
		}
	}
	return fmt.Sprintf("%s in %s; registered: %s", what, e.RegistryPath, strings.Join(e.Registered, ", "))
}

func (e *NotFoundError) Is(target error) bool { return target == ErrInvalidInput }

// CorruptError is a registry file that cannot be read back: malformed or
// truncated JSON, a field of the wrong type, an unknown field, a value that
// is not a valid registration. The file is left as it is.
type CorruptError struct {
	Path string
	// Line and Col are 1-based (columns count bytes); 0 when the problem has
	// no single position (a registration's value is invalid).
	Line, Col int
	Msg       string
	Err       error
}

func (e *CorruptError) Error() string {
	where := e.Path
	if e.Line > 0 {
		where = fmt.Sprintf("%s:%d:%d", e.Path, e.Line, e.Col)
	}
	return fmt.Sprintf("%s: corrupt registry: %s; the file was left as it is: fix it by hand, or move it away to start an empty registry", where, e.Msg)
}

func (e *CorruptError) Unwrap() error { return e.Err }

func (e *CorruptError) Is(target error) bool { return target == ErrInvalidInput }

// VersionError is a registry written in a format version this bgtask does not
// know, by a newer bgtask. It is never rewritten: that would lose what the
// newer version stored.
type VersionError struct {
	Path    string
	Version int
}

func (e *VersionError) Error() string {
	return fmt.Sprintf("%s: registry format version %d is newer than this bgtask understands (version %d); upgrade bgtask to use it. The file was left as it is", e.Path, e.Version, FormatVersion)
}

func (e *VersionError) Is(target error) bool { return target == ErrInvalidInput }
