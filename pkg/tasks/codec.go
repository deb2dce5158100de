package tasks

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unsafe"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/google/uuid"
)

// FormatVersion is the registry file format this bgtask reads and writes.
const FormatVersion = 1

// fileV1 is the registry file, format version 1. Field order here is the key
// order in the file; changing it changes every user's registry diff.
type fileV1 struct {
	// Version is kept raw: it is checked before anything else, with
	// messages of its own, and a newer version's file is refused whole.
	Version       jsontext.Value     `json:"version"`
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
	ExamplePlugin bool     `json:"examplePlugin,omitzero"`
	Registered    string   `json:"registered"`
}

// registrationKeys are the keys of a version 1 registration, for messages.
const registrationKeys = "taskId, name, entryPoint, trigger, conditions, cancelOnConditionLoss, plugin, pluginArgs, examplePlugin, registered"

// MaxFileSize bounds a registry file. 10,000 registrations take about 3 MiB;
// a file far larger is not a registry, and reading it whole would only cost
// memory.
const MaxFileSize = 64 << 20

// utf8BOM is what Notepad and some editors put before UTF-8 text.
const utf8BOM = "\ufeff"

// Encode writes reg in the version 1 file format: two-space indented JSON,
// registrations sorted by name, a final newline. It is written indented in
// one pass (not marshalled, then re-indented). A string that is not valid
// UTF-8 is refused rather than written altered.
func Encode(reg *Registry) ([]byte, error) {
	regs := reg.Registrations
	if !registrationsSorted(regs) {
		regs = append([]Registration(nil), regs...)
		sortRegistrations(regs)
	}
	if data, ok := encodePlain(regs); ok {
		return data, nil
	}
	return encodeMarshal(regs)
}

// encodeMarshal is Encode's general case, by the JSON library.
func encodeMarshal(regs []Registration) ([]byte, error) {
	f := fileV1{Version: jsontext.Value(strconv.Itoa(FormatVersion)), Registrations: make([]fileRegistration, 0, len(regs))}
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
	// Entry points and paths stay readable: '<' and '&' are not escaped;
	// U+2028 and U+2029 are, as encoding/json always did.
	var buf bytes.Buffer
	// About what one registration takes, so the buffer grows once.
	buf.Grow(64 + 320*len(regs))
	if err := json.MarshalWrite(&buf, f, jsontext.Multiline(true), jsontext.WithIndent("  "), jsontext.EscapeForJS(true)); err != nil {
		return nil, fmt.Errorf("encoding registry: %w", err)
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

// encodePlain writes, for registrations whose strings need no escaping
// (printable ASCII without '"' or '\\': nearly every registry), the bytes
// encodeMarshal writes, directly: a register into 10,000 registrations
// spent as long encoding as decoding. It reports false otherwise, and the
// library writes the file. FuzzDecodeRegistry checks the two agree.
func encodePlain(regs []Registration) ([]byte, bool) {
	b := make([]byte, 0, 64+320*len(regs))
	b = append(b, "{\n  \"version\": "...)
	b = strconv.AppendInt(b, FormatVersion, 10)
	if len(regs) == 0 {
		return append(b, ",\n  \"registrations\": []\n}\n"...), true
	}
	b = append(b, ",\n  \"registrations\": ["...)
	str := func(key, value string) bool {
		for i := 0; i < len(value); i++ {
			if c := value[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' {
				return false
			}
		}
		b = append(b, "\n      \""...)
		b = append(b, key...)
		b = append(b, "\": \""...)
		b = append(b, value...)
		b = append(b, '"')
		return true
	}
	list := func(key string, values []string) bool {
		b = append(b, "\n      \""...)
		b = append(b, key...)
		if len(values) == 0 {
			b = append(b, "\": [],"...)
			return true
		}
		b = append(b, "\": ["...)
		for i, v := range values {
			for j := 0; j < len(v); j++ {
				if c := v[j]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' {
					return false
				}
			}
			b = append(b, "\n        \""...)
			b = append(b, v...)
			b = append(b, '"')
			if i < len(values)-1 {
				b = append(b, ',')
			}
		}
		b = append(b, "\n      ],"...)
		return true
	}
	for i, r := range regs {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, "\n    {\n      \"taskId\": \""...)
		b = appendUUID(b, r.TaskID)
		b = append(b, "\","...)
		if !str("name", r.Name) {
			return nil, false
		}
		b = append(b, ',')
		if !str("entryPoint", r.EntryPoint) {
			return nil, false
		}
		b = append(b, ',')
		if !str("trigger", r.Trigger.String()) {
			return nil, false
		}
		b = append(b, ',')
		if !list("conditions", r.ConditionNames()) {
			return nil, false
		}
		b = append(b, "\n      \"cancelOnConditionLoss\": "...)
		b = strconv.AppendBool(b, r.CancelOnConditionLoss)
		b = append(b, ',')
		if !str("plugin", r.Plugin) {
			return nil, false
		}
		b = append(b, ',')
		if len(r.PluginArgs) > 0 && !list("pluginArgs", r.PluginArgs) {
			return nil, false
		}
		if r.ExamplePlugin {
			b = append(b, "\n      \"examplePlugin\": true,"...)
		}
		// A time in RFC 3339 (UTC, years 0-9999) is digits, '-', 'T', ':'
		// and 'Z': nothing to escape.
		b = append(b, "\n      \"registered\": \""...)
		b = appendUTCSeconds(b, r.Registered.UTC())
		b = append(b, "\"\n    }"...)
	}
	return append(b, "\n  ]\n}\n"...), true
}

// appendUUID appends id as uuid.UUID.String writes it (lowercase hex,
// 8-4-4-4-12), without a string of its own per registration.
func appendUUID(b []byte, id uuid.UUID) []byte {
	var text [36]byte
	hex.Encode(text[:8], id[:4])
	text[8] = '-'
	hex.Encode(text[9:13], id[4:6])
	text[13] = '-'
	hex.Encode(text[14:18], id[6:8])
	text[18] = '-'
	hex.Encode(text[19:23], id[8:10])
	text[23] = '-'
	hex.Encode(text[24:], id[10:])
	return append(b, text[:]...)
}

// Decode reads a registry file's bytes; path names the file in errors and
// becomes Registry.Path. Every error is a *CorruptError or a *VersionError.
//
// The file must say exactly one thing: a key written twice in one object
// ("registrations" twice, {"version":2,"version":1}), a key in another case
// ("REGISTRATIONS"), an unknown key, or two registrations sharing a TaskId
// is refused, with its position, rather than read one way and rewritten
// another. A UTF-8 byte-order mark (Notepad writes one) is accepted.
func Decode(path string, data []byte) (*Registry, error) {
	return decode(path, data, false, false)
}

// DecodeKeepingSharedTaskIDs is Decode, except that registrations sharing a
// TaskId are returned rather than refused, for Check to report
// (ProblemDuplicateTaskID). It is for readers that never write the file
// back, such as lint, which reports them as findings in the file.
func DecodeKeepingSharedTaskIDs(path string, data []byte) (*Registry, error) {
	return decode(path, data, true, false)
}

// owned says data is the caller's own buffer, never to be written again:
// the registrations' strings may then share it instead of a copy.
func decode(path string, data []byte, keepSharedIDs, owned bool) (*Registry, error) {
	// body is data without its byte-order mark. Offsets and positions are
	// counted in body: an editor shows no column for the mark.
	body := bytes.TrimPrefix(data, []byte(utf8BOM))
	corrupt := func(offset int64, msg string, err error) error {
		e := &CorruptError{Path: path, Msg: msg, Err: err}
		if offset >= 0 {
			e.Line, e.Col = lineCol(body, offset)
		}
		return e
	}
	if len(data) > MaxFileSize {
		return nil, corrupt(-1, fmt.Sprintf("the file is larger than %d MiB, far more than any registry holds", MaxFileSize>>20), nil)
	}
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	if len(trimmed) == 0 {
		return nil, corrupt(-1, "the file is empty (a registry holds at least {\"version\": 1})", nil)
	}
	if trimmed[0] != '{' {
		at := int64(len(body)-len(trimmed)) + 1
		return nil, corrupt(at, fmt.Sprintf("the file holds %s, not an object; a registry is {\"version\": 1, \"registrations\": [...]}", jsonKindAt(trimmed)), nil)
	}

	reg := &Registry{Path: path}
	// The spans of the registrations are found only when an error needs them.
	var spans [][2]int64
	at := func(i int, key string) int64 {
		if i >= len(spans) {
			spans = registrationSpans(body, i)
		}
		return fieldOffset(body, spans, i, key)
	}
	var seen map[uuid.UUID]int
	// accept checks registration i and adds it; the first refusal ends the
	// adding and is kept in failed.
	var failed error
	accept := func(i int, fr fileRegistration) {
		if failed != nil {
			return
		}
		r, err := fr.registration()
		if err != nil {
			var fe *fieldError
			key := ""
			if errors.As(err, &fe) {
				key = fe.key
			}
			failed = corrupt(at(i, key), fmt.Sprintf("registration %d (name %q): %v", i+1, fr.Name, err), err)
			return
		}
		// unregister and --replace act by TaskId: two registrations sharing
		// one would both go.
		if first, dup := seen[r.TaskID]; dup && !keepSharedIDs {
			failed = corrupt(at(i, "taskId"), fmt.Sprintf("registrations %d (name %q) and %d (name %q) share TaskId %s (a copied entry?); every registration has its own: give this one a new GUID, or delete it",
				first+1, reg.Registrations[first].Name, i+1, fr.Name, r.TaskID), nil)
			return
		}
		seen[r.TaskID] = i
		r.fileIndex = i
		reg.Registrations = append(reg.Registrations, r)
	}

	// The file as bgtask writes it is read without the library, each
	// registration checked as it is read; a refusal is the answer only if
	// the whole file has that form (a syntax error after it comes first, as
	// the strict decoder reports it).
	n := len(body)/200 + 1 // a canonical registration takes more than 200 bytes
	// One more than read: register adds one.
	reg.Registrations, seen = make([]Registration, 0, n+1), make(map[uuid.UUID]int, n)
	// The file as one string, whose substrings the strings read are. Load
	// owns its buffer and never writes it again, so the string can be that
	// buffer itself: a copy would be as large as the file (2.4 MB for
	// 10,000 registrations), and fresh memory costs a page fault a page.
	var text string
	if owned && len(body) > 0 {
		text = unsafe.String(unsafe.SliceData(body), len(body))
	} else {
		text = string(body)
	}
	if scanCanonical(text, accept) {
		if failed != nil {
			return nil, failed
		}
		sortRegistrations(reg.Registrations)
		return reg, nil
	}
	reg.Registrations, failed = reg.Registrations[:0], nil
	clear(seen)

	var f fileV1Stream
	f.Registrations.accept = accept
	if err := json.Unmarshal(body, &f, json.RejectUnknownMembers(true)); err != nil {
		// A newer format may hold what version 1 does not know: that is
		// the error to report, not the unknown field.
		if v, ok := probeVersion(body); ok && v > FormatVersion {
			return nil, &VersionError{Path: path, Version: v}
		}
		return nil, jsonError(body, err, corrupt)
	}
	if f.Version == nil || f.Version.Kind() == 'n' {
		return nil, corrupt(-1, `no "version" field`, nil)
	}
	version, err := strconv.Atoi(string(f.Version))
	if errors.Is(err, strconv.ErrRange) {
		return nil, corrupt(keyOffset(body, "version"), fmt.Sprintf(`"version" %s is not a registry format version (this bgtask writes %d)`, f.Version, FormatVersion), err)
	}
	if err != nil {
		return nil, corrupt(keyOffset(body, "version"), fmt.Sprintf(`"version" is %s, not a whole number`, f.Version), err)
	}
	if version > FormatVersion {
		return nil, &VersionError{Path: path, Version: version}
	}
	if version < 1 {
		return nil, corrupt(keyOffset(body, "version"), fmt.Sprintf(`"version" %d is not a registry format version (this bgtask writes %d)`, version, FormatVersion), nil)
	}
	if failed != nil {
		return nil, failed
	}
	sortRegistrations(reg.Registrations)
	return reg, nil
}

// unmarshalStrict decodes any other file by the JSON library. Matching is
// exact (no other case), duplicate keys are refused, and a field this
// version does not know is a typo in a hand edit: dropping it silently on
// the next write would lose what the user meant.
func unmarshalStrict(body []byte, f *fileV1) error {
	// Room for every registration up front: the decoder appends to this
	// slice, and growing it would copy it again and again.
	f.Registrations = make([]fileRegistration, 0, bytes.Count(body, []byte(`"taskId"`)))
	return json.Unmarshal(body, f, json.RejectUnknownMembers(true))
}

// fileV1Stream is fileV1 as decode reads a file the canonical scanner
// leaves to the library: its registrations are handed to accept one at a
// time, as they are decoded.
type fileV1Stream struct {
	Version       jsontext.Value     `json:"version"`
	Registrations registrationStream `json:"registrations"`
}

// registrationStream decodes the registrations array one element at a time
// and hands each to accept, keeping none: a file of millions of tiny
// elements ([{},{},...]) then costs the memory of one, not of all. Decoded
// into a slice first, a 19.5 MB file took 2.5 GB before its first error was
// reported (hostile review). It reads what unmarshalStrict's slice reads,
// with the same errors (TestStreamingDecodeIsTheLibrarys).
type registrationStream struct {
	accept func(int, fileRegistration)
	n      int
}

func (s *registrationStream) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	switch kind := dec.PeekKind(); kind {
	case 'n', 0: // null, or no value at all: the token read says which error
		_, err := dec.ReadToken()
		return err
	case '[':
	default:
		// What the library says of a []fileRegistration given anything
		// else: at once for an object, after reading the token for a
		// string, number or boolean (a syntax error in it comes first).
		if kind != '{' {
			if _, err := dec.ReadToken(); err != nil {
				return err
			}
		}
		return &json.SemanticError{JSONKind: kind, GoType: reflect.TypeFor[[]fileRegistration]()}
	}
	if _, err := dec.ReadToken(); err != nil {
		return err
	}
	fr := new(fileRegistration) // one for all: a new one each would be garbage each
	for dec.PeekKind() != ']' {
		*fr = fileRegistration{}
		if err := json.UnmarshalDecode(dec, fr); err != nil {
			return err
		}
		s.accept(s.n, *fr)
		s.n++
	}
	_, err := dec.ReadToken()
	return err
}

// probeVersion reads "version" leniently (unknown keys allowed), for
// telling a newer format apart from a corrupt file.
func probeVersion(body []byte) (int, bool) {
	var probe struct {
		Version int `json:"version"`
	}
	if json.Unmarshal(body, &probe) != nil {
		return 0, false
	}
	return probe.Version, true
}

// jsonError turns a decoding error into a positioned *CorruptError whose
// message speaks of JSON and of the file's keys, never of Go types.
func jsonError(body []byte, err error, corrupt func(int64, string, error) error) error {
	var syn *jsontext.SyntacticError
	var sem *json.SemanticError
	switch {
	case errors.As(err, &syn):
		// ByteOffset is where the bad token starts; corrupt counts offsets
		// just past the byte to show, as encoding/json reported them.
		at := syn.ByteOffset + 1
		key := lastToken(syn.JSONPointer)
		switch {
		case errors.Is(err, jsontext.ErrDuplicateName):
			return corrupt(at, fmt.Sprintf("%q appears twice in the same object, so the file says two things; keep one and delete the other", key), err)
		case trailingComma(body, syn.ByteOffset) != 0:
			return corrupt(at, fmt.Sprintf("a comma before %q: JSON allows none after the last item; delete it", trailingComma(body, syn.ByteOffset)), err)
		case errors.Is(syn.Err, io.ErrUnexpectedEOF):
			return corrupt(at, "unexpected end of JSON input", err)
		case syn.Err != nil:
			return corrupt(at, syn.Err.Error(), err)
		}
		return corrupt(at, strings.TrimPrefix(err.Error(), "jsontext: "), err)
	case errors.As(err, &sem):
		at := sem.ByteOffset + 1
		key := lastToken(sem.JSONPointer)
		if errors.Is(err, json.ErrUnknownName) {
			msg := fmt.Sprintf("unknown field %q", key)
			if strings.Count(string(sem.JSONPointer), "/") > 1 {
				msg += " (version 1 registrations have " + registrationKeys + ")"
			} else {
				msg += " (a version 1 registry has version and registrations)"
			}
			if known := knownKeyFolding(key); known != "" {
				msg += fmt.Sprintf("; keys are case-sensitive: write %q", known)
			}
			return corrupt(at, msg, err)
		}
		if _, isIndex := strconv.Atoi(key); isIndex == nil {
			key = string(sem.JSONPointer)
		}
		return corrupt(at, fmt.Sprintf("%q holds %s, want %s", key, jsonKindName(sem.JSONKind), wantFor(sem.GoType)), err)
	}
	return corrupt(-1, err.Error(), err)
}

// trailingComma returns the '}' or ']' that follows the comma at offset,
// or 0 when offset is not a comma closing its object or array (a hand edit
// that deleted the last item and kept its comma).
func trailingComma(body []byte, offset int64) byte {
	if offset < 0 || offset >= int64(len(body)) || body[offset] != ',' {
		return 0
	}
	rest := bytes.TrimLeft(body[offset+1:], " \t\r\n")
	if len(rest) > 0 && (rest[0] == '}' || rest[0] == ']') {
		return rest[0]
	}
	return 0
}

// lastToken is the last reference token of a JSON pointer: the key (or
// index) an error is about.
func lastToken(p jsontext.Pointer) string {
	last := ""
	for tok := range p.Tokens() {
		last = tok
	}
	return last
}

// knownKeyFolding is the key of the format that name matches but for case.
func knownKeyFolding(name string) string {
	for _, k := range strings.Split("version, registrations, "+registrationKeys, ", ") {
		if strings.EqualFold(k, name) {
			return k
		}
	}
	return ""
}

// wantFor says, in JSON's words, what the format holds where a value of
// Go type t is decoded.
func wantFor(t reflect.Type) string {
	if t == nil {
		return "another kind of value"
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int:
		return "a whole number"
	case reflect.Slice:
		if t.Elem().Kind() == reflect.String {
			return "an array of strings"
		}
		return "an array"
	case reflect.Struct:
		return "an object"
	}
	return "another kind of value"
}

func jsonKindName(k jsontext.Kind) string {
	switch k {
	case '{':
		return "a JSON object"
	case '[':
		return "a JSON array"
	case '"':
		return "a JSON string"
	case '0':
		return "a JSON number"
	case 't', 'f':
		return "a JSON boolean"
	case 'n':
		return "null"
	}
	return "a JSON value"
}

// jsonKindAt names the kind of the JSON value that starts b.
func jsonKindAt(b []byte) string {
	switch c := b[0]; {
	case c == '[':
		return "a JSON array"
	case c == '"':
		return "a JSON string"
	case c == 't' || c == 'f':
		return "a JSON boolean"
	case c == 'n':
		return "null"
	case c == '-' || (c >= '0' && c <= '9'):
		return "a JSON number"
	}
	return "something that is not JSON"
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
	registered, ok := parseUTCSeconds(fr.Registered)
	if !ok {
		registered, err = time.Parse(time.RFC3339, fr.Registered)
	}
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
