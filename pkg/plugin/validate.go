package plugin

import (
	"errors"
	"fmt"
)

func (*Handshake) validate() error   { return nil } // the host checks the version itself, to name both
func (*Describe) validate() error    { return nil }
func (*Description) validate() error { return nil }

func (m *Run) validate() error {
	switch {
	case m.InstanceID == "":
		return errors.New("run: empty instance_id")
	case m.Registration.EntryPoint == "":
		return errors.New("run: empty registration.entry_point")
	case m.Trigger.Kind == "":
		return errors.New("run: empty trigger.kind")
	}
	return nil
}

func (m *Progress) validate() error {
	if m.Percent > 100 {
		return fmt.Errorf("progress: percent %d is outside 0-100", m.Percent)
	}
	return nil
}

func (m *DeferralTaken) validate() error { return validDeferralID("deferral_taken", m.DeferralID) }
func (m *DeferralCompleted) validate() error {
	return validDeferralID("deferral_completed", m.DeferralID)
}

func validDeferralID(typ string, id uint64) error {
	if id == 0 {
		return fmt.Errorf("%s: deferral_id must be a positive integer", typ)
	}
	return nil
}

func (*Cancel) validate() error { return nil } // unknown reason names mean Abort

func (m *Completion) validate() error {
	if !m.Success && m.Error == "" {
		return errors.New(`completion: "success":false needs an "error" text`)
	}
	return nil
}
