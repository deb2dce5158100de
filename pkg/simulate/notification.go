package simulate

import (
	"fmt"
	"sort"

	"github.com/bgtask/bgtask/pkg/plugin"
)

// MaxPayloadBytes is the largest raw notification WNS accepts: its 413
// answer says "exceeds the 5000 byte size limit" (windows-facts.md §6
// "Size"). Whether exactly 5000 bytes passes is not documented; bgtask
// accepts it, the reading of "5000 byte size limit" that rejects least.
const MaxPayloadBytes = 5000

// Notification is one raw notification as the app receives it: what
// RawNotification holds on Windows (windows-facts.md §5).
type Notification struct {
	// Payload is the body the app server sent, byte for byte.
	Payload []byte
	// Headers is RawNotification.Headers: only channels created with an
	// alternate key (WebPush/VAPID) get them; nil means null.
	Headers map[string]string
	// ChannelID is RawNotification.ChannelId, likewise only for alternate-key
	// channels; empty means null.
	ChannelID string
}

// PayloadError says why WNS would refuse a payload; nothing was delivered.
type PayloadError struct {
	Size   int
	Reason string
}

func (e *PayloadError) Error() string { return e.Reason }

// Validate applies WNS's payload rules: not empty, at most MaxPayloadBytes
// (windows-facts.md §6 "Size"; WNS answers 400 and 413).
func (n Notification) Validate() error {
	switch {
	case len(n.Payload) == 0:
		return &PayloadError{Reason: "the payload is empty: WNS refuses a raw notification without a body (HTTP 400)"}
	case len(n.Payload) > MaxPayloadBytes:
		return &PayloadError{Size: len(n.Payload), Reason: fmt.Sprintf(
			"the payload is %d bytes, over WNS's %d-byte limit for a raw notification (HTTP 413)", len(n.Payload), MaxPayloadBytes)}
	}
	return nil
}

// raw is the notification as the plugin protocol carries it: content is the
// payload as text (the HSTRING Windows hands the app, windows-facts.md §5;
// JSON encoding turns invalid UTF-8 into U+FFFD, as docs/protocol.md says),
// content_bytes the exact bytes.
func (n Notification) raw() *plugin.RawNotification {
	return &plugin.RawNotification{Content: string(n.Payload), ContentBytes: n.Payload, ChannelID: n.ChannelID, Headers: n.Headers}
}

// HeaderNames returns the header names in order, for stable reports.
func (n Notification) HeaderNames() []string {
	names := make([]string, 0, len(n.Headers))
	for k := range n.Headers {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}
