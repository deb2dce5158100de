package plugin

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
)

func TestDecodeRejects(t *testing.T) {
	cases := map[string]error{
		`garbage`:                         ErrMalformed,
		`null`:                            ErrMalformed,
		`[1,2]`:                           ErrMalformed,
		`{"type":3}`:                      ErrMalformed,
		`{"kind":"run"}`:                  ErrMalformed,
		`{"type":"hello"}`:                ErrUnknownType,
		`{"type":"progress","percent":5}`: ErrMalformed, // no instance_id
		`{"type":"progress","instance_id":"i","percent":101}`:                          ErrMalformed,
		`{"type":"progress","instance_id":"i","percent":-1}`:                           ErrMalformed,
		`{"type":"progress","instance_id":"i","percent":"5"}`:                          ErrMalformed,
		`{"type":"completion","instance_id":"i","success":false}`:                      ErrMalformed,
		`{"type":"deferral_taken","instance_id":"i","deferral_id":0}`:                  ErrMalformed,
		`{"type":"run","instance_id":"i","registration":{},"trigger":{"kind":"push"}}`: ErrMalformed,
		`{"type":"handshake","protocol":1}`:                                            ErrMalformed,
	}
	for line, want := range cases {
		if _, err := DecodeMessage([]byte(line)); !errors.Is(err, want) {
			t.Errorf("%s: err = %v, want %v", line, err, want)
		}
	}
}

func TestDecoderFraming(t *testing.T) {
	in := "\n{\"type\":\"describe\"}\r\n\r\n{\"type\":\"progress\",\"instance_id\":\"i\",\"percent\":7,\"extra\":[1]}"
	d := NewDecoder(strings.NewReader(in), 0)
	if m, err := d.Next(); err != nil || m.Type() != TypeDescribe {
		t.Fatalf("first = %v, %v", m, err)
	}
	m, err := d.Next()
	if p, ok := m.(*Progress); err != nil || !ok || p.Percent != 7 {
		t.Fatalf("second = %#v, %v (a last line without newline is read, unknown members ignored)", m, err)
	}
	if _, err := d.Next(); !errors.Is(err, io.EOF) {
		t.Fatalf("end = %v", err)
	}
}

func TestDecoderLineBoundIsSticky(t *testing.T) {
	long := `{"type":"describe","pad":"` + strings.Repeat("x", 200) + "\"}\n"
	d := NewDecoder(strings.NewReader(long+"{\"type\":\"describe\"}\n"), 100)
	for range 2 {
		if _, err := d.Next(); !errors.Is(err, ErrLineTooLong) {
			t.Fatalf("err = %v, want ErrLineTooLong", err)
		}
	}
	exact := `{"type":"describe","p":"` + strings.Repeat("x", 100-26) + `"}`
	if len(exact) != 100 {
		t.Fatalf("test line is %d bytes", len(exact))
	}
	if _, err := NewDecoder(strings.NewReader(exact+"\r\n"), 100).Next(); err != nil {
		t.Fatalf("a line of exactly the bound: %v", err)
	}
}

func TestEncodeRoundTrip(t *testing.T) {
	msgs := []Message{
		&Handshake{Protocol: 1, EntryPoints: []string{"A"}, SDK: "x"},
		&Describe{},
		&Description{EntryPoints: []string{}},
		pushRun("E", "\x00é\n"),
		&Progress{InstanceID: "i", Percent: 0},
		&DeferralTaken{InstanceID: "i", DeferralID: 1},
		&DeferralCompleted{InstanceID: "i", DeferralID: 1},
		&Cancel{InstanceID: "i", Reason: "Abort"},
		&Completion{InstanceID: "i", Error: "boom"},
	}
	for _, m := range msgs {
		line, err := EncodeMessage(m)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(line, []byte(`{"type":"`+m.Type()+`"`)) || bytes.Count(line, []byte("\n")) != 1 {
			t.Errorf("line = %s", line)
		}
		back, err := DecodeMessage(bytes.TrimSuffix(line, []byte("\n")))
		if err != nil {
			t.Fatalf("%s: %v", line, err)
		}
		again, _ := EncodeMessage(back)
		if !bytes.Equal(line, again) {
			t.Errorf("round trip:\n%s\n%s", line, again)
		}
	}
}

// A last line that ends the stream without "\n" is bound like any other: the
// two bytes of slack kept for a "\r\n" terminator must not let it through.
func TestDecoderBoundsLastLineWithoutNewline(t *testing.T) {
	for _, extra := range []int{1, 2} {
		line := `{"type":"describe","p":"` + strings.Repeat("x", 100-26+extra) + `"}`
		d := NewDecoder(strings.NewReader(line), 100)
		if m, err := d.Next(); !errors.Is(err, ErrLineTooLong) {
			t.Errorf("a last line of %d bytes with a bound of 100: got %v, %v; want ErrLineTooLong", len(line), m, err)
		}
	}
}

// .NET and Windows PowerShell may start their output with a UTF-8 byte order
// mark; RFC 8259 lets a parser ignore it, and the first message must survive.
func TestDecoderIgnoresLeadingBOM(t *testing.T) {
	d := NewDecoder(strings.NewReader("\xef\xbb\xbf{\"type\":\"describe\"}\r\n\xef\xbb\xbf{\"type\":\"describe\"}\n"), 0)
	if m, err := d.Next(); err != nil || m.Type() != TypeDescribe {
		t.Fatalf("first line after a BOM = %v, %v", m, err)
	}
	// Only the stream's start may carry one.
	if _, err := d.Next(); !errors.Is(err, ErrMalformed) {
		t.Fatalf("a BOM inside the stream: err = %v, want ErrMalformed", err)
	}
}

// A message says exactly one thing in the protocol's member names:
// encoding/json alone takes the last of duplicate members, matches names in
// any case ("SUCCESS" set success) and decodes null as the zero value
// ("percent":null was progress 0). Each of these is an invalid message.
func TestDecodeIsStrict(t *testing.T) {
	const run = `{"type":"run","instance_id":"i","registration":{"name":"n","task_id":"t","entry_point":"E"%s},"trigger":{"kind":"push","push":{"content":"c","content_bytes":null%s}}%s}`
	for _, line := range []string{
		`{"type":"progress","instance_id":"i","percent":null}`,
		`{"type":"progress","instance_id":null,"percent":5}`,
		`{"type":"progress","instance_id":"i","percent":5,"Percent":100}`,
		`{"type":"progress","instance_id":"i","percent":5,"percent":6}`,
		`{"type":"completion","instance_id":"i","success":false,"error":"x","SUCCESS":true}`,
		`{"type":"completion","instance_id":"i","success":false,"error":"x","ſuccess":true}`, // U+017F folds to s
		`{"type":"completion","instance_id":"i","success":true,"success":false,"error":"x"}`,
		`{"type":"completion","type":"progress","instance_id":"i","success":true}`,
		`{"type":"completion","instance_id":"i","success":null}`,
		`{"type":"completion","instance_id":"i","success":false,"error":null}`,
		`{"type":"handshake","protocol":1,"entry_points":null}`,
		`{"type":"handshake","protocol":1,"entry_points":["A",null]}`,
		`{"type":"handshake","protocol":1,"entry_points":["A"],"sdk":null}`,
		`{"type":"handshake","protocol":1,"entry_points":["A"],"Entry_Points":["B"]}`,
		`{"type":"deferral_taken","instance_id":"i","deferral_id":1,"x":{"a":1,"a":2}}`, // even in unknown members
		fmt.Sprintf(run, `,"name":"m"`, "", ""),
		fmt.Sprintf(run, `,"Entry_Point":"F"`, "", ""),
		fmt.Sprintf(run, "", `,"headers":{"X":"1","X":"2"}`, ""),
		fmt.Sprintf(run, "", `,"Content":"d"`, ""), // inside an optional object (found by FuzzDecodeStrict)
		fmt.Sprintf(run, "", "", `,"trigger":{"kind":"time"}`),
	} {
		_, err := DecodeMessage([]byte(line))
		if !errors.Is(err, ErrInvalidMessage) || !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: err = %v, want ErrInvalidMessage (and ErrMalformed)", line, err)
		}
	}
	// What stays valid: null for optional objects, maps and bytes; unknown
	// members; headers whose names differ only in case (they are data).
	for _, line := range []string{
		fmt.Sprintf(run, "", `,"headers":{"X":"1","x":"2"},"channel_id":"c"`, `,"extra":null`),
		`{"type":"run","instance_id":"i","registration":{"name":"n","task_id":"t","entry_point":"E"},"trigger":{"kind":"time","push":null}}`,
		`{"type":"completion","instance_id":"i","success":true,"note":{"x":[1,null]}}`,
	} {
		if _, err := DecodeMessage([]byte(line)); err != nil {
			t.Errorf("%s: %v", line, err)
		}
	}
	// Stray output is malformed but not an invalid message: the host's hints differ.
	if _, err := DecodeMessage([]byte("hello")); errors.Is(err, ErrInvalidMessage) || !errors.Is(err, ErrMalformed) {
		t.Errorf("hello: err = %v, want ErrMalformed only", err)
	}
}
