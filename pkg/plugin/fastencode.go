package plugin

import (
	"encoding/base64"
	"slices"
	"strconv"
	"unicode/utf8"
)

// appendMessage appends m as EncodeMessage writes it, without encoding/json:
// in a fresh process (a plugin's handshake and completion, `bgtask push`'s
// run) encoding/json's first Marshal of a type costs about a tenth of a
// millisecond of reflection and paging in. The bytes are json.Marshal's,
// member for member (FuzzEncodeFast compares them); ok is false for a type
// it does not know, which EncodeMessage then marshals.
func appendMessage(b []byte, m Message) (_ []byte, ok bool) {
	b = append(b, `{"type":`...)
	b = appendJSONString(b, m.Type())
	switch m := m.(type) {
	case *Handshake:
		b = append(b, `,"protocol":`...)
		b = strconv.AppendInt(b, int64(m.Protocol), 10)
		b = append(b, `,"entry_points":`...)
		b = appendJSONStrings(b, m.EntryPoints)
		if m.SDK != "" {
			b = append(b, `,"sdk":`...)
			b = appendJSONString(b, m.SDK)
		}
	case *Describe:
	case *Description:
		b = append(b, `,"entry_points":`...)
		b = appendJSONStrings(b, m.EntryPoints)
	case *Run:
		b = append(b, `,"instance_id":`...)
		b = appendJSONString(b, m.InstanceID)
		b = append(b, `,"registration":{"name":`...)
		b = appendJSONString(b, m.Registration.Name)
		b = append(b, `,"task_id":`...)
		b = appendJSONString(b, m.Registration.TaskID)
		b = append(b, `,"entry_point":`...)
		b = appendJSONString(b, m.Registration.EntryPoint)
		b = append(b, `},"trigger":{"kind":`...)
		b = appendJSONString(b, m.Trigger.Kind)
		if p := m.Trigger.Push; p != nil {
			b = appendRawNotification(append(b, `,"push":`...), p)
		}
		b = append(b, '}')
	case *Progress:
		b = append(b, `,"instance_id":`...)
		b = appendJSONString(b, m.InstanceID)
		b = append(b, `,"percent":`...)
		b = strconv.AppendUint(b, uint64(m.Percent), 10)
	case *DeferralTaken:
		b = appendDeferral(b, m.InstanceID, m.DeferralID)
	case *DeferralCompleted:
		b = appendDeferral(b, m.InstanceID, m.DeferralID)
	case *Cancel:
		b = append(b, `,"instance_id":`...)
		b = appendJSONString(b, m.InstanceID)
		b = append(b, `,"reason":`...)
		b = appendJSONString(b, m.Reason)
	case *Completion:
		b = append(b, `,"instance_id":`...)
		b = appendJSONString(b, m.InstanceID)
		b = append(b, `,"success":`...)
		b = strconv.AppendBool(b, m.Success)
		if m.Error != "" {
			b = append(b, `,"error":`...)
			b = appendJSONString(b, m.Error)
		}
	default:
		return b, false
	}
	return append(b, "}\n"...), true
}

func appendDeferral(b []byte, instanceID string, id uint64) []byte {
	b = append(b, `,"instance_id":`...)
	b = appendJSONString(b, instanceID)
	b = append(b, `,"deferral_id":`...)
	return strconv.AppendUint(b, id, 10)
}

func appendRawNotification(b []byte, n *RawNotification) []byte {
	b = append(b, `{"content":`...)
	b = appendJSONString(b, n.Content)
	b = append(b, `,"content_bytes":`...)
	if n.ContentBytes == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '"')
		b = base64.StdEncoding.AppendEncode(b, n.ContentBytes)
		b = append(b, '"')
	}
	if n.ChannelID != "" {
		b = append(b, `,"channel_id":`...)
		b = appendJSONString(b, n.ChannelID)
	}
	if len(n.Headers) > 0 {
		// encoding/json writes a map's members sorted by name.
		names := make([]string, 0, len(n.Headers))
		for name := range n.Headers {
			names = append(names, name)
		}
		slices.Sort(names)
		for i, name := range names {
			if i == 0 {
				b = append(b, `,"headers":{`...)
			} else {
				b = append(b, ',')
			}
			b = appendJSONString(b, name)
			b = append(b, ':')
			b = appendJSONString(b, n.Headers[name])
		}
		b = append(b, '}')
	}
	return append(b, '}')
}

// appendJSONStrings writes a []string as encoding/json does: null when nil.
func appendJSONStrings(b []byte, list []string) []byte {
	if list == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, s := range list {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, s)
	}
	return append(b, ']')
}

const hexDigits = "0123456789abcdef"

// appendJSONString quotes s as encoding/json.Marshal does: <, > and & as
// \u escapes (HTML-safe), control characters escaped, bytes that are not
// UTF-8 as U+FFFD, and U+2028 and U+2029, which end a line in JavaScript,
// escaped.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
