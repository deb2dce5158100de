package plugin

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"unicode/utf8"

	jsonv2 "github.com/go-json-experiment/json"
)

// FuzzDecoder feeds arbitrary plugin output to the decoder the host uses:
// it must never panic, never return a line over its bound, and every message
// it accepts must encode to a line that decodes to the same message.
func FuzzDecoder(f *testing.F) {
	f.Add([]byte("{\"type\":\"handshake\",\"protocol\":1,\"entry_points\":[\"A\"]}\n"))
	f.Add([]byte("{\"type\":\"progress\",\"instance_id\":\"i\",\"percent\":50}\r\n\n"))
	f.Add([]byte("{\"type\":\"completion\",\"instance_id\":\"i\",\"success\":false,\"error\":\"x\"}"))
	f.Add([]byte("garbage\n{\"type\":null}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		const bound = 256
		// One line without a terminator that is over the bound must never be
		// accepted, however it ends.
		if !bytes.Contains(data, []byte("\n")) && len(bytes.TrimSuffix(data, []byte("\r"))) > bound {
			if m, err := NewDecoder(bytes.NewReader(data), bound).Next(); err == nil {
				t.Fatalf("accepted a %d-byte line over the %d-byte bound as %s", len(data), bound, m.Type())
			}
		}
		d := NewDecoder(bytes.NewReader(data), bound)
		for range 100 {
			m, err := d.Next()
			if errors.Is(err, ErrMalformed) || errors.Is(err, ErrUnknownType) {
				continue
			}
			if err != nil {
				if !errors.Is(err, io.EOF) && !errors.Is(err, ErrLineTooLong) {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			line, err := EncodeMessage(m)
			if err != nil {
				t.Fatalf("encoding an accepted message: %v", err)
			}
			back, err := DecodeMessage(bytes.TrimSuffix(line, []byte("\n")))
			if err != nil {
				t.Fatalf("re-decoding %s: %v", line, err)
			}
			again, _ := EncodeMessage(back)
			if !bytes.Equal(line, again) {
				t.Fatalf("not stable:\n%s\n%s", line, again)
			}
		}
	})
}

// FuzzDecodeStrict checks the strict decoding against an independent
// decoder: github.com/go-json-experiment/json (the prototype of
// encoding/json/v2) refuses duplicate member names and matches names exactly
// by default. Every line DecodeMessage accepts must decode there too, to the
// same message; so no duplicate or case-variant member can slip through.
// (Its handling of null differs, so nulls are checked by TestDecodeIsStrict.)
func FuzzDecodeStrict(f *testing.F) {
	f.Add([]byte(`{"type":"completion","instance_id":"i","success":false,"error":"x","SUCCESS":true}`))
	f.Add([]byte(`{"type":"progress","instance_id":"i","percent":5,"percent":6}`))
	f.Add([]byte(`{"type":"handshake","protocol":1,"entry_points":["A"],"sdk":"go","x":{"a":[1,{"b":null}]}}`))
	f.Add([]byte(`{"type":"run","instance_id":"i","registration":{"name":"n","task_id":"t","entry_point":"E"},"trigger":{"kind":"push","push":{"content":"c","content_bytes":"aGk=","headers":{"A":"b","a":"c"}}}}`))
	f.Fuzz(func(t *testing.T, line []byte) {
		m, err := DecodeMessage(line)
		if err != nil || !utf8.Valid(line) { // v2 refuses invalid UTF-8; v1 replaces it
			return
		}
		other := newMessage(m.Type())
		if err := jsonv2.Unmarshal(line, other); err != nil {
			t.Fatalf("accepted %s, which a strict decoder refuses: %v", line, err)
		}
		a, _ := EncodeMessage(m)
		b, _ := EncodeMessage(other)
		if !bytes.Equal(a, b) {
			t.Fatalf("%s decodes to\n%s here and to\n%s strictly", line, a, b)
		}
	})
}
