package cmd

import (
	"encoding/base64"
	"io"
	"time"

	"github.com/bgtask/bgtask/pkg/simulate"
)

// deliveryJSON is the --json report of push and trigger, documented in
// docs/json.md; its fields only ever grow.
type deliveryJSON struct {
	Version            int                `json:"version"`
	Command            string             `json:"command"`
	Registry           string             `json:"registry"`
	Notification       *notificationJSON  `json:"notification,omitempty"`
	AppState           string             `json:"appState"`
	ForegroundEvent    bool               `json:"foregroundEvent"`
	ForegroundCanceled bool               `json:"foregroundCanceled"`
	Policy             policyJSON         `json:"policy"`
	Conditions         []string           `json:"conditions"`
	Repeat             int                `json:"repeat"`
	Disposition        string             `json:"disposition"`
	Reason             string             `json:"reason"`
	Interrupted        bool               `json:"interrupted"`
	LoseCondition      *conditionLossJSON `json:"loseCondition,omitempty"`
	Instances          []instanceJSON     `json:"instances"`
}

type notificationJSON struct {
	Size          int          `json:"size"`
	ContentBase64 string       `json:"contentBase64"`
	Headers       []headerJSON `json:"headers"`
	ChannelID     string       `json:"channelId"`
}

// headerJSON is one RawNotification.Headers entry; a list, sorted by name,
// rather than an object, so that its member names are fixed.
type headerJSON struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

type policyJSON struct {
	Name       string  `json:"name"`
	TimeoutMS  float64 `json:"timeoutMs"`
	GraceMS    float64 `json:"graceMs"`
	CPUQuotaMS float64 `json:"cpuQuotaMs"`
}

type conditionLossJSON struct {
	Condition string  `json:"condition"`
	AfterMS   float64 `json:"afterMs"`
}

type instanceJSON struct {
	Delivery              int      `json:"delivery"`
	Name                  string   `json:"name"`
	TaskID                string   `json:"taskId"`
	InstanceID            string   `json:"instanceId"`
	EntryPoint            string   `json:"entryPoint"`
	Trigger               string   `json:"trigger"`
	Outcome               string   `json:"outcome"`
	WaitingFor            []string `json:"waitingFor"`
	CancelReason          string   `json:"cancelReason"`
	Error                 string   `json:"error"`
	Progress              uint32   `json:"progress"`
	DeferralsTaken        int      `json:"deferralsTaken"`
	DeferralsPending      int      `json:"deferralsPending"`
	Warnings              []string `json:"warnings"`
	CPUQuotaExceeded      bool     `json:"cpuQuotaExceeded"`
	KilledAfterCompletion bool     `json:"killedAfterCompletion"`
	LeftoverKilled        bool     `json:"leftoverKilled"`
	StartedAt             string   `json:"startedAt"`
	EndedAt               string   `json:"endedAt"`
	RunAt                 string   `json:"runAt"`
	CompletedAt           string   `json:"completedAt"`
	CanceledAt            string   `json:"canceledAt"`
	KilledAt              string   `json:"killedAt"`
	WallMS                float64  `json:"wallMs"`
	CPUMS                 float64  `json:"cpuMs"`
	ExitCode              int      `json:"exitCode"`
	Log                   []string `json:"log"`
	OutputDropped         int      `json:"outputDropped"`
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func jsonTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

func writeDeliveryJSON(w io.Writer, command, registry string, policyName string, rep *simulate.Report) error {
	o := rep.Options
	doc := deliveryJSON{
		Version: jsonVersion, Command: command, Registry: registry,
		AppState: string(o.AppState), ForegroundEvent: rep.ForegroundEvent,
		ForegroundCanceled: rep.ForegroundEvent && o.ForegroundCancel,
		Policy:             policyJSON{Name: policyName, TimeoutMS: ms(o.Policy.Timeout), GraceMS: ms(o.Policy.Grace), CPUQuotaMS: ms(o.Policy.CPUQuota)},
		Conditions:         o.Conditions.Settings(),
		Repeat:             max(o.Repeat, 1),
		Disposition:        string(rep.Disposition), Reason: rep.Reason, Interrupted: rep.Interrupted,
		Instances: []instanceJSON{},
	}
	if n := rep.Notification; n != nil {
		headers := []headerJSON{}
		for _, name := range n.HeaderNames() {
			headers = append(headers, headerJSON{Name: name, Value: n.Headers[name]})
		}
		doc.Notification = &notificationJSON{Size: len(n.Payload), ContentBase64: base64.StdEncoding.EncodeToString(n.Payload),
			Headers: headers, ChannelID: n.ChannelID}
	}
	if o.LoseCondition.Valid() {
		doc.LoseCondition = &conditionLossJSON{Condition: o.LoseCondition.String(), AfterMS: ms(o.LoseAfter)}
	}
	for _, in := range rep.Instances {
		j := instanceJSON{
			Delivery: in.Delivery, Name: in.Registration.Name, TaskID: in.Registration.TaskID.String(),
			InstanceID: in.InstanceID, EntryPoint: in.Registration.EntryPoint, Trigger: in.Registration.Trigger.String(),
			Outcome: string(in.Outcome), WaitingFor: []string{}, Warnings: []string{}, Log: []string{},
			StartedAt: jsonTime(in.StartedAt), EndedAt: jsonTime(in.EndedAt), ExitCode: -1,
		}
		for _, c := range in.Unmet {
			j.WaitingFor = append(j.WaitingFor, c.String())
		}
		if r := in.Result; r != nil {
			if r.Canceled {
				j.CancelReason = r.CancelReason.String()
			}
			j.Error, j.Progress = r.Error, r.Progress
			j.DeferralsTaken, j.DeferralsPending = r.DeferralsTaken, r.DeferralsPending
			j.CPUQuotaExceeded, j.KilledAfterCompletion, j.LeftoverKilled = r.CPUQuotaExceeded, r.KilledAfterCompletion, r.LeftoverKilled
			j.WallMS, j.CPUMS, j.ExitCode = ms(r.WallTime), ms(r.UserTime+r.SystemTime), r.ExitCode
			j.RunAt, j.CompletedAt = jsonTime(r.RunAt), jsonTime(r.CompletedAt)
			j.CanceledAt, j.KilledAt = jsonTime(r.CanceledAt), jsonTime(r.KilledAt)
			if r.Warnings != nil {
				j.Warnings = r.Warnings
			}
			if r.Log != nil {
				j.Log = r.Log
			}
			j.OutputDropped = r.OutputDropped
		}
		doc.Instances = append(doc.Instances, j)
	}
	return writeJSON(w, doc)
}
