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
	}{{-5, 1, 1}, {0, 1, 1}, {1, 1, 1}, {2, 1, 2}, {3, 2, 1}, {4, 2, 2}, {5, 2, 3}, {6, 3, 1}, {7, 4, 2}, {8, 4, 2}, {100, 4, 2}} {
		if l, col := lineCol(data, c.offset); l != c.line || col != c.col {
			t.Errorf("lineCol(%d) = %d:%d, want %d:%d", c.offset, l, col, c.line, c.col)
		}
	}
}
