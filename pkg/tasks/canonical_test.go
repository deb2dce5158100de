package tasks

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
)

// scanAll is scanCanonical's registrations, collected.
func scanAll(data []byte) ([]fileRegistration, bool) {
	regs := []fileRegistration{}
	ok := scanCanonical(string(data), func(i int, fr fileRegistration) {
		if i != len(regs) {
			panic(fmt.Sprintf("registration %d visited as %d", len(regs), i))
		}
		regs = append(regs, fr)
	})
	return regs, ok
}

// canonicalSample is a registry as Encode writes it, one registration of
// each shape: conditions or none, plugin arguments, the example plugin.
const canonicalSample = `{
  "version": 1,
  "registrations": [
    {
      "taskId": "0b0f5d8e-6c3a-4d8e-9a51-3c1f0e4a2b77",
      "name": "A",
      "entryPoint": "Tasks.A",
      "trigger": "push",
      "conditions": [],
      "cancelOnConditionLoss": false,
      "plugin": "",
      "examplePlugin": true,
      "registered": "2026-11-25T10:00:00Z"
    },
    {
      "taskId": "1b0f5d8e-6c3a-4d8e-9a51-3c1f0e4a2b77",
      "name": "B",
      "entryPoint": "Tasks.B",
      "trigger": "timer:30:oneshot",
      "conditions": [
        "UserPresent",
        "InternetAvailable"
      ],
      "cancelOnConditionLoss": true,
      "plugin": "../bin/task",
      "pluginArgs": [
        "--x",
        "y z"
      ],
      "registered": "2026-11-25T10:00:01Z"
    }
  ]
}
`

// The canonical reader returns what the JSON library reads from the same
// bytes, field for field (the library is the oracle).
func TestScanCanonicalReadsWhatTheLibraryReads(t *testing.T) {
	for _, data := range []string{canonicalSample, "{\n  \"version\": 1,\n  \"registrations\": []\n}\n"} {
		got, ok := scanAll([]byte(data))
		if !ok {
			t.Fatalf("canonical file not read:\n%s", data)
		}
		var want fileV1
		if err := unmarshalStrict([]byte(data), &want); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want.Registrations) {
			t.Errorf("read\n%+v\nlibrary\n%+v", got, want.Registrations)
		}
	}
	regs, _ := scanAll([]byte(canonicalSample))
	if len(regs) != 2 || !regs[0].ExamplePlugin || regs[1].ExamplePlugin || regs[0].CancelOnConditionLoss || !regs[1].CancelOnConditionLoss ||
		regs[0].PluginArgs != nil || !slices.Equal(regs[1].PluginArgs, []string{"--x", "y z"}) ||
		!slices.Equal(regs[1].Conditions, []string{"UserPresent", "InternetAvailable"}) || len(regs[0].Conditions) != 0 ||
		regs[1].Trigger != "timer:30:oneshot" || regs[1].Plugin != "../bin/task" || regs[1].Registered != "2026-11-25T10:00:01Z" ||
		regs[0].TaskID != "0b0f5d8e-6c3a-4d8e-9a51-3c1f0e4a2b77" || regs[0].Name != "A" || regs[0].EntryPoint != "Tasks.A" {
		t.Errorf("read %+v", regs)
	}
}

// Whatever Encode writes without escapes is read by the canonical reader,
// so a registry bgtask wrote never takes the slow path.
func TestScanCanonicalReadsEncodeOutput(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	reg := &Registry{}
	at := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	triggers := []string{"push", "application", "timer:15", "maintenance:60:oneshot", "system:InternetAvailable:oneshot"}
	for i := range 200 {
		trigger, err := ParseTrigger(triggers[i%len(triggers)])
		if err != nil {
			t.Fatal(err)
		}
		r := Registration{TaskID: uuid.New(), Name: fmt.Sprintf("T%03d", i), EntryPoint: "Tasks.T", Trigger: trigger,
			Registered: at.Add(time.Duration(i) * time.Second), CancelOnConditionLoss: i%2 == 0}
		switch rnd.IntN(3) {
		case 0:
			r.Plugin, r.PluginArgs = "bin/p", []string{"a", fmt.Sprint(i)}
		case 1:
			r.ExamplePlugin = true
		}
		if i%3 == 0 {
			r.Conditions = []SystemConditionType{1, 3}
		}
		reg.Registrations = append(reg.Registrations, r)
	}
	data, err := Encode(reg)
	if err != nil {
		t.Fatal(err)
	}
	regs, ok := scanAll(data)
	if !ok || len(regs) != 200 {
		t.Fatalf("Encode's output not read canonically (%v, %d)", ok, len(regs))
	}
	back, err := Decode("r.json", data)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range back.Registrations {
		want := reg.Registrations[i]
		if !r.sameSettings(want) || r.TaskID != want.TaskID || !r.Registered.Equal(want.Registered) {
			t.Fatalf("registration %d: %+v, want %+v", i, r, want)
		}
	}
}

// Any byte that is not the canonical form sends the file to the strict
// decoder (the tests of Decode say what that reads and refuses).
func TestScanCanonicalLeavesOtherFormsToTheLibrary(t *testing.T) {
	for name, edit := range map[string]func(string) string{
		"CRLF":               func(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") },
		"tab indent":         func(s string) string { return strings.Replace(s, "      \"name\"", "\t\"name\"", 1) },
		"space before colon": func(s string) string { return strings.Replace(s, `"name": "A"`, `"name" : "A"`, 1) },
		"escape":             func(s string) string { return strings.Replace(s, `"Tasks.A"`, `"Tasks.\u0041"`, 1) },
		"non-ASCII":          func(s string) string { return strings.Replace(s, `"name": "A"`, `"name": "Ä"`, 1) },
		"control":            func(s string) string { return strings.Replace(s, `"name": "A"`, "\"name\": \"A\x7f\"", 1) },
		"keys reordered": func(s string) string {
			return strings.Replace(s, "\"name\": \"A\",\n      \"entryPoint\": \"Tasks.A\"", "\"entryPoint\": \"Tasks.A\",\n      \"name\": \"A\"", 1)
		},
		"unknown key": func(s string) string { return strings.Replace(s, `"plugin": "",`, `"plugin": "", "x": 1,`, 1) },
		"empty pluginArgs": func(s string) string {
			return strings.Replace(s, `"plugin": "",`, "\"plugin\": \"\",\n      \"pluginArgs\": [],", 1)
		},
		"examplePlugin false":    func(s string) string { return strings.Replace(s, `"examplePlugin": true`, `"examplePlugin": false`, 1) },
		"version 2":              func(s string) string { return strings.Replace(s, `"version": 1`, `"version": 2`, 1) },
		"no final newline":       func(s string) string { return strings.TrimSuffix(s, "\n") },
		"trailing space":         func(s string) string { return s + " " },
		"trailing value":         func(s string) string { return s + "{}" },
		"condition not a string": func(s string) string { return strings.Replace(s, `"UserPresent"`, `1`, 1) },
		"boolean as string": func(s string) string {
			return strings.Replace(s, `"cancelOnConditionLoss": true`, `"cancelOnConditionLoss": "true"`, 1)
		},
		"trailing comma":  func(s string) string { return strings.Replace(s, "\"y z\"\n", "\"y z\",\n", 1) },
		"unclosed string": func(s string) string { return s[:strings.Index(s, `"Tasks.A"`)+3] },
		"cut in a list":   func(s string) string { return s[:strings.Index(s, `"--x"`)] },
		"second example": func(s string) string {
			return strings.Replace(s, `"../bin/task",`, "\"../bin/task\",\n      \"examplePlugin\": true,\n      \"examplePlugin\": true,", 1)
		},
	} {
		data := []byte(edit(canonicalSample))
		if regs, ok := scanAll(data); ok {
			t.Errorf("%s: read canonically (%+v)", name, regs)
		}
	}
}

// FuzzScanCanonical: what the canonical reader accepts, the JSON library
// accepts too and reads to the same values.
func FuzzScanCanonical(f *testing.F) {
	f.Add([]byte(canonicalSample))
	f.Add([]byte("{\n  \"version\": 1,\n  \"registrations\": []\n}\n"))
	f.Add([]byte(sampleRegistry))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, ok := scanAll(data)
		if !ok {
			return
		}
		var want fileV1
		if err := unmarshalStrict(data, &want); err != nil {
			t.Fatalf("read canonically, refused by the library: %v\n%q", err, data)
		}
		if string(want.Version) != "1" {
			t.Fatalf("version %s\n%q", want.Version, data)
		}
		if len(got) != len(want.Registrations) {
			t.Fatalf("%d registrations, library %d\n%q", len(got), len(want.Registrations), data)
		}
		for i := range got {
			g, w := got[i], want.Registrations[i]
			// [] and null conditions read alike (no conditions).
			if len(g.Conditions) == 0 && len(w.Conditions) == 0 {
				g.Conditions, w.Conditions = nil, nil
			}
			if !reflect.DeepEqual(g, w) {
				t.Fatalf("registration %d: %+v, library %+v\n%q", i, g, w, data)
			}
		}
	})
}

// A file read canonically is refused as the strict decoder refuses it: the
// same message at the same place (the oracle: the same file behind a space,
// which only the strict decoder reads). A syntax error later in the file
// still comes first, as the strict decoder finds it before any value.
func TestScanCanonicalRefusesAsTheStrictDecoder(t *testing.T) {
	second := strings.Replace(canonicalSample, "1b0f5d8e", "2b0f5d8e", 1)
	for name, data := range map[string]string{
		"bad name":      strings.Replace(canonicalSample, `"name": "B"`, `"name": "B "`, 1),
		"bad trigger":   strings.Replace(canonicalSample, `"timer:30:oneshot"`, `"timer:5"`, 1),
		"bad time":      strings.Replace(canonicalSample, `"2026-11-25T10:00:01Z"`, `"yesterday"`, 1),
		"shared id":     strings.Replace(canonicalSample, "1b0f5d8e", "0b0f5d8e", 1),
		"nil id":        strings.Replace(second, "0b0f5d8e-6c3a-4d8e-9a51-3c1f0e4a2b77", "00000000-0000-0000-0000-000000000000", 1),
		"bad condition": strings.Replace(canonicalSample, `"UserPresent"`, `"Sometimes"`, 1),
	} {
		if _, ok := scanAll([]byte(data)); !ok {
			t.Fatalf("%s: not canonical; the test would not test the canonical path", name)
		}
		_, err := Decode("r.json", []byte(data))
		_, want := Decode("r.json", []byte(" "+data))
		if err == nil || want == nil || err.Error() != want.Error() {
			t.Errorf("%s: canonical read refused with\n%v\nthe strict decoder with\n%v", name, err, want)
		}
	}
	// A bad name first, then a stray comma: the comma is the error.
	data := strings.Replace(canonicalSample, `"name": "A"`, `"name": "A "`, 1)
	data = strings.Replace(data, "\"y z\"\n", "\"y z\",\n", 1)
	_, err := Decode("r.json", []byte(data))
	if err == nil || strings.Contains(err.Error(), "white space") || !strings.Contains(err.Error(), "comma") {
		t.Errorf("err = %v, want the trailing comma reported", err)
	}
}

// FuzzCanonicalDecodeIsStrict: a file read canonically decodes to what the
// strict decoder makes of it (the same file behind a space, which only the
// strict decoder reads): the same registrations, or the same refusal.
func FuzzCanonicalDecodeIsStrict(f *testing.F) {
	f.Add([]byte(canonicalSample))
	f.Add([]byte(strings.Replace(canonicalSample, "1b0f5d8e", "0b0f5d8e", 1)))
	f.Fuzz(func(t *testing.T, data []byte) {
		if _, ok := scanAll(data); !ok {
			return
		}
		got, err := Decode("r.json", data)
		want, wantErr := Decode("r.json", append([]byte(" "), data...))
		if (err == nil) != (wantErr == nil) || err != nil && err.Error() != wantErr.Error() {
			t.Fatalf("canonical: %v\nstrict: %v\n%q", err, wantErr, data)
		}
		if err != nil {
			return
		}
		if len(got.Registrations) != len(want.Registrations) {
			t.Fatalf("%d registrations, strict %d", len(got.Registrations), len(want.Registrations))
		}
		for i, r := range got.Registrations {
			w := want.Registrations[i]
			if !r.sameSettings(w) || r.TaskID != w.TaskID || !r.Registered.Equal(w.Registered) {
				t.Fatalf("registration %d: %+v\nstrict %+v", i, r, w)
			}
		}
	})
}
