package tasks

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/google/uuid"
)

// FuzzDecodeRegistry: the decoder never panics, fails only with the errors
// it documents, and whatever it accepts re-encodes to a file that decodes to
// the same registry and re-encodes to the same bytes.
func FuzzDecodeRegistry(f *testing.F) {
	f.Add([]byte(sampleRegistry))
	f.Add([]byte(`{"version": 1, "registrations": []}`))
	f.Add([]byte(`{"version": 2}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		reg, err := Decode("r.json", data)
		if err != nil {
			var ce *CorruptError
			var ve *VersionError
			if !errors.As(err, &ce) && !errors.As(err, &ve) {
				t.Fatalf("Decode failed with %T %v, want *CorruptError or *VersionError", err, err)
			}
			return
		}
		first, err := Encode(reg)
		if err != nil {
			t.Fatalf("a decoded registry does not encode: %v", err)
		}
		// The hand-written encoder writes what the library writes.
		if plain, ok := encodePlain(reg.Registrations); ok {
			lib, err := encodeMarshal(reg.Registrations)
			if err != nil || !bytes.Equal(plain, lib) {
				t.Fatalf("encodePlain and the library differ (%v):\n%s\n---\n%s", err, plain, lib)
			}
		}
		again, err := Decode("r.json", first)
		if err != nil {
			t.Fatalf("re-encoded registry does not decode: %v\n%s", err, first)
		}
		if len(again.Registrations) != len(reg.Registrations) {
			t.Fatalf("%d registrations after the round trip, want %d", len(again.Registrations), len(reg.Registrations))
		}
		for i, r := range reg.Registrations {
			a := again.Registrations[i]
			if !r.sameSettings(a) || r.TaskID != a.TaskID || !r.Registered.Equal(a.Registered) {
				t.Fatalf("registration %d changed in the round trip:\n%+v\n%+v", i, r, a)
			}
		}
		second, err := Encode(again)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first, second) {
			t.Fatalf("encoding is not stable:\n%s\n---\n%s", first, second)
		}
	})
}

// FuzzDecodeStrict: whatever Decode accepts says exactly one thing, checked
// against encoding/json's token stream (another decoder than Decode's): no
// object repeats a key, every key is one of the format's, spelled exactly,
// and the registrations it returns are as many as the file's array holds,
// each with its own TaskId.
func FuzzDecodeStrict(f *testing.F) {
	for _, seed := range []string{
		sampleRegistry,
		"\ufeff" + sampleRegistry,
		`{"version": 1, "registrations": [], "registrations": []}`,
		`{"version":2,"version":1}`,
		`{"version": 1, "REGISTRATIONS": []}`,
		`{"Version": 1}`,
		`[{"version": 1}]`,
		oneRegistration(`"name": "A"`, `"name": "A", "name": "B"`),
		oneRegistration(`"entryPoint"`, `"EntryPoint"`),
		oneRegistration("}\n]}", "},\n  "+strings.Replace(secondRegistration, "1b0f", "0b0f", 1)+"\n]}"),
		oneRegistration("}\n]}", "},\n  "+secondRegistration+"\n]}"),
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		reg, err := Decode("r.json", data)
		if err != nil {
			return
		}
		registrations, err := walkKeys(bytes.TrimPrefix(data, []byte("\ufeff")))
		if err != nil {
			t.Fatalf("Decode accepted what encoding/json's tokens refuse: %v\n%q", err, data)
		}
		if len(reg.Registrations) != registrations {
			t.Fatalf("%d registrations decoded, the file's array holds %d\n%q", len(reg.Registrations), registrations, data)
		}
		ids := map[uuid.UUID]bool{}
		for _, r := range reg.Registrations {
			if ids[r.TaskID] {
				t.Fatalf("two registrations share TaskId %s\n%q", r.TaskID, data)
			}
			ids[r.TaskID] = true
		}
	})
}

// walkKeys checks every object key of a registry file with encoding/json's
// tokenizer and returns how many elements "registrations" holds.
func walkKeys(data []byte) (int, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	n := 0
	if err := walkValue(dec, "file", &n); err != nil {
		return 0, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return 0, fmt.Errorf("more after the top-level value (%v)", err)
	}
	return n, nil
}

// walkValue reads one value in role: "file" (the whole file), "registrations"
// (its array), "registration" (an element), or "other".
func walkValue(dec *json.Decoder, role string, n *int) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	switch tok {
	case json.Delim('['):
		for dec.More() {
			elem := "other"
			if role == "registrations" {
				elem = "registration"
				*n++
			}
			if err := walkValue(dec, elem, n); err != nil {
				return err
			}
		}
		_, err = dec.Token()
		return err
	case json.Delim('{'):
		allowed := map[string]bool{}
		switch role {
		case "file":
			allowed["version"], allowed["registrations"] = true, true
		case "registration":
			for _, k := range strings.Split(registrationKeys, ", ") {
				allowed[k] = true
			}
		}
		seen := map[string]bool{}
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return err
			}
			key := kt.(string)
			if seen[key] {
				return fmt.Errorf("key %q repeated in one object", key)
			}
			seen[key] = true
			if role != "other" && !allowed[key] {
				return fmt.Errorf("key %q is not the format's", key)
			}
			member := "other"
			if role == "file" && key == "registrations" {
				member = "registrations"
			}
			if err := walkValue(dec, member, n); err != nil {
				return err
			}
		}
		_, err = dec.Token()
		return err
	}
	if role == "file" || role == "registration" {
		return fmt.Errorf("%s is %v, not an object", role, tok)
	}
	return nil
}
