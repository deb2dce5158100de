package tasks

import (
	"bytes"
	"errors"
	"testing"
)

// FuzzDecodeRegistry: the decoder never panics, fails only with the errors
// it documents, and whatever it accepts re-encodes to a file that decodes to
// the same registry and re-encodes to the same bytes.
func FuzzDecodeRegistry(f *testing.F) {
	f.Add([]byte(sampleRegistry))
	f.Add([]byte(`{"version": 1, "registrations": []}`))
	f.Add([]byte(`{"version": 2}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		reg, err := Decode("r.json", data)
		if err != nil {
			var ce *CorruptError
			var ve *VersionError
			if !errors.As(err, &ce) && !errors.As(err, &ve) {
				t.Fatalf("Decode failed with %T %v, want *CorruptError or *VersionError", err, err)
			}
			return
		}
		first, err := Encode(reg)
		if err != nil {
			t.Fatalf("a decoded registry does not encode: %v", err)
		}
		again, err := Decode("r.json", first)
		if err != nil {
			t.Fatalf("re-encoded registry does not decode: %v\n%s", err, first)
		}
		if len(again.Registrations) != len(reg.Registrations) {
			t.Fatalf("%d registrations after the round trip, want %d", len(again.Registrations), len(reg.Registrations))
		}
		for i, r := range reg.Registrations {
			a := again.Registrations[i]
			if !r.sameSettings(a) || r.TaskID != a.TaskID || !r.Registered.Equal(a.Registered) {
				t.Fatalf("registration %d changed in the round trip:\n%+v\n%+v", i, r, a)
			}
		}
		second, err := Encode(again)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first, second) {
			t.Fatalf("encoding is not stable:\n%s\n---\n%s", first, second)
		}
	})
}
