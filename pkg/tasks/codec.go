package tasks

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
)

// FormatVersion is the registry file format this bgtask reads and writes.
const FormatVersion = 1

// fileV1 is the registry file, format version 1. Field order here is the key
// order in the file; changing it changes every user's registry diff.
type fileV1 struct {
	Version       int                `json:"version"`
	Registrations []fileRegistration `json:"registrations"`
}

type fileRegistration struct {
	TaskID                string   `json:"taskId"`
	Name                  string   `json:"name"`
	EntryPoint            string   `json:"entryPoint"`
	Trigger               string   `json:"trigger"`
	Conditions            []string `json:"conditions"`
	CancelOnConditionLoss bool     `json:"cancelOnConditionLoss"`
	Plugin                string   `json:"plugin"`
	// Omitted when empty, so registries written before they existed read
	// and write back unchanged.
	PluginArgs    []string `json:"pluginArgs,omitempty"`
	ExamplePlugin bool     `json:"examplePlugin,omitempty"`
	Registered    string   `json:"registered"`
}

// Encode writes reg in the version 1 file format: two-space indented JSON,
// registrations sorted by name, a final newline.
func Encode(reg *Registry) ([]byte, error) {
	regs := append([]Registration(nil), reg.Registrations...)
	sortRegistrations(regs)
	f := fileV1{Version: FormatVersion, Registrations: make([]fileRegistration, 0, len(regs))}
	for _, r := range regs {
		f.Registrations = append(f.Registrations, fileRegistration{
			TaskID:                r.TaskID.String(),
			Name:                  r.Name,
			EntryPoint:            r.EntryPoint,
			Trigger:               r.Trigger.String(),
			Conditions:            r.ConditionNames(),
			CancelOnConditionLoss: r.CancelOnConditionLoss,
			Plugin:                r.Plugin,
			PluginArgs:            r.PluginArgs,
			ExamplePlugin:         r.ExamplePlugin,
			Registered:            r.Registered.UTC().Format(time.RFC3339),
		})
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	// Entry points and paths stay readable: no \u003c for '<' or '&'.
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(f); err != nil {
		return nil, fmt.Errorf("encoding registry: %w", err)
	}
	return buf.Bytes(), nil
}

// Decode reads a registry file's bytes; path names the file in errors and
// becomes Registry.Path. Every error is a *CorruptError or a *VersionError.
func Decode(path string, data []byte) (*Registry, error) {
	corrupt := func(offset int64, msg string, err error) error {
		e := &CorruptError{Path: path, Msg: msg, Err: err}
		if offset >= 0 {
			e.Line, e.Col = lineCol(data, offset)
		}
		return e
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, corrupt(-1, "the file is empty (a registry holds at least {\"version\": 1})", nil)
	}
	// Unmarshal checks the whole input's syntax before decoding anything,
	// so a truncated file is reported here with the position where it stops.
	var probe struct {
		Version *json.RawMessage `json:"version"`
	}
	if err := json.Unmarshal(data, &probe); err != nil {
		return nil, jsonError(data, err, corrupt)
	}
	if probe.Version == nil {
		return nil, corrupt(-1, `no "version" field`, nil)
	}
	var version int
	if err := json.Unmarshal(*probe.Version, &version); err != nil {
		return nil, corrupt(keyOffset(data, "version"), fmt.Sprintf(`"version" is %s, not a whole number`, *probe.Version), err)
	}
	if version > FormatVersion {
		return nil, &VersionError{Path: path, Version: version}
	}
	if version < 1 {
		return nil, corrupt(keyOffset(data, "version"), fmt.Sprintf(`"version" %d is not a registry format version (this bgtask writes %d)`, version, FormatVersion), nil)
	}

	var f fileV1
	dec := json.NewDecoder(bytes.NewReader(data))
	// A field this version does not know is a typo in a hand edit; dropping
	// it silently on the next write would lose what the user meant.
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, jsonError(data, err, corrupt)
	}
	reg := &Registry{Path: path, Registrations: make([]Registration, 0, len(f.Registrations))}
	for i, fr := range f.Registrations {
		r, err := fr.registration()
		if err != nil {
			var fe *fieldError
			key := ""
			if errors.As(err, &fe) {
				key = fe.key
			}
			at := fieldOffset(data, registrationSpans(data), i, key)
			return nil, corrupt(at, fmt.Sprintf("registration %d (name %q): %v", i+1, fr.Name, err), err)
		}
		reg.Registrations = append(reg.Registrations, r)
	}
	sortRegistrations(reg.Registrations)
	return reg, nil
}

// jsonError positions an encoding/json error in data.
func jsonError(data []byte, err error, corrupt func(int64, string, error) error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return corrupt(syn.Offset, syn.Error(), err)
	case errors.As(err, &typ):
		field := typ.Field
		if i := strings.LastIndexByte(field, '.'); i >= 0 {
			field = field[i+1:]
		}
		return corrupt(typ.Offset, fmt.Sprintf("%q holds a JSON %s, want %s", field, typ.Value, typ.Type), err)
	}
	// encoding/json reports unknown fields as a plain error with no offset.
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		name = strings.Trim(name, `"`)
		return corrupt(keyOffset(data, name), fmt.Sprintf("unknown field %q (version 1 registrations have taskId, name, entryPoint, trigger, conditions, cancelOnConditionLoss, plugin, pluginArgs, examplePlugin, registered)", name), err)
	}
	return corrupt(-1, err.Error(), err)
}

// registration validates one decoded entry, accepting the same spellings the
// command line does (any case for names, unsorted conditions) and returning
// the canonical form.
func (fr fileRegistration) registration() (Registration, error) {
	id, err := uuid.Parse(fr.TaskID)
	if err != nil {
		return Registration{}, &fieldError{"taskId", fmt.Errorf("taskId %q is not a GUID: %w", fr.TaskID, err)}
	}
	if id == uuid.Nil {
		return Registration{}, &fieldError{"taskId", fmt.Errorf("taskId is the nil GUID")}
	}
	trigger, err := ParseTrigger(fr.Trigger)
	if err != nil {
		return Registration{}, &fieldError{"trigger", err}
	}
	conds, err := ParseConditions(fr.Conditions)
	if err != nil {
		return Registration{}, &fieldError{"conditions", err}
	}
	registered, err := time.Parse(time.RFC3339, fr.Registered)
	if err != nil {
		return Registration{}, &fieldError{"registered", fmt.Errorf("registered %q is not an RFC 3339 time: %w", fr.Registered, err)}
	}
	// Stored as UTC whole seconds; a year that UTC pushes outside 0-9999
	// could not be written back.
	registered = registered.UTC().Truncate(time.Second)
	if y := registered.Year(); y < 0 || y > 9999 {
		return Registration{}, &fieldError{"registered", fmt.Errorf("registered %q is outside years 0000-9999", fr.Registered)}
	}
	r := Registration{
		TaskID:                id,
		Name:                  fr.Name,
		EntryPoint:            fr.EntryPoint,
		Trigger:               trigger,
		Conditions:            conds,
		CancelOnConditionLoss: fr.CancelOnConditionLoss,
		Plugin:                fr.Plugin,
		PluginArgs:            fr.PluginArgs,
		ExamplePlugin:         fr.ExamplePlugin,
		Registered:            registered,
	}
	if err := r.validate(); err != nil {
		var ie *InputError
		if errors.As(err, &ie) {
			return Registration{}, &fieldError{jsonKeyOfField[ie.Field], err}
		}
		return Registration{}, err
	}
	return r, nil
}
