package simulate

import (
	"context"
	"fmt"
)

// Description is what a plugin says it provides.
type Description struct {
	Protocol int
	// EntryPoints is the describe answer; HandshakeEntryPoints what the
	// handshake listed. A conforming plugin lists the same in both.
	EntryPoints          []string
	HandshakeEntryPoints []string
	SDK                  string
}

// PluginError is why a plugin could not be described.
type PluginError struct {
	Path    string
	Outcome Outcome // OutcomeNotStarted or OutcomeProtocolError
	Detail  string
	// AfterHandshake: the handshake was fine; describe was not answered.
	AfterHandshake bool
}

func (e *PluginError) Error() string {
	return fmt.Sprintf("plugin %s: %s: %s", e.Path, e.Outcome, e.Detail)
}

// Describe starts p, asks for its entry points, and reaps it. Only
// pol.HandshakeTimeout and pol.Grace matter; zero means the defaults.
// Errors are *PluginError.
func Describe(ctx context.Context, p Plugin, pol Policy) (*Description, error) {
	s := &supervisor{ctx: ctx, pol: pol.withDefaults(), mode: modeDescribe}
	res := s.run(p)
	if s.description == nil {
		return nil, &PluginError{Path: p.Path, Outcome: res.Outcome, Detail: res.Error, AfterHandshake: s.handshake != nil}
	}
	d := &Description{EntryPoints: s.description.EntryPoints}
	if s.handshake != nil {
		d.Protocol, d.HandshakeEntryPoints, d.SDK = s.handshake.Protocol, s.handshake.EntryPoints, s.handshake.SDK
	}
	return d, nil
}
