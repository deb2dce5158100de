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
	Notification       *notificationJSON  `json:"notification"`
	AppState           string             `json:"appState"`
	ForegroundEvent    bool               `json:"foregroundEvent"`
	ForegroundCanceled bool               `json:"foregroundCanceled"`
	Policy             policyJSON         `json:"policy"`
	Conditions         []string           `json:"conditions"`
	Repeat             int                `json:"repeat"`
	Disposition        string             `json:"disposition"`
	Reason             string             `json:"reason"`
	Interrupted        bool               `json:"interrupted"`
	Instances          []instanceJSON     `json:"instances"`
	Summary            map[string]int     `json:"summary"`
	LoseCondition      *conditionLossJSON `json:"loseCondition"`
}

type notificationJSON struct {
	Size          int               `json:"size"`
	ContentBase64 string            `json:"contentBase64"`
	Headers       map[string]string `json:"headers"`
	ChannelID     string            `json:"channelId"`
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
	StartedAt             string   `json:"startedAt"`
	EndedAt               string   `json:"endedAt"`
	WallMS                float64  `json:"wallMs"`
	CPUMS                 float64  `json:"cpuMs"`
	ExitCode              int      `json:"exitCode"`
	Log                   []string `json:"log"`
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
		Instances: []instanceJSON{}, Summary: map[string]int{},
	}
	if n := rep.Notification; n != nil {
		headers := n.Headers
		if headers == nil {
			headers = map[string]string{}
		}
		doc.Notification = &notificationJSON{Size: len(n.Payload), ContentBase64: base64.StdEncoding.EncodeToString(n.Payload),
			Headers: headers, ChannelID: n.ChannelID}
	}
	if o.LoseCondition.Valid() {
		doc.LoseCondition = &conditionLossJSON{Condition: o.LoseCondition.String(), AfterMS: ms(o.LoseAfter)}
	}
	for _, in := range rep.Instances {
		doc.Summary[string(in.Outcome)]++
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
			j.CPUQuotaExceeded, j.KilledAfterCompletion = r.CPUQuotaExceeded, r.KilledAfterCompletion
			j.WallMS, j.CPUMS, j.ExitCode = ms(r.WallTime), ms(r.UserTime+r.SystemTime), r.ExitCode
			if r.Warnings != nil {
				j.Warnings = r.Warnings
			}
			if r.Log != nil {
				j.Log = r.Log
			}
		}
		doc.Instances = append(doc.Instances, j)
	}
	return writeJSON(w, doc)
}
