package tasks

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// corruptTail ends every CorruptError message.
const corruptTail = "; the file was left as it is: fix it by hand, or move it away to start an empty registry"

// oneRegistration is a valid one-registration file laid out so that each
// key's column is easy to count: line 2 is
//
//	{"taskId": "...", "name": "A", "entryPoint": "T.A", ...
//	 ^col 4           ^col 54     ^col 67
func oneRegistration(edit ...string) string {
	s := `{"version": 1, "registrations": [
  {"taskId": "0b0f5d8e-6c3a-4d8e-9a51-3c1f0e4a2b77", "name": "A", "entryPoint": "T.A", "trigger": "push", "conditions": [], "cancelOnConditionLoss": false, "plugin": "", "registered": "2026-11-25T10:00:00Z"}
]}`
	return strings.NewReplacer(edit...).Replace(s)
}

// Every way a registry file can be wrong gives one exact message, positioned
// at the key whose value is wrong (line:col of its opening quote), or at
// nothing when there is no single place. The columns were counted by hand.
func TestDecodeErrorsExactly(t *testing.T) {
	for _, tc := range []struct{ name, data, want string }{
		{"empty", "", `r.json: corrupt registry: the file is empty (a registry holds at least {"version": 1})`},
		{"white space only", " \n\t", `r.json: corrupt registry: the file is empty (a registry holds at least {"version": 1})`},
		{"no version", `{"registrations": []}`, `r.json: corrupt registry: no "version" field`},
		{"null version", `{"version": null}`, `r.json: corrupt registry: no "version" field`},
		{"version 0", `{"version": 0}`, `r.json:1:2: corrupt registry: "version" 0 is not a registry format version (this bgtask writes 1)`},
		{"version -1", `{"version": -1}`, `r.json:1:2: corrupt registry: "version" -1 is not a registry format version (this bgtask writes 1)`},
		// Beyond any int: not "not a whole number" (hostile review).
		{"version huge", `{"version": 99999999999999999999999}`, `r.json:1:2: corrupt registry: "version" 99999999999999999999999 is not a registry format version (this bgtask writes 1)`},
		{"fractional version", `{"version": 1.5}`, `r.json:1:2: corrupt registry: "version" is 1.5, not a whole number`},
		{"version on line 2", "{\n  \"version\": \"1\"}", `r.json:2:3: corrupt registry: "version" is "1", not a whole number`},
		{"a field of the wrong type", `{"version": 1, "registrations": [{"name": 5}]}`, `r.json:1:43: corrupt registry: "name" holds a JSON number, want a string`},
		{"unknown top-level field", `{"version": 1, "extra": 2}`, `r.json:1:16: corrupt registry: unknown field "extra" (a version 1 registry has version and registrations)`},
		{"unknown field in a registration", `{"version": 1, "registrations": [{"nmae": "x"}]}`, `r.json:1:35: corrupt registry: unknown field "nmae" (version 1 registrations have taskId, name, entryPoint, trigger, conditions, cancelOnConditionLoss, plugin, pluginArgs, examplePlugin, registered)`},
		{"entry point with a leading space", oneRegistration(`"T.A"`, `" T.A"`),
			`r.json:2:67: corrupt registry: registration 1 (name "A"): entry point " T.A": starts or ends with white space`},
		{"entry point with a trailing space", oneRegistration(`"T.A"`, `"T.A "`),
			`r.json:2:67: corrupt registry: registration 1 (name "A"): entry point "T.A ": starts or ends with white space`},
		{"entry point with a control character", oneRegistration(`"T.A"`, `"T.A\u0007"`),
			`r.json:2:67: corrupt registry: registration 1 (name "A"): entry point "T.A\a": contains a control character`},
		{"no entry point", oneRegistration(`"T.A"`, `""`),
			`r.json:2:67: corrupt registry: registration 1 (name "A"): entry point: an out-of-process task needs an entry point (Namespace.Class), or Register throws`},
		{"name with a trailing space", oneRegistration(`"A"`, `"A "`),
			`r.json:2:54: corrupt registry: registration 1 (name "A "): name "A ": starts or ends with white space`},
		{"name with a control character", oneRegistration(`"A"`, `"A\u0001"`),
			`r.json:2:54: corrupt registry: registration 1 (name "A\x01"): name "A\x01": contains a control character`},
		{"plugin with a line break", oneRegistration(`"plugin": ""`, `"plugin": "p\n"`),
			`r.json:2:157: corrupt registry: registration 1 (name "A"): plugin "p\n": contains a control character`},
		{"plugin argument with a NUL", oneRegistration(`"plugin": ""`, `"plugin": "p", "pluginArgs": ["ok", "a\u0000"]`),
			`r.json:2:172: corrupt registry: registration 1 (name "A"): plugin arguments "a\x00": contains a control character`},
		{"plugin arguments without a plugin", oneRegistration(`"plugin": ""`, `"plugin": "", "pluginArgs": ["a", "b"]`),
			`r.json:2:171: corrupt registry: registration 1 (name "A"): plugin arguments "a b": are given without a plugin to pass them to`},
		{"a plugin and the example plugin", oneRegistration(`"plugin": ""`, `"plugin": "p", "examplePlugin": true`),
			`r.json:2:157: corrupt registry: registration 1 (name "A"): plugin "p": is given together with the built-in example plugin; a registration runs on one plugin`},
		{"system trigger Invalid", oneRegistration(`"push"`, `"system:Invalid"`),
			`r.json:2:88: corrupt registry: registration 1 (name "A"): trigger "system:Invalid": unknown SystemTriggerType "Invalid"; one of SmsReceived, UserPresent, UserAway, NetworkStateChange, ControlChannelReset, InternetAvailable, SessionConnected, ServicingComplete, LockScreenApplicationAdded, LockScreenApplicationRemoved, TimeZoneChange, OnlineIdConnectedStateChange, BackgroundWorkCostChange, PowerStateChange, DefaultSignInAccountChange`},
		{"system trigger neither oneshot", oneRegistration(`"push"`, `"system:SmsReceived:twice"`),
			`r.json:2:88: corrupt registry: registration 1 (name "A"): trigger "system:SmsReceived:twice": "twice" is not "oneshot"`},
		{"unknown condition", oneRegistration(`"conditions": []`, `"conditions": ["Nope"]`),
			`r.json:2:107: corrupt registry: registration 1 (name "A"): condition "Nope": unknown SystemConditionType "Nope"; one of UserPresent, UserNotPresent, InternetAvailable, InternetNotAvailable, SessionConnected, SessionDisconnected, FreeNetworkAvailable, BackgroundWorkCostNotHigh`},
		{"contradicting conditions", oneRegistration(`"conditions": []`, `"conditions": ["UserPresent", "usernotpresent"]`),
			`r.json:2:107: corrupt registry: registration 1 (name "A"): condition "UserPresent+UserNotPresent": these conditions can never hold together, so the task would never run`},
		{"a year before 0000 in UTC", oneRegistration(`2026-11-25T10:00:00Z`, `0000-01-01T00:30:00+01:00`),
			`r.json:2:171: corrupt registry: registration 1 (name "A"): registered "0000-01-01T00:30:00+01:00" is outside years 0000-9999`},
		{"a year after 9999 in UTC", oneRegistration(`2026-11-25T10:00:00Z`, `9999-12-31T23:30:00-01:00`),
			`r.json:2:171: corrupt registry: registration 1 (name "A"): registered "9999-12-31T23:30:00-01:00" is outside years 0000-9999`},
	} {
		_, err := Decode("r.json", []byte(tc.data))
		var ce *CorruptError
		if !errors.As(err, &ce) || !errors.Is(err, ErrInvalidInput) {
			t.Errorf("%s: %v, want a *CorruptError", tc.name, err)
			continue
		}
		if got := err.Error(); got != tc.want+corruptTail {
			t.Errorf("%s:\n got %s\nwant %s", tc.name, got, tc.want+corruptTail)
		}
	}
}

// The first and last instants of years 0000 and 9999 in UTC are kept.
func TestDecodeYearBounds(t *testing.T) {
	for _, at := range []string{"0000-01-01T00:00:00Z", "0000-01-01T01:00:00+01:00", "9999-12-31T23:59:59Z", "9999-12-31T22:59:59-01:00"} {
		reg, err := Decode("r.json", []byte(oneRegistration(`2026-11-25T10:00:00Z`, at)))
		if err != nil {
			t.Errorf("%s: %v", at, err)
			continue
		}
		want, _ := time.Parse(time.RFC3339, at)
		if got := reg.Registrations[0].Registered; !got.Equal(want) || got.Location() != time.UTC {
			t.Errorf("%s: registered %v", at, got)
		}
	}
}

// A decoded registry is in name order whatever the file's order, and every
// field is read as written.
func TestDecodeReadsEveryField(t *testing.T) {
	data := `{"version": 1, "registrations": [
  {"taskId": "2b0f5d8e-6c3a-4d8e-9a51-3c1f0e4a2b77", "name": "b", "entryPoint": "T.B", "trigger": "system:TimeZoneChange:oneshot", "conditions": ["InternetAvailable", "UserPresent"], "cancelOnConditionLoss": true, "plugin": "bin/task", "pluginArgs": ["--x", "y z"], "registered": "2026-11-25T10:00:00Z"},
  {"taskId": "1b0f5d8e-6c3a-4d8e-9a51-3c1f0e4a2b77", "name": "a", "entryPoint": "T.A", "trigger": "maintenance:30", "conditions": [], "cancelOnConditionLoss": false, "plugin": "", "examplePlugin": true, "registered": "2026-11-25T10:00:01Z"}
]}`
	reg, err := Decode("r.json", []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range reg.Registrations {
		got = append(got, r.TaskID.String()+" "+r.Summary()+" "+r.Registered.Format(time.RFC3339))
	}
	want := []string{
		`1b0f5d8e-6c3a-4d8e-9a51-3c1f0e4a2b77 a (TaskId 1b0f5d8e-6c3a-4d8e-9a51-3c1f0e4a2b77): entry point T.A, trigger maintenance:30, the built-in example plugin 2026-11-25T10:00:01Z`,
		`2b0f5d8e-6c3a-4d8e-9a51-3c1f0e4a2b77 b (TaskId 2b0f5d8e-6c3a-4d8e-9a51-3c1f0e4a2b77): entry point T.B, trigger system:TimeZoneChange:oneshot, conditions UserPresent+InternetAvailable, cancel on condition loss, plugin bin/task "--x" "y z" 2026-11-25T10:00:00Z`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("decoded\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if reg.Path != "r.json" {
		t.Errorf("Path = %q", reg.Path)
	}
}
