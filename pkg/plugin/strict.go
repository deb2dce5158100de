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
// {"percent":null} as 0. checkMembers reads the line once more, against the
// Go type it will be decoded into, and refuses all three: a message says
// exactly one thing, in the protocol's own member names.

// ErrInvalidMessage wraps errors about a message of a known type whose
// members break docs/protocol.md (missing, null, of the wrong type, given
// twice, out of range). It matches ErrMalformed too. It tells a plugin's
// protocol bug apart from stray output on stdout.
var ErrInvalidMessage error = invalidMessage{}

type invalidMessage struct{}

func (invalidMessage) Error() string        { return "invalid protocol message" }
func (invalidMessage) Is(target error) bool { return target == ErrMalformed }

// checkMembers walks the JSON object in line as a message of type t (a
// struct; "type" is a member of every message).
func checkMembers(line []byte, t reflect.Type) error {
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.UseNumber()
	return walkValue(dec, t, "", true)
}

// walkValue reads one value. t is what it is decoded into; nil for members
// the protocol does not define, which are ignored but must still be
// well-formed and unambiguous.
func walkValue(dec *json.Decoder, t reflect.Type, path string, top bool) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	switch tok := tok.(type) {
	case nil:
		if t != nil && !nullable(t) {
			return fmt.Errorf("%s is null; it must be %s", quoteMember(path), kindName(t))
		}
		return nil
	case json.Delim:
		for t != nil && t.Kind() == reflect.Pointer {
			t = t.Elem() // an optional object ("push") is checked as the object
		}
		if tok == '[' {
			var elem reflect.Type
			if t != nil && t.Kind() == reflect.Slice {
				elem = t.Elem()
			}
			for i := 0; dec.More(); i++ {
				if err := walkValue(dec, elem, fmt.Sprintf("%s[%d]", path, i), false); err != nil {
					return err
				}
			}
			_, err := dec.Token() // ']'
			return err
		}
		return walkObject(dec, t, path, top)
	}
	return nil // a scalar: json.Unmarshal checks its type
}

func walkObject(dec *json.Decoder, t reflect.Type, path string, top bool) error {
	var fields map[string]reflect.Type
	var elem reflect.Type
	switch {
	case t == nil:
	case t.Kind() == reflect.Struct:
		fields = jsonFields(t)
		if top {
			fields["type"] = reflect.TypeFor[string]()
		}
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
		member := name
		if path != "" {
			member = path + "." + name
		}
		if seen[name] {
			return fmt.Errorf("%s is given twice", quoteMember(member))
		}
		seen[name] = true
		sub := elem
		if fields != nil {
			var ok bool
			if sub, ok = fields[name]; !ok {
				// encoding/json would take a member spelled in another case
				// for the field; the protocol's names are exact.
				for known := range fields {
					if strings.EqualFold(known, name) {
						return fmt.Errorf("%s is not a member; names are case-sensitive: %q", quoteMember(member), known)
					}
				}
			}
		}
		if err := walkValue(dec, sub, member, false); err != nil {
			return err
		}
	}
	_, err := dec.Token() // '}'
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}

func quoteMember(path string) string { return fmt.Sprintf("%q", path) }

// jsonFields maps the JSON member names of struct t to their types.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	fields := make(map[string]reflect.Type, t.NumField())
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
