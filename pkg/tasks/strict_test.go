package tasks

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// secondRegistration is a second valid registration for oneRegistration's
// file: its TaskId differs from the first's in its first digit.
const secondRegistration = `{"taskId": "1b0f5d8e-6c3a-4d8e-9a51-3c1f0e4a2b77", "name": "B", "entryPoint": "T.B", "trigger": "push", "conditions": [], "cancelOnConditionLoss": false, "plugin": "", "registered": "2026-11-25T10:00:00Z"}`

// A registry file says exactly one thing: what encoding/json read one way
// (the last of repeated keys, keys in any case) and bgtask then rewrote is
// refused, with the position of the second saying. Columns counted by hand.
func TestDecodeRefusesWhatSaysTwoThings(t *testing.T) {
	for _, tc := range []struct{ name, data, want string }{
		{"registrations twice", `{"version": 1, "registrations": [], "registrations": []}`,
			`r.json:1:37: corrupt registry: "registrations" appears twice in the same object, so the file says two things; keep one and delete the other`},
		{"version twice", `{"version":2,"version":1}`,
			`r.json:1:14: corrupt registry: "version" appears twice in the same object, so the file says two things; keep one and delete the other`},
		{"a key twice in a registration", oneRegistration(`"name": "A"`, `"name": "A", "name": "B"`),
			`r.json:2:67: corrupt registry: "name" appears twice in the same object, so the file says two things; keep one and delete the other`},
		{"REGISTRATIONS", `{"version": 1, "REGISTRATIONS": []}`,
			`r.json:1:16: corrupt registry: unknown field "REGISTRATIONS" (a version 1 registry has version and registrations); keys are case-sensitive: write "registrations"`},
		{"Version", `{"Version": 1}`,
			`r.json:1:2: corrupt registry: unknown field "Version" (a version 1 registry has version and registrations); keys are case-sensitive: write "version"`},
		{"EntryPoint", oneRegistration(`"entryPoint"`, `"EntryPoint"`),
			`r.json:2:67: corrupt registry: unknown field "EntryPoint" (version 1 registrations have ` + registrationKeys + `); keys are case-sensitive: write "entryPoint"`},
		{"two registrations share a TaskId", oneRegistration(`}
]}`, "},\n  "+strings.Replace(secondRegistration, "1b0f", "0b0f", 1)+"\n]}"),
			`r.json:3:4: corrupt registry: registrations 1 (name "A") and 2 (name "B") share TaskId 0b0f5d8e-6c3a-4d8e-9a51-3c1f0e4a2b77 (a copied entry?); every registration has its own: give this one a new GUID, or delete it`},
		{"the same TaskId in another case", oneRegistration(`}
]}`, "},\n  "+strings.Replace(secondRegistration, "1b0f5d8e-6c3a-4d8e-9a51-3c1f0e4a2b77", "0B0F5D8E-6C3A-4D8E-9A51-3C1F0E4A2B77", 1)+"\n]}"),
			`r.json:3:4: corrupt registry: registrations 1 (name "A") and 2 (name "B") share TaskId`},
		{"a top-level array", `[{"version": 1}]`,
			`r.json:1:1: corrupt registry: the file holds a JSON array, not an object; a registry is {"version": 1, "registrations": [...]}`},
		{"a top-level string after white space", "\n  \"registry\"",
			`r.json:2:3: corrupt registry: the file holds a JSON string, not an object; a registry is {"version": 1, "registrations": [...]}`},
		{"a registration that is not an object", `{"version": 1, "registrations": [7]}`,
			`r.json:1:34: corrupt registry: "/registrations/0" holds a JSON number, want an object`},
		{"invalid UTF-8 in a name", oneRegistration(`"name": "A"`, "\"name\": \"A\xff\""),
			`r.json:2:64: corrupt registry: invalid UTF-8`},
	} {
		_, err := Decode("r.json", []byte(tc.data))
		var ce *CorruptError
		if !errors.As(err, &ce) || !errors.Is(err, ErrInvalidInput) {
			t.Errorf("%s: %v, want a *CorruptError", tc.name, err)
			continue
		}
		if got := err.Error(); !strings.HasPrefix(got, tc.want) {
			t.Errorf("%s:\n got %s\nwant %s...", tc.name, got, tc.want)
		}
	}
}

// Notepad saves UTF-8 with a byte-order mark: the file reads as without
// one, and positions are still those an editor shows (the mark takes no
// column).
func TestDecodeAcceptsByteOrderMark(t *testing.T) {
	reg, err := Decode("r.json", []byte("\ufeff"+sampleRegistry))
	if err != nil || len(reg.Registrations) != 1 || reg.Registrations[0].Name != "RawPush" {
		t.Fatalf("with a BOM: %v, %+v", err, reg)
	}
	_, err = Decode("r.json", []byte("\ufeff"+`{"version": 1, "registrations": [x]}`))
	if err == nil || !strings.HasPrefix(err.Error(), "r.json:1:34: corrupt registry: invalid character 'x'") {
		t.Errorf("error after a BOM: %v", err)
	}
}

func TestDecodeRefusesOversizedFile(t *testing.T) {
	data := []byte(`{"version": 1, "registrations": []}` + strings.Repeat(" ", MaxFileSize))
	_, err := Decode("r.json", data)
	var ce *CorruptError
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), "larger than 64 MiB") {
		t.Fatalf("err = %v", err)
	}
}

// unregister acts by TaskId: with two registrations sharing one, it would
// delete both. The file is refused and left byte for byte as it was.
func TestSharedTaskIDIsNeverRewritten(t *testing.T) {
	path := filepath.Join(t.TempDir(), "registry.json")
	data := oneRegistration(`}
]}`, "},\n  "+strings.Replace(secondRegistration, "1b0f", "0b0f", 1)+"\n]}")
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Unregister(context.Background(), path, Selector{Name: "A"})
	var ce *CorruptError
	if !errors.As(err, &ce) {
		t.Fatalf("unregister: %v, want a *CorruptError", err)
	}
	if got, _ := os.ReadFile(path); string(got) != data {
		t.Errorf("the registry was rewritten:\n%s", got)
	}
}
