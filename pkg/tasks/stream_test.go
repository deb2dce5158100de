package tasks

import (
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/go-json-experiment/json"
)

// streamDecode is what decode does with a file the canonical scanner leaves
// to the library: the registrations handed over one at a time.
func streamDecode(body []byte) (fileV1, error) {
	var got fileV1
	s := fileV1Stream{}
	s.Registrations.accept = func(_ int, fr fileRegistration) { got.Registrations = append(got.Registrations, fr) }
	err := json.Unmarshal(body, &s, json.RejectUnknownMembers(true))
	got.Version = s.Version
	return got, err
}

// The streaming decode reads what the library's own decode of the whole
// file into a slice reads (unmarshalStrict, the oracle), and refuses what it
// refuses with the same message and position.
func FuzzStreamingDecodeIsTheLibrarys(f *testing.F) {
	for _, seed := range []string{
		sampleRegistry,
		`{"version": 1, "registrations": []}`,
		`{"version": 1, "registrations": null}`,
		`{"version": 1, "registrations": "x"}`,
		`{"version": 1, "registrations": {}}`,
		`{"version": 1, "registrations": 7}`,
		`{"version": 1, "registrations": [null, {}]}`,
		`{"version": 1, "registrations": [{"name": 1}]}`,
		`{"version": 1, "registrations": [{"nope": 1}]}`,
		`{"version": 1, "registrations": [{}, ]}`,
		`{"version": 1, "registrations": [{}`,
		`{"version": 1, "registrations": [], "registrations": []}`,
		`{"registrations": [{"name": "A", "name": "B"}], "version": 1}`,
		`{"version": 1, "registrations": [[]]}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var want fileV1
		wantErr := unmarshalStrict(data, &want)
		got, gotErr := streamDecode(data)
		corrupt := func(offset int64, msg string, err error) error {
			e := &CorruptError{Path: "r.json", Msg: msg, Err: err}
			if offset >= 0 {
				e.Line, e.Col = lineCol(data, offset)
			}
			return e
		}
		switch {
		case (wantErr == nil) != (gotErr == nil):
			t.Fatalf("library: %v; streaming: %v\n%q", wantErr, gotErr, data)
		case wantErr != nil:
			if w, g := jsonError(data, wantErr, corrupt).Error(), jsonError(data, gotErr, corrupt).Error(); w != g {
				t.Fatalf("library: %s\nstreaming: %s\n%q", w, g, data)
			}
		case string(want.Version) != string(got.Version) || len(want.Registrations) != len(got.Registrations) ||
			(len(want.Registrations) > 0 && !reflect.DeepEqual(want.Registrations, got.Registrations)):
			t.Fatalf("library: %+v\nstreaming: %+v\n%q", want, got, data)
		}
	})
}

// A small file of many empty registrations is refused at its first, in
// memory that does not grow with the file: decoded whole, 2,000,000 of them
// (6 MB) took about 800 MB.
func TestManyTinyRegistrationsCostLittleMemory(t *testing.T) {
	path := filepath.Join(t.TempDir(), "many.json")
	data := "{\"version\":1,\"registrations\":[" + strings.Repeat("{},", 2_000_000) + "{}]}"
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := Load(path)
	runtime.ReadMemStats(&after)
	if err == nil || !strings.Contains(err.Error(), "registration 1") {
		t.Errorf("Load = %v, want registration 1 refused", err)
	}
	if allocated := after.TotalAlloc - before.TotalAlloc; allocated > 100<<20 {
		t.Errorf("Load allocated %d MB for a %d MB file", allocated>>20, len(data)>>20)
	}
}
