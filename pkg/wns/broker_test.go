package wns

import (
	"testing"

	"github.com/bgtask/bgtask/pkg/simulate"
	"github.com/bgtask/bgtask/pkg/tasks"
)

// The host writes each log line as "Name: line\n" (the name escaped); a log
// event carries the line without the prefix, for the instance that runs.
func TestLogEventsStripThePrefix(t *testing.T) {
	var got []Event
	l := &logEvents{msgID: "M1", emit: func(e Event) { got = append(got, e) }}
	l.set(simulate.InstanceReport{Registration: tasks.Registration{Name: "Raw\x1bPush", EntryPoint: "Tasks.T"}, InstanceID: "i1"})
	if _, err := l.Write([]byte("Raw\\x1bPush: received \"hi\"\n")); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Kind != EventLog || got[0].Line != `received "hi"` || got[0].MsgID != "M1" ||
		got[0].Instance == nil || got[0].Instance.InstanceID != "i1" {
		t.Fatalf("events %+v", got)
	}
}
