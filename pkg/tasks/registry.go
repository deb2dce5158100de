package tasks

import (
	"bytes"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/google/uuid"
)

// Registry is the content of one registry file: the simulated AllTasks.
type Registry struct {
	// Path is the file the registry was read from; relative plugin paths are
	// resolved from its folder.
	Path string
	// Registrations are sorted by name (then TaskId, for hand-edited files
	// that repeat a name).
	Registrations []Registration
}

// Lookup returns the registrations named name: none, one, or several in a
// hand-edited file.
func (r *Registry) Lookup(name string) []Registration {
	var found []Registration
	for _, reg := range r.Registrations {
		if reg.Name == name {
			found = append(found, reg)
		}
	}
	return found
}

// Occurrence says which copy of its TaskId Registrations[i] is, counting
// from 0 in the order of the file it was read from: a hand-edited file may
// repeat a TaskId (BT018), and a finding about one copy must point at that
// copy's place in the file.
func (r *Registry) Occurrence(i int) int {
	n := 0
	for _, other := range r.Registrations {
		if other.TaskID == r.Registrations[i].TaskID && other.fileIndex < r.Registrations[i].fileIndex {
			n++
		}
	}
	return n
}

// ByID returns the registration with TaskId id.
func (r *Registry) ByID(id uuid.UUID) (Registration, bool) {
	for _, reg := range r.Registrations {
		if reg.TaskID == id {
			return reg, true
		}
	}
	return Registration{}, false
}

// Names returns the registered names in order, each once.
func (r *Registry) Names() []string {
	names := make([]string, 0, len(r.Registrations))
	for _, reg := range r.Registrations {
		names = append(names, reg.Name)
	}
	return slices.Compact(names)
}

// PluginPath resolves reg's plugin to a path usable from the working folder:
// relative plugins are relative to the registry's folder. It returns "" when
// reg has no plugin.
func (r *Registry) PluginPath(reg Registration) string {
	return ResolvePlugin(r.Path, reg.Plugin)
}

// ResolvePlugin resolves a stored plugin path against the registry at
// registryPath. The result is always a path, never a bare name: a plugin
// beside a registry in the working folder is ./task, not task, which a
// process start would look up in PATH (simulate.FindPlugin).
func ResolvePlugin(registryPath, plugin string) string {
	if plugin == "" {
		return ""
	}
	p := filepath.FromSlash(plugin)
	if filepath.IsAbs(p) {
		return p
	}
	p = filepath.Join(filepath.Dir(registryPath), p)
	if filepath.Base(p) == p {
		p = "." + string(filepath.Separator) + p
	}
	return p
}

// storedPluginPath turns a plugin path given relative to the working folder
// into the form kept in the registry at registryPath: relative to the
// registry's folder, with forward slashes so the file reads the same on every
// system. Absolute paths are kept absolute, as are paths that cannot be made
// relative (another drive on Windows).
func storedPluginPath(registryPath, plugin string) (string, error) {
	if plugin == "" {
		return "", nil
	}
	if filepath.IsAbs(plugin) {
		return filepath.Clean(plugin), nil
	}
	absPlugin, err := filepath.Abs(plugin)
	if err != nil {
		return "", err
	}
	absDir, err := filepath.Abs(filepath.Dir(registryPath))
	if err != nil {
		return "", err
	}
	rel, err := filepath.Rel(absDir, absPlugin)
	if err != nil {
		return absPlugin, nil
	}
	return filepath.ToSlash(rel), nil
}

// sortRegistrations keeps the file order independent of registration order.
// A registry bgtask wrote is sorted already: checking costs a comparison
// per registration, sorting many more.
func sortRegistrations(regs []Registration) {
	if !registrationsSorted(regs) {
		slices.SortStableFunc(regs, compareRegistrations)
	}
}

// insertRegistration adds r to the sorted regs where sorting would put it:
// after registrations that compare equal, as a stable sort would.
func insertRegistration(regs []Registration, r Registration) []Registration {
	i := sort.Search(len(regs), func(i int) bool { return compareRegistrationsAt(&regs[i], &r) > 0 })
	return slices.Insert(regs, i, r)
}

// registrationsSorted compares through pointers: a Registration is about
// 200 bytes, and slices.IsSortedFunc's comparison by value copied two of
// them per step, which with the comparison was a twentieth of registering
// into a 10,000-registration registry (it checks twice: as read, as written).
func registrationsSorted(regs []Registration) bool {
	for i := 1; i < len(regs); i++ {
		if compareRegistrationsAt(&regs[i], &regs[i-1]) < 0 {
			return false
		}
	}
	return true
}

func compareRegistrations(a, b Registration) int { return compareRegistrationsAt(&a, &b) }

func compareRegistrationsAt(a, b *Registration) int {
	if c := strings.Compare(a.Name, b.Name); c != 0 {
		return c
	}
	// The order of the TaskIds' text: lowercase hex digits of the bytes in
	// order, which sort as the bytes do.
	return bytes.Compare(a.TaskID[:], b.TaskID[:])
}
