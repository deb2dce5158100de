package plugin

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
)

// encoding/json is lenient where a protocol must not be: it takes the last of
// two members with the same name, matches member names case-insensitively,
// and leaves a field at its zero value for null. So
// {"success":false,"error":"x","SUCCESS":true} decoded as a success and
// {"percent":null} as 0. readMembers and check refuse all three, against the
// Go type the message is decoded into: a message says exactly one thing, in
// the protocol's own member names.

// ErrInvalidMessage wraps errors about a message of a known type whose
// members break docs/protocol.md (missing, null, of the wrong type, given
// twice, out of range). It matches ErrMalformed too. It tells a plugin's
// protocol bug apart from stray output on stdout.
var ErrInvalidMessage error = invalidMessage{}

type invalidMessage struct{}

func (invalidMessage) Error() string        { return "invalid protocol message" }
func (invalidMessage) Is(target error) bool { return target == ErrMalformed }

// errNotObject: the line is not one JSON object.
var errNotObject = errors.New("not a JSON object")

// members are a message's top-level members, in the order of the line.
type members struct {
	names []string
	raw   map[string]json.RawMessage
}

// readMembers splits line, one JSON object, into its members, refusing a
// name given twice. It costs what decoding into a map did, and messages
// from plugins (all members scalars or arrays) need no other pass.
func readMembers(line []byte) (members, error) {
	dec := json.NewDecoder(bytes.NewReader(line))
	ms := members{raw: make(map[string]json.RawMessage)}
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return ms, errNotObject
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return ms, errNotObject
		}
		name, _ := tok.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return ms, errNotObject
		}
		if _, dup := ms.raw[name]; dup {
			return ms, fmt.Errorf("%s is given twice", quoteMember(name))
		}
		ms.names = append(ms.names, name)
		ms.raw[name] = raw
	}
	if _, err := dec.Token(); err != nil { // '}'
		return ms, errNotObject
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) { // nothing after the object
		return ms, errNotObject
	}
	return ms, nil
}

// check holds the members against t, the struct the message decodes into
// ("type" is a member of every message).
func (ms members) check(t reflect.Type) error {
	fields := jsonFields(t)
	fields["type"] = reflect.TypeFor[string]()
	for _, name := range ms.names {
		if err := checkMember(fields, name, ms.raw[name], name); err != nil {
			return err
		}
	}
	return nil
}

// checkMember checks one member name of an object with fields (nil for an
// object the protocol does not define) and its value raw.
func checkMember(fields map[string]reflect.Type, name string, raw []byte, path string) error {
	t, known := fields[name]
	if !known && fields != nil {
		// encoding/json would take a member spelled in another case for the
		// field; the protocol's names are exact.
		for field := range fields {
			if strings.EqualFold(field, name) {
				return fmt.Errorf("%s is not a member; names are case-sensitive: %q", quoteMember(path), field)
			}
		}
	}
	switch {
	case bytes.Equal(raw, []byte("null")):
		if known && !nullable(t) {
			return fmt.Errorf("%s is null; it must be %s", quoteMember(path), kindName(t))
		}
		return nil
	case raw[0] != '{' && raw[0] != '[':
		return nil // a scalar: json.Unmarshal checks its type
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	return walkValue(dec, t, path)
}

// walkValue reads one value. t is what it is decoded into; nil for members
// the protocol does not define, which are ignored but must still be
// unambiguous.
func walkValue(dec *json.Decoder, t reflect.Type, path string) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if tok == nil {
		if t != nil && !nullable(t) {
			return fmt.Errorf("%s is null; it must be %s", quoteMember(path), kindName(t))
		}
		return nil
	}
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem() // an optional object ("push") is checked as the object
	}
	switch tok {
	case json.Delim('['):
		var elem reflect.Type
		if t != nil && t.Kind() == reflect.Slice {
			elem = t.Elem()
		}
		for i := 0; dec.More(); i++ {
			if err := walkValue(dec, elem, fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
		_, err := dec.Token() // ']'
		return err
	case json.Delim('{'):
		return walkObject(dec, t, path)
	}
	return nil // a scalar: json.Unmarshal checks its type
}

func walkObject(dec *json.Decoder, t reflect.Type, path string) error {
	var fields map[string]reflect.Type
	var elem reflect.Type
	switch {
	case t == nil:
	case t.Kind() == reflect.Struct:
		fields = jsonFields(t)
	case t.Kind() == reflect.Map:
		elem = t.Elem()
	}
	seen := make(map[string]bool)
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		name, _ := tok.(string)
		member := path + "." + name
		if seen[name] {
			return fmt.Errorf("%s is given twice", quoteMember(member))
		}
		seen[name] = true
		sub := elem
		if fields != nil {
			var ok bool
			if sub, ok = fields[name]; !ok {
				for known := range fields {
					if strings.EqualFold(known, name) {
						return fmt.Errorf("%s is not a member; names are case-sensitive: %q", quoteMember(member), known)
					}
				}
			}
		}
		if err := walkValue(dec, sub, member); err != nil {
			return err
		}
	}
	_, err := dec.Token() // '}'
	return err
}

func quoteMember(path string) string { return fmt.Sprintf("%q", path) }

// jsonFields maps the JSON member names of struct t to their types.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	fields := make(map[string]reflect.Type, t.NumField()+1)
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		fields[name] = f.Type
	}
	return fields
}

// nullable: null means "absent" for an optional object (a pointer), map, or
// base64 bytes (content_bytes, docs/protocol.md); anything else must have a
// value.
func nullable(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Interface:
		return true
	case reflect.Slice:
		return t.Elem().Kind() == reflect.Uint8
	}
	return false
}

func kindName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int64, reflect.Int32, reflect.Uint, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Slice:
		return "an array"
	case reflect.Struct:
		return "an object"
	}
	return "a value"
}
