package tasks

import "testing"

// A comma left after the last item (a hand edit that deleted it) is named
// as such, at the comma, wherever the closing bracket is; a comma at the
// very end of a truncated file is the truncation.
func TestDecodeTrailingComma(t *testing.T) {
	for _, tc := range []struct{ data, want string }{
		{`{"version": 1, "registrations": [],}`, `r.json:1:35: corrupt registry: a comma before '}': JSON allows none after the last item; delete it`},
		{"{\"version\": 1,\n}", `r.json:1:14: corrupt registry: a comma before '}': JSON allows none after the last item; delete it`},
		{"{\"version\": 1, \"registrations\": [\n  {\"taskId\": \"0b0f5d8e-6c3a-4d8e-9a51-3c1f0e4a2b77\", \"name\": \"A\", \"entryPoint\": \"T.A\", \"trigger\": \"push\", \"registered\": \"2026-11-25T10:00:00Z\"},\n]}",
			`r.json:2:144: corrupt registry: a comma before ']': JSON allows none after the last item; delete it`},
		{`{"version": 1,`, `r.json:1:15: corrupt registry: unexpected end of JSON input`},
	} {
		_, err := Decode("r.json", []byte(tc.data))
		if err == nil || err.Error() != tc.want+corruptTail {
			t.Errorf("%q:\n got %v\nwant %s", tc.data, err, tc.want+corruptTail)
		}
	}
}

// A value of the wrong JSON type says what the field wants, in words.
func TestDecodeWrongTypeSaysWhatIsWanted(t *testing.T) {
	for _, tc := range []struct{ data, want string }{
		{oneRegistration(`"conditions": []`, `"conditions": 5`), `r.json:2:121: corrupt registry: "conditions" holds a JSON number, want an array of strings`},
		{oneRegistration(`"plugin": ""`, `"plugin": "p", "pluginArgs": "x"`), `r.json:2:186: corrupt registry: "pluginArgs" holds a JSON string, want an array of strings`},
		{oneRegistration(`"cancelOnConditionLoss": false`, `"cancelOnConditionLoss": "no"`), `r.json:2:150: corrupt registry: "cancelOnConditionLoss" holds a JSON string, want true or false`},
	} {
		_, err := Decode("r.json", []byte(tc.data))
		if err == nil || err.Error() != tc.want+corruptTail {
			t.Errorf("got  %v\nwant %s", err, tc.want+corruptTail)
		}
	}
}
