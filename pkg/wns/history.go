package wns

import (
	"encoding/hex"
	"net/http"
	"slices"
	"sync"
	"unicode/utf8"
)

// DefaultHistory is how many events, and how many notifications with their
// payloads, serve keeps for its read API and event stream.
const DefaultHistory = 1000

// maxSubscribers bounds the open event streams.
const maxSubscribers = 32

// Message is a send request as the read API shows it: what arrived, and
// what serve answered.
type Message struct {
	Seq                uint64   `json:"seq"`
	Time               string   `json:"time"`
	MsgID              string   `json:"msgId"`
	Channel            string   `json:"channel"`
	Status             int      `json:"status"`
	NotificationStatus string   `json:"notificationStatus"`
	Error              string   `json:"error"`
	Size               int      `json:"size"`
	Headers            []Header `json:"headers"`
	// Text is the payload when it is UTF-8; Hex is the payload otherwise.
	Text *string `json:"text,omitempty"`
	Hex  *string `json:"hex,omitempty"`

	payload []byte
}

// Header is one request header as the read API shows it.
type Header struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// history keeps the last events and messages, bounded, and fans new events
// out to the open streams. It is fed on the emitter's goroutine.
type history struct {
	mu       sync.Mutex
	max      int
	seq      uint64
	events   ring[Event]   // oldest first, at most max
	messages ring[Message] // oldest first, at most max
	pending  map[string]pendingMessage
	subs     map[chan Event]struct{}
}

// pendingMessage is what the handler knows of a request that the event
// does not carry: its headers and payload.
type pendingMessage struct {
	headers []Header
	payload []byte
}

func newHistory(max int) *history {
	if max <= 0 {
		max = DefaultHistory
	}
	return &history{max: max, events: newRing[Event](max), messages: newRing[Message](max),
		pending: map[string]pendingMessage{}, subs: map[chan Event]struct{}{}}
}

// note records a request's headers and payload until its event arrives.
func (h *history) note(msgID string, hdr http.Header, payload []byte) {
	names := make([]string, 0, len(hdr))
	for name := range hdr {
		if name != "Authorization" { // the token is a credential
			names = append(names, name)
		}
	}
	slices.Sort(names)
	kept := []Header{}
	for _, name := range names[:min(len(names), 32)] {
		v := hdr.Get(name)
		if len(v) > 256 {
			v = v[:256]
		}
		kept = append(kept, Header{Name: name, Value: v})
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.pending) >= 4*h.max { // a stuck emitter must not grow this
		clear(h.pending)
	}
	h.pending[msgID] = pendingMessage{headers: kept, payload: payload}
}

// add numbers ev, keeps it, and passes it to every stream.
func (h *history) add(ev *Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.seq++
	ev.Seq = h.seq
	h.events.add(*ev)
	if ev.Kind == EventRequest && ev.MsgID != "" {
		p := h.pending[ev.MsgID]
		delete(h.pending, ev.MsgID)
		m := Message{Seq: ev.Seq, Time: ev.Time.Format(timeLayout), MsgID: ev.MsgID, Channel: ev.Channel, Status: ev.Status,
			NotificationStatus: ev.NotificationStatus, Error: ev.Error, Size: len(p.payload), Headers: p.headers, payload: p.payload}
		if m.Headers == nil {
			m.Headers = []Header{}
		}
		if utf8.Valid(p.payload) {
			text := string(p.payload)
			m.Text = &text
		} else {
			hx := hex.EncodeToString(p.payload)
			m.Hex = &hx
		}
		h.messages.add(m)
	}
	for sub := range h.subs {
		select {
		case sub <- *ev:
		default:
			// A stream that does not keep up is closed; the page reconnects
			// with Last-Event-ID and catches up from the history.
			delete(h.subs, sub)
			close(sub)
		}
	}
}

// since returns the kept events after seq, and whether any after seq were
// already forgotten.
func (h *history) since(seq uint64) ([]Event, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := []Event{}
	for i := range h.events.len() {
		if ev := h.events.at(i); ev.Seq > seq {
			out = append(out, ev)
		}
	}
	gap := h.events.len() > 0 && h.events.at(0).Seq > seq+1
	return out, gap
}

// messageList returns the kept messages, newest first.
func (h *history) messageList() []Message {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make([]Message, 0, h.messages.len())
	for i := h.messages.len() - 1; i >= 0; i-- {
		out = append(out, h.messages.at(i))
	}
	return out
}

func (h *history) payload(msgID string) ([]byte, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for i := range h.messages.len() {
		if m := h.messages.at(i); m.MsgID == msgID {
			return m.payload, true
		}
	}
	return nil, false
}

// subscribe opens a stream of new events; nil when too many are open.
func (h *history) subscribe() chan Event {
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.subs) >= maxSubscribers {
		return nil
	}
	c := make(chan Event, 256)
	h.subs[c] = struct{}{}
	return c
}

func (h *history) unsubscribe(c chan Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.subs[c]; ok {
		delete(h.subs, c)
		close(c)
	}
}

// closeAll ends every stream (serve is stopping).
func (h *history) closeAll() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for c := range h.subs {
		delete(h.subs, c)
		close(c)
	}
}
