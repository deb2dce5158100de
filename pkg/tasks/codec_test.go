package tasks

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
)

const sampleRegistry = `{
  "version": 1,
  "registrations": [
    {
      "taskId": "0b0f5d8e-6c3a-4d8e-9a51-3c1f0e4a2b77",
      "name": "RawPush",
      "entryPoint": "Tasks.ExampleBackgroundTask",
      "trigger": "push",
      "conditions": [
        "InternetAvailable"
      ],
      "cancelOnConditionLoss": true,
      "plugin": "../bin/task",
      "registered": "2026-11-25T10:00:00Z"
    }
  ]
}
`

func TestDecodeEncodeIsByteIdentical(t *testing.T) {
	reg, err := Decode("r.json", []byte(sampleRegistry))
	if err != nil {
		t.Fatal(err)
	}
	r := reg.Registrations[0]
	if r.Name != "RawPush" || r.Trigger.Kind != TriggerPush || !r.CancelOnConditionLoss ||
		len(r.Conditions) != 1 || r.Conditions[0] != 3 || r.Plugin != "../bin/task" ||
		!r.Registered.Equal(time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)) {
		t.Errorf("decoded %+v", r)
	}
	out, err := Encode(reg)
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != sampleRegistry {
		t.Errorf("re-encoded differently:\n%s", out)
	}
}

func TestEncodeSortsByNameAndWritesEmptyLists(t *testing.T) {
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	reg := &Registry{Registrations: []Registration{
		{TaskID: uuid.New(), Name: "b", EntryPoint: "T.B", Trigger: push, Registered: at},
		{TaskID: uuid.New(), Name: "a", EntryPoint: "T.A", Trigger: push, Registered: at},
	}}
	out, err := Encode(reg)
	if err != nil {
		t.Fatal(err)
	}
	s := string(out)
	if a, b := strings.Index(s, `"name": "a"`), strings.Index(s, `"name": "b"`); a < 0 || b < 0 || a > b {
		t.Errorf("registrations not sorted by name:\n%s", s)
	}
	if !strings.Contains(s, `"conditions": [],`) {
		t.Errorf("an empty condition list is not written as []:\n%s", s)
	}
	empty, _ := Encode(&Registry{})
	if string(empty) != "{\n  \"version\": 1,\n  \"registrations\": []\n}\n" {
		t.Errorf("empty registry encodes as %q", empty)
	}
}

func TestDecodeCorruptReportsPosition(t *testing.T) {
	cases := []struct {
		name, data, want string
	}{
		{"truncated", sampleRegistry[:len(sampleRegistry)/2], "r.json:8:16: corrupt registry: unexpected end of JSON input"},
		{"syntax", "{\n  \"version\": 1,\n  \"registrations\": [x]\n}\n", "r.json:3:21: corrupt registry: invalid character 'x'"},
		{"wrong type", "{\n  \"version\": 1,\n  \"registrations\": {}\n}\n", "r.json:3:"},
		{"unknown field", strings.Replace(sampleRegistry, `"plugin"`, `"plugn"`, 1), `r.json:13:7: corrupt registry: unknown field "plugn"`},
		{"empty", "", "r.json: corrupt registry: the file is empty"},
		{"no version", `{"registrations": []}`, `no "version" field`},
		{"version zero", `{"version": 0}`, `"version" 0 is not a registry format version`},
		{"version string", `{"version": "1"}`, `"version" is "1", not a whole number`},
		{"bad trigger", strings.Replace(sampleRegistry, `"push"`, `"timer:5"`, 1), `r.json:8:7: corrupt registry: registration 1 (name "RawPush"): trigger "timer:5"`},
		{"bad id", strings.Replace(sampleRegistry, `0b0f5d8e-`, `zz`, 1), `r.json:5:7: corrupt registry: registration 1 (name "RawPush"): taskId "zz`},
		{"contradiction", strings.Replace(sampleRegistry, `"InternetAvailable"`, `"InternetAvailable", "InternetNotAvailable"`, 1), `r.json:9:7: corrupt registry: registration 1`},
		{"second registration", secondBad, `r.json:4:5: corrupt registry: registration 2 (name "B"): entry point`},
		{"nil id", strings.Replace(sampleRegistry, `0b0f5d8e-6c3a-4d8e-9a51-3c1f0e4a2b77`, uuid.Nil.String(), 1), `nil GUID`},
		{"trailing data", sampleRegistry + "{}", "after top-level value"},
		{"no name", strings.Replace(sampleRegistry, `"RawPush"`, `""`, 1), "needs a name"},
		{"bad time", strings.Replace(sampleRegistry, `2026-11-25T10:00:00Z`, `yesterday`, 1), "RFC 3339"},
	}
	for _, c := range cases {
		_, err := Decode("r.json", []byte(c.data))
		var ce *CorruptError
		if !errors.As(err, &ce) || !errors.Is(err, ErrInvalidInput) {
			t.Errorf("%s: err = %v, want a *CorruptError", c.name, err)
			continue
		}
		if !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %q lacks %q", c.name, err, c.want)
		}
	}
}

// secondBad's second registration lacks an entry point; the error points at
// that registration, since there is no key to point at.
const secondBad = `{"version": 1, "registrations": [
  {"taskId": "0b0f5d8e-6c3a-4d8e-9a51-3c1f0e4a2b77", "name": "A", "entryPoint": "T.A",
   "trigger": "push", "conditions": [], "cancelOnConditionLoss": false, "plugin": "", "registered": "2026-11-25T10:00:00Z"},
    {"taskId": "1b0f5d8e-6c3a-4d8e-9a51-3c1f0e4a2b77", "name": "B",
   "trigger": "push", "conditions": [], "cancelOnConditionLoss": false, "plugin": "", "registered": "2026-11-25T10:00:00Z"}
]}`

func TestDecodeRefusesNewerVersion(t *testing.T) {
	_, err := Decode("r.json", []byte(`{"version": 2, "somethingNew": {"x": 1}}`))
	var ve *VersionError
	if !errors.As(err, &ve) || ve.Version != 2 || !errors.Is(err, ErrInvalidInput) {
		t.Fatalf("err = %v, want a *VersionError for version 2", err)
	}
	if !strings.Contains(err.Error(), "upgrade bgtask") {
		t.Errorf("message does not say what to do: %v", err)
	}
}

func TestDecodeAcceptsHandEditedSpellings(t *testing.T) {
	edited := strings.NewReplacer(
		`"push"`, `"PUSH"`,
		`"InternetAvailable"`, `"userpresent", "InternetAvailable"`,
		`2026-11-25T10:00:00Z`, `2026-11-25T11:00:00.75+01:00`,
	).Replace(sampleRegistry)
	reg, err := Decode("r.json", []byte(edited))
	if err != nil {
		t.Fatal(err)
	}
	r := reg.Registrations[0]
	if r.Trigger.String() != "push" || len(r.Conditions) != 2 || r.Conditions[0] != 1 ||
		!r.Registered.Equal(time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)) {
		t.Errorf("decoded %+v", r)
	}
}

func TestLineCol(t *testing.T) {
	data := []byte("ab\ncd\n")
	for _, c := range []struct {
		offset    int64
		line, col int
	}{{1, 1, 1}, {2, 1, 2}, {4, 2, 1}, {5, 2, 2}, {0, 1, 1}, {6, 2, 3}, {7, 3, 1}, {99, 3, 1}} {
		if l, col := lineCol(data, c.offset); l != c.line || col != c.col {
			t.Errorf("lineCol(%d) = %d:%d, want %d:%d", c.offset, l, col, c.line, c.col)
		}
	}
}

// The hand-written encoder writes the library's bytes for every shape of
// registration it takes, and leaves the others to it.
func TestEncodePlainMatchesLibrary(t *testing.T) {
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	id := uuid.MustParse("0b0f5d8e-6c3a-4d8e-9a51-3c1f0e4a2b77")
	base := Registration{TaskID: id, Name: "A", EntryPoint: "T.A", Trigger: push, Registered: at}
	withConds, withArgs, example, odd := base, base, base, base
	withConds.Conditions, withConds.CancelOnConditionLoss = []SystemConditionType{1, 3}, true
	withArgs.Plugin, withArgs.PluginArgs = "../bin/task", []string{"--mode", "a b", "<&>"}
	example.ExamplePlugin = true
	odd.Name = "caf\u00e9 \"q\""
	named := func(name string) []Registration { r := base; r.Name = name; return []Registration{r} }
	args := func(a ...string) []Registration { r := withArgs; r.PluginArgs = a; return []Registration{r} }
	for _, tc := range []struct {
		name  string
		regs  []Registration
		plain bool
	}{
		// Printable ASCII, ' ' to '~', is written as it is; anything
		// JSON must escape, or that is not ASCII, goes to the library.
		{"space and tilde", named(" a b~ "), true},
		{"a tab", named("a\tb"), false},
		{"a control character", named("a\x01b"), false},
		{"DEL", named("a\x7fb"), false},
		{"a backslash", named("a\\b"), false},
		{"a quote", named("a\"b"), false},
		{"non-ASCII", named("caf\u00e9"), false},
		{"space and tilde in an argument", args("a b~"), true},
		{"a tab in an argument", args("x", "a\tb"), false},
		{"DEL in an argument", args("x", "\x7f"), false},
		{"a backslash in an argument", args("x", "a\\b"), false},
		{"a quote in an argument", args("x", "\"q\""), false},
		{"non-ASCII in an argument", args("x", "\u2028"), false},
		{"empty", nil, true},
		{"one", []Registration{base}, true},
		{"conditions", []Registration{withConds}, true},
		{"plugin arguments", []Registration{withArgs}, true},
		{"example plugin", []Registration{example}, true},
		{"several", []Registration{base, withArgs}, true},
		{"a name to escape", []Registration{odd}, false},
	} {
		plain, ok := encodePlain(tc.regs)
		if ok != tc.plain {
			t.Errorf("%s: encodePlain took it: %v, want %v", tc.name, ok, tc.plain)
			continue
		}
		lib, err := encodeMarshal(tc.regs)
		if err != nil {
			t.Fatal(err)
		}
		if ok && string(plain) != string(lib) {
			t.Errorf("%s: encodePlain wrote\n%s\nthe library\n%s", tc.name, plain, lib)
		}
	}
}

// A file that ends right after a comma, or has a comma where a value
// starts, is refused with the reader's message at the comma or at the end
// (columns counted by hand), and is not mistaken for a trailing comma.
func TestDecodeCommaAtTheEnd(t *testing.T) {
	for _, tc := range []struct{ in, pos, msg string }{
		{`{"version": 1,`, "r.json:1:15:", "unexpected end of JSON input"},
		{`{"version": 1,` + "\n", "r.json:2:1:", "unexpected end of JSON input"},
		{`{"version": 1, "registrations": [,  `, "r.json:1:34:", "invalid character ',' at start of value"},
		// The bad byte is the file's last: its own column, as with more after it.
		{`{"version": 1, "registrations": [,`, "r.json:1:34:", "invalid character ',' at start of value"},
		{`{"version":1}x`, "r.json:1:14:", "invalid character 'x' after top-level value"},
		{`{"version":1}xy`, "r.json:1:14:", "invalid character 'x' after top-level value"},
		{`{"version": 1, "registrations": [,"x"]}`, "r.json:1:34:", "invalid character ',' at start of value"},
	} {
		_, err := Decode("r.json", []byte(tc.in))
		var ce *CorruptError
		if !errors.As(err, &ce) {
			t.Errorf("%q: error %v, want a *CorruptError", tc.in, err)
			continue
		}
		if msg := err.Error(); !strings.HasPrefix(msg, tc.pos) || !strings.Contains(msg, tc.msg) || strings.Contains(msg, "a comma before") {
			t.Errorf("%q: %s\nwant it at %s saying %q", tc.in, msg, tc.pos, tc.msg)
		}
	}
}
