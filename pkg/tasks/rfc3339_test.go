package tasks

import (
	"math/rand/v2"
	"testing"
	"time"
)

// parseUTCSeconds reads what time.Parse reads (the oracle), and leaves to
// it whatever it would refuse or read otherwise.
func TestParseUTCSecondsIsTimeParse(t *testing.T) {
	rnd := rand.New(rand.NewPCG(3, 4))
	var inputs []string
	for range 5000 {
		sec := rnd.Int64N(253402300800) // years 0000 to 9999
		inputs = append(inputs, time.Unix(sec-62167219200, 0).UTC().Format(time.RFC3339))
	}
	inputs = append(inputs, "2024-02-29T00:00:00Z", "2023-02-29T00:00:00Z", "2026-02-30T10:00:00Z", "2026-04-31T10:00:00Z",
		"2026-12-01T24:00:00Z", "2026-12-01T23:60:00Z", "2026-12-01T23:59:60Z", "2026-13-01T10:00:00Z", "2026-00-01T10:00:00Z",
		"2026-12-00T10:00:00Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "2026-12-01T10:00:00+01:00",
		"2026-12-01t10:00:00Z", "2026-12-01T10:00:00z", "2026-12-01T10:00:00.5Z", "2026-1-01T10:00:00Z", "20x6-12-01T10:00:00Z",
		"2026-12-01T10:00:0xZ", "+026-12-01T10:00:00Z", "")
	for _, s := range inputs {
		want, wantErr := time.Parse(time.RFC3339, s)
		got, ok := parseUTCSeconds(s)
		if ok && (wantErr != nil || !got.Equal(want) || got.Location() != want.Location()) {
			t.Errorf("parseUTCSeconds(%q) = %v; time.Parse: %v, %v", s, got, want, wantErr)
		}
		if !ok && len(s) == 20 && s[19] == 'Z' && wantErr == nil && want.Format(time.RFC3339) == s {
			t.Errorf("parseUTCSeconds(%q) left to time.Parse a time it writes", s)
		}
	}
}

// appendUTCSeconds writes what AppendFormat writes (the oracle), for any
// time, the ones it does not handle itself included.
func TestAppendUTCSecondsIsAppendFormat(t *testing.T) {
	rnd := rand.New(rand.NewPCG(5, 6))
	zone := time.FixedZone("X", 5*3600+1800)
	for i := range 5000 {
		tm := time.Unix(rnd.Int64N(253402300800)-62167219200, 0).UTC()
		switch i % 5 {
		case 3:
			tm = tm.In(zone)
		case 4:
			tm = tm.Add(time.Duration(rnd.IntN(1e9)))
		}
		if got, want := string(appendUTCSeconds([]byte("x"), tm)), "x"+tm.Format(time.RFC3339); got != want {
			t.Fatalf("appendUTCSeconds(%v) = %s, want %s", tm, got, want)
		}
	}
	for _, tm := range []time.Time{time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), {}} {
		if got, want := string(appendUTCSeconds(nil, tm)), tm.Format(time.RFC3339); got != want {
			t.Errorf("appendUTCSeconds(%v) = %s, want %s", tm, got, want)
		}
	}
}
