package plugin

import (
	"errors"
	"reflect"
	"runtime/debug"
	"strings"
	"testing"
)

// fastForms are lines in the forms hosts and plugins write: bgtask's own
// encoder, Python's json.dumps (", " and ": " between members), escapes
// and text beyond ASCII. The fast reader must take each, and decode it to
// the message written beside it.
var fastForms = []struct {
	line string
	want Message
}{
	{`{"type":"handshake","protocol":1,"entry_points":["Tasks.A","Tasks.B"],"sdk":"bgtask-go"}`,
		&Handshake{Protocol: 1, EntryPoints: []string{"Tasks.A", "Tasks.B"}, SDK: "bgtask-go"}},
	{`{"type": "handshake", "protocol": 1, "entry_points": ["Tasks.Echo"]}`,
		&Handshake{Protocol: 1, EntryPoints: []string{"Tasks.Echo"}}},
	{` { "type" : "handshake" , "protocol" : 2 , "entry_points" : [ ] } `,
		&Handshake{Protocol: 2, EntryPoints: []string{}}},
	{`{"type":"describe"}`, &Describe{}},
	{`{"type":"description","entry_points":["Tasks.A"]}`, &Description{EntryPoints: []string{"Tasks.A"}}},
	{`{"type":"run","instance_id":"6f1c","registration":{"name":"RawPush","task_id":"2b9e","entry_point":"Tasks.ExampleBackgroundTask"},` +
		`"trigger":{"kind":"push","push":{"content":"{\"order\":42}","content_bytes":"eyJvcmRlciI6NDJ9","headers":{"X-WNS-Tag":"a","X-Demo":"1"}}}}`,
		&Run{InstanceID: "6f1c", Registration: Registration{Name: "RawPush", TaskID: "2b9e", EntryPoint: "Tasks.ExampleBackgroundTask"},
			Trigger: Trigger{Kind: "push", Push: &RawNotification{Content: `{"order":42}`, ContentBytes: []byte(`{"order":42}`),
				Headers: map[string]string{"X-WNS-Tag": "a", "X-Demo": "1"}}}}},
	// Go's encoder writes <, > and & as \u escapes; the payload's bytes
	// are base64 (with a line break, which base64 readers pass over).
	{`{"type":"run","instance_id":"i","registration":{"name":"n","task_id":"t","entry_point":"E"},` +
		`"trigger":{"kind":"push","push":{"content":"\u003ctoast\u003e \u0026 caf\u00e9 \ud7ff é 😀 \\ \/ \b\f\n\r\t","content_bytes":"PHRv\nYXN0Pg==","channel_id":"ch","headers":{}}}}`,
		&Run{InstanceID: "i", Registration: Registration{Name: "n", TaskID: "t", EntryPoint: "E"},
			Trigger: Trigger{Kind: "push", Push: &RawNotification{Content: "<toast> & café \ud7ff é 😀 \\ / \b\f\n\r\t",
				ContentBytes: []byte("<toast>"), ChannelID: "ch", Headers: map[string]string{}}}}},
	// U+FFFD written out and as an escape, the code points around the
	// surrogates, and an escape after text beyond ASCII.
	{"{\"type\":\"cancel\",\"instance_id\":\"\xef\xbf\xbd \\ufffd \\ue000 \\ud7ff \\u0000\",\"reason\":\"é\\t\xef\xbf\xbdé\"}",
		&Cancel{InstanceID: "\ufffd \ufffd \ue000 \ud7ff \x00", Reason: "é\t\ufffdé"}},
	{`{"type":"run","instance_id":"i","registration":{"entry_point":"E"},"trigger":{"kind":"time"}}`,
		&Run{InstanceID: "i", Registration: Registration{EntryPoint: "E"}, Trigger: Trigger{Kind: "time"}}},
	{`{"type":"run","instance_id":"i","registration":{"entry_point":"E"},"trigger":{"kind":"push","push":{"content":"","content_bytes":""}}}`,
		&Run{InstanceID: "i", Registration: Registration{EntryPoint: "E"}, Trigger: Trigger{Kind: "push", Push: &RawNotification{ContentBytes: []byte{}}}}},
	{`{"instance_id":"i","percent":100,"type":"progress"}`, &Progress{InstanceID: "i", Percent: 100}},
	{`{"type":"progress","instance_id":"i","percent":0}`, &Progress{InstanceID: "i"}},
	{`{"type":"progress","instance_id":"i","percent":99}`, &Progress{InstanceID: "i", Percent: 99}},
	{`{"type":"deferral_taken","instance_id":"i","deferral_id":18446744073709551615}`,
		&DeferralTaken{InstanceID: "i", DeferralID: 18446744073709551615}},
	{`{"type":"deferral_completed","instance_id":"i","deferral_id":1}`, &DeferralCompleted{InstanceID: "i", DeferralID: 1}},
	{`{"type":"cancel","instance_id":"i","reason":"ExecutionTimeExceeded"}`, &Cancel{InstanceID: "i", Reason: "ExecutionTimeExceeded"}},
	{`{"type":"completion","instance_id":"i","success":true}`, &Completion{InstanceID: "i", Success: true}},
	{`{"type":"completion","instance_id":"i","success":false,"error":"quota exceeded"}`,
		&Completion{InstanceID: "i", Error: "quota exceeded"}},
}

func TestDecodeFastTakesCommonForms(t *testing.T) {
	for _, tc := range fastForms {
		got, ok := decodeFast([]byte(tc.line))
		if !ok {
			t.Errorf("the fast reader left %s to the strict decoder", tc.line)
			continue
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s\ndecoded to %#v\nwant       %#v", tc.line, got, tc.want)
		}
		// The strict decoder, which the fast reader stands in for, agrees.
		if strict, err := decodeStrict([]byte(tc.line)); err != nil || !reflect.DeepEqual(strict, tc.want) {
			t.Errorf("%s: the strict decoder gives %#v, %v", tc.line, strict, err)
		}
	}
}

// What the fast reader must leave to the strict decoder, which refuses
// some, decodes others, and in both cases says so in one place.
var strictOnly = []string{
	`{"type":"completion","instance_id":"i","success":false}`,           // validate refuses
	`{"type":"progress","instance_id":"i","percent":101}`,               // validate refuses
	`{"type":"progress","instance_id":"i","percent":4294967296}`,        // over uint32
	`{"type":"progress","instance_id":"i","percent":-1}`,                // negative
	`{"type":"progress","instance_id":"i","percent":1.0}`,               // a fraction
	`{"type":"progress","instance_id":"i","percent":1e2}`,               // an exponent
	`{"type":"progress","instance_id":"i","percent":01}`,                // not JSON
	`{"type":"progress","instance_id":"i","percent":null}`,              // null
	`{"type":"progress","instance_id":"i","percent":"5"}`,               // a string
	`{"type":"progress","instance_id":"i","percent":5,"percent":6}`,     // twice
	`{"type":"progress","instance_id":"i","Percent":5}`,                 // another case
	`{"type":"progress","instance_id":"i","percent":5,"note":"x"}`,      // a member it does not define
	`{"type":"progress","instance_id":"i"}`,                             // one missing
	`{"type":"progress","instance_id":"\ud83d\ude00","percent":5}`,      // surrogates
	`{"type":"progress","instance_id":"\udc00","percent":5}`,            // a lone surrogate
	"{\"type\":\"progress\",\"instance_id\":\"\xff\",\"percent\":5}",    // not UTF-8
	"{\"type\":\"progress\",\"instance_id\":\"\x01\",\"percent\":5}",    // a control character
	`{"type":"progress","instance_id":"i","percent":5}x`,                // after the object
	`{"type":"progress","instance_id":"i","percent":5`,                  // cut
	`{"type":"progress","instance_id":"\q","percent":5}`,                // a bad escape
	`{"type":"progress","instance_id":"\u12","percent":5}`,              // a short escape
	`{"type":"progress","instance_id":"\ud800","percent":5}`,            // the first surrogate
	`{"type":"progress","instance_id":"\udfff","percent":5}`,            // the last surrogate
	"{\"type\":\"progress\",\"instance_id\":\"\x80\",\"percent\":5}",    // a continuation byte alone
	"{\"type\":\"progress\",\"instance_id\":\"\\t\x80\",\"percent\":5}", // the same after an escape
	"{\"type\":\"progress\",\"instance_id\":\"\\t\x01\",\"percent\":5}", // a control character after an escape
	"",                    // nothing
	"  ",                  // white space
	`{"type":"nonsense"}`, // a type it does not know
	`{"type":"completion","instance_id":"i","success":trve}`, // not a literal
	`{"type":"completion","instance_id":"i","success":fals}`, // cut short
	`{"type":"description","entry_points":["A"],"x":1}`,      // a member description lacks
	`{"type":"handshake","protocol":1,"entry_points":"A"}`,   // not an array
	`{"type":"run","instance_id":"i","registration":{"entry_point":"E"},"trigger":{"kind":"time","x":1}}`,
	`{"type":"run","instance_id":"i","registration":{"entry_point":"E"},"trigger":{"kind":"time"},"x":1}`,
	`{"type":"run","instance_id":"i","registration":{"entry_point":"E"},"trigger":{"kind":"push","push":"x"}}`,
	`{"type":"run","instance_id":"i","registration":{"entry_point":"E"},"trigger":{"kind":"push","push":{"content_bytes":1}}}`,
	`{"type":"run","instance_id":"i","registration":{"entry_point":"E"},"trigger":{"kind":"push","push":{"headers":[]}}}`,
	`{"type":"deferral_taken","instance_id":"i","deferral_id":"1"}`,         // a string
	`{"type":"deferral_completed","instance_id":"i","deferral_id":1,"x":1}`, // a member it lacks
	`{"type":"cancel","instance_id":"i","reason":"Abort","x":"y"}`,          // a member it lacks
	`{"type":"describe" "x"}`,          // no comma
	`{"type":1}`,                       // not a string
	`{"protocol":1,"entry_points":[]}`, // no type
	`["type","describe"]`,              // not an object
	`{"type":"describe","x":1}`,        // a member describe lacks
	`{"type":"handshake","protocol":1,"entry_points":["A",1]}`,                       // not all strings
	`{"type":"handshake","protocol":1,"entry_points":["A"],"sdk":null}`,              // null
	`{"type":"handshake","protocol":true,"entry_points":["A"]}`,                      // a boolean
	`{"type":"deferral_taken","instance_id":"i","deferral_id":0}`,                    // validate refuses
	`{"type":"deferral_taken","instance_id":"i","deferral_id":18446744073709551616}`, // over uint64
	`{"type":"run","instance_id":"i","registration":{"entry_point":"E","type":"x"},"trigger":{"kind":"time"}}`,
	`{"type":"run","instance_id":"i","registration":{"entry_point":"E"},"trigger":{"kind":"push","push":null}}`,
	`{"type":"run","instance_id":"i","registration":{"entry_point":"E"},"trigger":{"kind":"push","push":{"content_bytes":"*"}}}`,
	`{"type":"run","instance_id":"i","registration":{"entry_point":"E"},"trigger":{"kind":"push","push":{"headers":{"a":1}}}}`,
	`{"type":"run","instance_id":"i","registration":{"entry_point":"E"},"trigger":{"kind":"push","push":{"headers":{"a":"1","a":"2"}}}}`,
	`{"type":"run","instance_id":"i","registration":{"entry_point":""},"trigger":{"kind":"time"}}`, // validate refuses
}

func TestDecodeFastLeavesUnusualForms(t *testing.T) {
	lines := append([]string(nil), strictOnly...)
	// More members in one object than the fast reader compares pairwise,
	// and deeper nesting than the protocol has.
	var headers []string
	for i := range fastMaxMembers + 1 {
		headers = append(headers, `"h`+strings.Repeat("x", i)+`":"v"`)
	}
	lines = append(lines,
		`{"type":"run","instance_id":"i","registration":{"entry_point":"E"},"trigger":{"kind":"push","push":{"headers":{`+strings.Join(headers, ",")+`}}}}`,
		`{"type":"handshake","protocol":1,"entry_points":[[[[[["A"]]]]]]}`)
	for _, line := range lines {
		if m, ok := decodeFast([]byte(line)); ok {
			t.Errorf("the fast reader took %s as %#v", line, m)
		}
	}
}

// The fast reader changes no verdict: the strict decoder's errors reach
// callers as before.
func TestDecodeMessageErrorsComeFromStrictDecoder(t *testing.T) {
	for line, want := range map[string]string{
		`{"type":"progress","instance_id":"i","percent":101}`:           "progress: percent 101 is outside 0-100",
		`{"type":"progress","instance_id":"i","percent":5,"percent":6}`: `"percent" is given twice`,
		`{"type":"progress","instance_id":"i","percent":5,"Percent":5}`: `names are case-sensitive: "percent"`,
		`{"type":"completion","instance_id":"i","success":false}`:       `"success":false needs an "error" text`,
	} {
		_, err := DecodeMessage([]byte(line))
		if err == nil || !errors.Is(err, ErrInvalidMessage) || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want one saying %q", line, err, want)
		}
	}
}

// A line cut anywhere is declined, and read without going past its end:
// every form above, cut at every byte.
func TestDecodeFastCutLines(t *testing.T) {
	for _, tc := range fastForms {
		for n := range len(tc.line) {
			cut := tc.line[:n]
			if strings.TrimSpace(cut) != strings.TrimSpace(tc.line) {
				// No room after the end: a read past it panics.
				if m, ok := decodeFast([]byte(tc.line)[:n:n]); ok {
					t.Errorf("took %q, cut from %s, as %#v", cut, tc.line, m)
				}
			}
		}
	}
}

// Nesting is bounded, so a hostile line of a million '[' costs the reader
// five calls deep, not a million: with the stack limited to 1 MiB, an
// unbounded reader would crash the test.
func TestDecodeFastBoundsItsRecursion(t *testing.T) {
	line := []byte(`{"type":"handshake","protocol":1,"entry_points":` + strings.Repeat("[", 1<<20))
	defer debug.SetMaxStack(debug.SetMaxStack(1 << 20))
	if m, ok := decodeFast(line); ok {
		t.Fatalf("took %d bytes of '[' as %#v", len(line), m)
	}
}
