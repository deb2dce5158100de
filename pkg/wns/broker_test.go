package wns

import (
	"testing"
	"time"

	"github.com/bgtask/bgtask/pkg/simulate"
	"github.com/bgtask/bgtask/pkg/tasks"
)

// A log event carries the line as the task wrote it, for the instance that
// wrote it: --json and the API are machine formats, and the text log
// escapes the line itself (it carried the terminal's escaped text, with
// the task's name stripped by its escaped spelling).
func TestLogEventsCarryTheLineAsWritten(t *testing.T) {
	var got []Event
	emit := func(e Event) { got = append(got, e) }
	in := simulate.InstanceReport{Registration: tasks.Registration{Name: "Raw\x1bPush", EntryPoint: "Tasks.T"}, InstanceID: "i1"}
	(&BrokerDeliverer{}).report(emit, "M1", "chan", time.Now(), func(obs simulate.DeliveryObserver) (*simulate.Report, error) {
		obs.LogLine(in, "got: A\x1b[31mRED")
		return &simulate.Report{Disposition: simulate.DispositionDelivered}, nil
	})
	var logs []Event
	for _, e := range got {
		if e.Kind == EventLog {
			logs = append(logs, e)
		}
	}
	if len(logs) != 1 || logs[0].Line != "got: A\x1b[31mRED" || logs[0].MsgID != "M1" ||
		logs[0].Instance == nil || logs[0].Instance.InstanceID != "i1" || logs[0].Instance.Name != "Raw\x1bPush" {
		t.Fatalf("log events %+v", logs)
	}
}
