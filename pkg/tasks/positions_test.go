package tasks

import "testing"

// An error points at the key whose value is wrong, not at an earlier value
// spelled like that key.
func TestDecodePointsAtTheKeyNotAnEqualValue(t *testing.T) {
	data := `{"version": 1, "registrations": [{"name": "registered", "registered": "x", "taskId": "0b0f5d8e-6c3a-4d8e-9a51-3c1f0e4a2b77", "entryPoint": "T.A", "trigger": "push"}]}`
	_, err := Decode("r.json", []byte(data))
	want := `r.json:1:57: corrupt registry: registration 1 (name "registered"): registered "x" is not an RFC 3339 time: parsing time "x" as "2006-01-02T15:04:05Z07:00": cannot parse "x" as "2006"` + corruptTail
	if err == nil || err.Error() != want {
		t.Errorf("got  %v\nwant %s", err, want)
	}
}

func TestLineColAtEveryPlace(t *testing.T) {
	data := []byte("a\nbc\n\nd")
	for _, c := range []struct {
		offset    int64
		line, col int
	}{{-5, 1, 1}, {0, 1, 1}, {1, 1, 1}, {2, 1, 2}, {3, 2, 1}, {4, 2, 2}, {5, 2, 3}, {6, 3, 1}, {7, 4, 1}, {8, 4, 2}, {100, 4, 2}} {
		if l, col := lineCol(data, c.offset); l != c.line || col != c.col {
			t.Errorf("lineCol(%d) = %d:%d, want %d:%d", c.offset, l, col, c.line, c.col)
		}
	}
}

// A key spelled with escapes cannot be found in the text: the error has no
// position (for "version") or points at the registration's start (for a
// registration's field), rather than at a wrong place.
func TestDecodeEscapedKeys(t *testing.T) {
	for _, tc := range []struct{ data, want string }{
		{`{"\u0076ersion": "1"}`, `r.json: corrupt registry: "version" is "1", not a whole number`},
		{`{"version": 1, "registrations": [{"taskId": "0b0f5d8e-6c3a-4d8e-9a51-3c1f0e4a2b77", "name": "A", "\u0065ntryPoint": " T.A", "trigger": "push", "registered": "2026-11-25T10:00:00Z"}]}`,
			`r.json:1:34: corrupt registry: registration 1 (name "A"): entry point " T.A": starts or ends with white space`},
	} {
		_, err := Decode("r.json", []byte(tc.data))
		if err == nil || err.Error() != tc.want+corruptTail {
			t.Errorf("got  %v\nwant %s", err, tc.want+corruptTail)
		}
	}
}
