package plugin

import (
	"bytes"
	"errors"
	"io"
	"reflect"
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

// FuzzDecodeFast holds the fast reader to the strict decoder: a line it
// takes is one the strict decoder accepts, as the same message.
func FuzzDecodeFast(f *testing.F) {
	for _, tc := range fastForms {
		f.Add([]byte(tc.line))
	}
	for _, line := range strictOnly {
		f.Add([]byte(line))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		m, ok := decodeFast(line)
		if !ok {
			return
		}
		want, err := decodeStrict(line)
		if err != nil {
			t.Fatalf("the fast reader took %q, which the strict decoder refuses: %v", line, err)
		}
		if !reflect.DeepEqual(m, want) {
			t.Fatalf("%q: the fast reader gives %#v, the strict decoder %#v", line, m, want)
		}
	})
}

// FuzzEncodeFast holds appendMessage to encoding/json: every message, with
// any text in its strings, encodes to json.Marshal's bytes.
func FuzzEncodeFast(f *testing.F) {
	f.Add("i", "Tasks.A", "<toast> & \"q\" \\ \b\f\n\r\t\x01\x7f", []byte("x"), "X-WNS-Tag", "\u2028\u2029\xff\xfe\x80 \ufffd é 😀", uint64(7), true)
	f.Add("", "", "", []byte(nil), "", "", uint64(0), false)
	f.Fuzz(func(t *testing.T, id, entry, text string, payload []byte, header, value string, n uint64, flag bool) {
		msgs := []Message{
			&Handshake{Protocol: int(n), EntryPoints: []string{entry, text}, SDK: text},
			&Handshake{Protocol: -int(n % 1000)},
			&Describe{},
			&Description{EntryPoints: []string{}},
			&Description{EntryPoints: []string{text}},
			&Run{InstanceID: id, Registration: Registration{Name: text, TaskID: id, EntryPoint: entry}, Trigger: Trigger{Kind: text}},
			&Run{InstanceID: id, Registration: Registration{EntryPoint: entry}, Trigger: Trigger{Kind: "push", Push: &RawNotification{
				Content: text, ContentBytes: payload, ChannelID: value, Headers: map[string]string{header: value, text: id, "": ""}}}},
			&Run{Trigger: Trigger{Push: &RawNotification{ContentBytes: []byte{}, Headers: map[string]string{}}}},
			&Progress{InstanceID: id, Percent: uint32(n)},
			&DeferralTaken{InstanceID: id, DeferralID: n},
			&DeferralCompleted{InstanceID: text, DeferralID: n},
			&Cancel{InstanceID: id, Reason: text},
			&Completion{InstanceID: id, Success: flag, Error: text},
		}
		for _, m := range msgs {
			fast, ok := appendMessage(nil, m)
			if !ok {
				t.Fatalf("appendMessage does not know %T", m)
			}
			want, err := encodeReflect(m)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(fast, want) {
				t.Fatalf("%T:\nfast %s\njson %s", m, fast, want)
			}
		}
	})
}
