package plugin

import (
	"encoding/json"
	"testing"
)

// The strict decode (checkMembers) reads each line a second time. These
// measure its cost against the bare encoding/json decode of the same line in
// the same run: compare DecodeMessage/X with BareUnmarshal/X.
var benchLines = map[string]string{
	"progress":   `{"type":"progress","instance_id":"6f1c2b8e-2a7e-4d38-9b0f-1d2c3e4f5a6b","percent":50}`,
	"completion": `{"type":"completion","instance_id":"6f1c2b8e-2a7e-4d38-9b0f-1d2c3e4f5a6b","success":false,"error":"quota exceeded"}`,
	"run": `{"type":"run","instance_id":"6f1c2b8e-2a7e-4d38-9b0f-1d2c3e4f5a6b","registration":{"name":"RawPush","task_id":"0b0f5d8e-6c3a-4d8e-9a51-3c1f0e4a2b77","entry_point":"Tasks.ExampleBackgroundTask"},` +
		`"trigger":{"kind":"push","push":{"content":"{\"order\":42}","content_bytes":"eyJvcmRlciI6NDJ9","headers":{"X-WNS-Tag":"a"}}}}`,
}

func BenchmarkDecodeMessage(b *testing.B) {
	for name, line := range benchLines {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if _, err := DecodeMessage([]byte(line)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkBareUnmarshal(b *testing.B) {
	for name, line := range benchLines {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				m := newMessage(name)
				if err := json.Unmarshal([]byte(line), m); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
