package tasks

import "time"

// parseUTCSeconds reads the form Encode writes times in, UTC to the second
// ("2026-12-01T10:00:00Z"), as time.Parse(time.RFC3339, s) reads it, in a
// tenth of the time: 10,000 registrations are read on every register. It
// reports false for anything else (another form, or a date time.Parse would
// refuse or read otherwise), which the caller gives to time.Parse.
func parseUTCSeconds(s string) (time.Time, bool) {
	if len(s) != len("2006-01-02T15:04:05Z") || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z' {
		return time.Time{}, false
	}
	num := func(i, n int) (int, bool) {
		v := 0
		for _, c := range []byte(s[i : i+n]) {
			if c < '0' || c > '9' {
				return 0, false
			}
			v = v*10 + int(c-'0')
		}
		return v, true
	}
	year, ok1 := num(0, 4)
	month, ok2 := num(5, 2)
	day, ok3 := num(8, 2)
	hour, ok4 := num(11, 2)
	minute, ok5 := num(14, 2)
	sec, ok6 := num(17, 2)
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) {
		return time.Time{}, false
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, 0, time.UTC)
	// time.Date carries what is out of range into the next field (February
	// 30th is March 2nd), where time.Parse refuses it: only a date that
	// comes back as written is read here.
	y, m, d := t.Date()
	hh, mm, ss := t.Clock()
	if y != year || int(m) != month || d != day || hh != hour || mm != minute || ss != sec {
		return time.Time{}, false
	}
	return t, true
}

// appendUTCSeconds appends t (UTC, whole seconds, years 0-9999) as
// t.AppendFormat(b, time.RFC3339) does, without the layout's interpretation.
func appendUTCSeconds(b []byte, t time.Time) []byte {
	year, month, day := t.Date()
	hour, minute, sec := t.Clock()
	if year < 0 || year > 9999 || t.Nanosecond() != 0 || t.Location() != time.UTC {
		return t.AppendFormat(b, time.RFC3339)
	}
	two := func(b []byte, v int) []byte { return append(b, byte('0'+v/10), byte('0'+v%10)) }
	b = two(two(b, year/100), year%100)
	b = two(append(b, '-'), int(month))
	b = two(append(b, '-'), day)
	b = two(append(b, 'T'), hour)
	b = two(append(b, ':'), minute)
	b = two(append(b, ':'), sec)
	return append(b, 'Z')
}
