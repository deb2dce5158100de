package plugin

import (
	"bytes"
	"errors"
	"io"
	"testing"
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
