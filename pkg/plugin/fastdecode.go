package plugin

import (
	"encoding/base64"
	"strconv"
	"unicode/utf8"
)

// The strict decoder (readMembers, check, then encoding/json) costs a fresh
// process about a quarter of a millisecond for its first message:
// encoding/json builds its caches for each type by reflection, and its code
// is paged in. Every delivery starts a fresh plugin whose first message from
// the host is a run, and `bgtask push` is a fresh host that reads the
// handshake and the completion, so that cost lay on each delivery's
// critical path two and three times. decodeFast reads messages in the
// forms hosts and plugins write, by hand, and leaves everything else to the
// strict decoder: any member it does not define, null, a number that is not
// a plain unsigned integer, a \u escape of a surrogate, bytes that are not
// UTF-8, a name given twice, a missing member, a value validate refuses.
// Where it answers, it answers what the strict decoder would
// (FuzzDecodeFast), so every error and every unusual form still comes from
// one place.

// fastMaxMembers bounds the members of one object the fast reader takes:
// it finds a name given twice by comparing each name with those before it.
const fastMaxMembers = 32

// fastMaxDepth bounds nesting, and so the reader's recursion on hostile
// input: the protocol's deepest object, a run's headers, is at depth 4.
const fastMaxDepth = 4

// fastValue is one JSON value of the forms the fast reader takes.
type fastValue struct {
	kind byte // fastString, fastUint, fastBool, fastArray or fastObject
	str  string
	b    bool
	arr  []fastValue
	obj  []fastMember
}

const (
	fastString = 's'
	fastUint   = 'u' // str holds the digits
	fastBool   = 'b'
	fastArray  = 'a'
	fastObject = 'o'
)

type fastMember struct {
	name string
	val  fastValue
}

type fastReader struct {
	data  []byte
	i     int
	depth int
}

// decodeFast decodes line when it is in a form the fast reader takes; ok is
// false otherwise, and DecodeMessage asks the strict decoder.
func decodeFast(line []byte) (m Message, ok bool) {
	r := fastReader{data: line}
	r.space()
	if r.i >= len(line) || line[r.i] != '{' {
		return nil, false
	}
	v, ok := r.value()
	if !ok {
		return nil, false
	}
	r.space()
	if r.i != len(line) {
		return nil, false
	}
	typ, ok := v.stringMember("type")
	if !ok {
		return nil, false
	}
	switch typ {
	case TypeHandshake:
		m, ok = fastHandshake(v.obj)
	case TypeDescribe:
		m, ok = &Describe{}, len(v.obj) == 1
	case TypeDescription:
		m, ok = fastDescription(v.obj)
	case TypeRun:
		m, ok = fastRun(v.obj)
	case TypeProgress:
		m, ok = fastProgress(v.obj)
	case TypeDeferralTaken:
		instance, id, read := fastDeferral(v.obj)
		m, ok = &DeferralTaken{InstanceID: instance, DeferralID: id}, read
	case TypeDeferralCompleted:
		instance, id, read := fastDeferral(v.obj)
		m, ok = &DeferralCompleted{InstanceID: instance, DeferralID: id}, read
	case TypeCancel:
		m, ok = fastCancel(v.obj)
	case TypeCompletion:
		m, ok = fastCompletion(v.obj)
	default:
		return nil, false
	}
	if !ok || m.validate() != nil {
		return nil, false
	}
	return m, true
}

// stringMember is the string value of v's member name.
func (v *fastValue) stringMember(name string) (string, bool) {
	for i := range v.obj {
		if v.obj[i].name == name {
			return v.obj[i].val.str, v.obj[i].val.kind == fastString
		}
	}
	return "", false
}

// setString stores v in dst and reports whether it is a string.
func (v *fastValue) setString(dst *string) bool {
	*dst = v.str
	return v.kind == fastString
}

// unsigned is v as an unsigned integer of at most bits bits.
func (v *fastValue) unsigned(bits int) (uint64, bool) {
	if v.kind != fastUint {
		return 0, false
	}
	n, err := strconv.ParseUint(v.str, 10, bits)
	return n, err == nil
}

// fields visits the members of obj, and reports whether visit took every
// one and every required one is there. A message's own members are visited
// with top set: its "type" is passed over there, and only there.
func fields(obj []fastMember, top bool, required []string, visit func(name string, v *fastValue) bool) bool {
	for i := range obj {
		if top && obj[i].name == "type" {
			continue
		}
		if !visit(obj[i].name, &obj[i].val) {
			return false
		}
	}
	for _, name := range required {
		found := false
		for i := range obj {
			found = found || obj[i].name == name
		}
		if !found {
			return false
		}
	}
	return true
}

func fastHandshake(obj []fastMember) (Message, bool) {
	m := &Handshake{}
	ok := fields(obj, true, m.required(), func(name string, v *fastValue) bool {
		switch name {
		case "protocol":
			n, ok := v.unsigned(strconv.IntSize - 1) // what fits an int
			m.Protocol = int(n)
			return ok
		case "entry_points":
			var ok bool
			m.EntryPoints, ok = v.strings()
			return ok
		case "sdk":
			return v.setString(&m.SDK)
		}
		return false
	})
	return m, ok
}

func fastDescription(obj []fastMember) (Message, bool) {
	m := &Description{}
	ok := fields(obj, true, m.required(), func(name string, v *fastValue) bool {
		if name != "entry_points" {
			return false
		}
		var ok bool
		m.EntryPoints, ok = v.strings()
		return ok
	})
	return m, ok
}

// strings is an array of strings, empty but not nil for [] (as
// encoding/json decodes it).
func (v *fastValue) strings() ([]string, bool) {
	if v.kind != fastArray {
		return nil, false
	}
	out := make([]string, 0, len(v.arr))
	for i := range v.arr {
		if v.arr[i].kind != fastString {
			return nil, false
		}
		out = append(out, v.arr[i].str)
	}
	return out, true
}

func fastRun(obj []fastMember) (Message, bool) {
	m := &Run{}
	ok := fields(obj, true, m.required(), func(name string, v *fastValue) bool {
		switch name {
		case "instance_id":
			return v.setString(&m.InstanceID)
		case "registration":
			return v.kind == fastObject && fields(v.obj, false, nil, func(name string, v *fastValue) bool {
				switch name {
				case "name":
					return v.setString(&m.Registration.Name)
				case "task_id":
					return v.setString(&m.Registration.TaskID)
				case "entry_point":
					return v.setString(&m.Registration.EntryPoint)
				}
				return false
			})
		case "trigger":
			return v.kind == fastObject && fields(v.obj, false, nil, func(name string, v *fastValue) bool {
				switch name {
				case "kind":
					return v.setString(&m.Trigger.Kind)
				case "push":
					var ok bool
					m.Trigger.Push, ok = fastPush(v)
					return ok
				}
				return false
			})
		}
		return false
	})
	return m, ok
}

func fastPush(v *fastValue) (*RawNotification, bool) {
	if v.kind != fastObject {
		return nil, false
	}
	n := &RawNotification{}
	ok := fields(v.obj, false, nil, func(name string, v *fastValue) bool {
		switch name {
		case "content":
			return v.setString(&n.Content)
		case "content_bytes":
			if v.kind != fastString {
				return false
			}
			// As encoding/json decodes []byte: the standard alphabet,
			// padded, with line breaks ignored.
			b := make([]byte, base64.StdEncoding.DecodedLen(len(v.str)))
			k, err := base64.StdEncoding.Decode(b, []byte(v.str))
			n.ContentBytes = b[:k]
			return err == nil
		case "channel_id":
			return v.setString(&n.ChannelID)
		case "headers":
			if v.kind != fastObject {
				return false
			}
			n.Headers = make(map[string]string, len(v.obj))
			for i := range v.obj {
				if v.obj[i].val.kind != fastString {
					return false
				}
				n.Headers[v.obj[i].name] = v.obj[i].val.str
			}
			return true
		}
		return false
	})
	return n, ok
}

func fastProgress(obj []fastMember) (Message, bool) {
	m := &Progress{}
	ok := fields(obj, true, m.required(), func(name string, v *fastValue) bool {
		switch name {
		case "instance_id":
			return v.setString(&m.InstanceID)
		case "percent":
			n, ok := v.unsigned(32)
			m.Percent = uint32(n)
			return ok
		}
		return false
	})
	return m, ok
}

// fastDeferral reads deferral_taken and deferral_completed, which have the
// same members.
func fastDeferral(obj []fastMember) (instance string, id uint64, ok bool) {
	ok = fields(obj, true, (&DeferralTaken{}).required(), func(name string, v *fastValue) bool {
		switch name {
		case "instance_id":
			return v.setString(&instance)
		case "deferral_id":
			var read bool
			id, read = v.unsigned(64)
			return read
		}
		return false
	})
	return instance, id, ok
}

func fastCancel(obj []fastMember) (Message, bool) {
	m := &Cancel{}
	ok := fields(obj, true, m.required(), func(name string, v *fastValue) bool {
		switch name {
		case "instance_id":
			return v.setString(&m.InstanceID)
		case "reason":
			return v.setString(&m.Reason)
		}
		return false
	})
	return m, ok
}

func fastCompletion(obj []fastMember) (Message, bool) {
	m := &Completion{}
	ok := fields(obj, true, m.required(), func(name string, v *fastValue) bool {
		switch name {
		case "instance_id":
			return v.setString(&m.InstanceID)
		case "success":
			m.Success = v.b
			return v.kind == fastBool
		case "error":
			return v.setString(&m.Error)
		}
		return false
	})
	return m, ok
}

// space passes JSON white space.
func (r *fastReader) space() {
	for r.i < len(r.data) {
		switch r.data[r.i] {
		case ' ', '\t', '\n', '\r':
			r.i++
		default:
			return
		}
	}
}

// value reads one value at r.i (after white space).
func (r *fastReader) value() (fastValue, bool) {
	if r.i >= len(r.data) {
		return fastValue{}, false
	}
	switch c := r.data[r.i]; {
	case c == '"':
		s, ok := r.string()
		return fastValue{kind: fastString, str: s}, ok
	case c == '{' || c == '[':
		if r.depth == fastMaxDepth {
			return fastValue{}, false
		}
		r.depth++
		defer func() { r.depth-- }()
		if c == '{' {
			return r.object()
		}
		return r.array()
	case c >= '0' && c <= '9':
		return r.uint()
	case c == 't':
		return fastValue{kind: fastBool, b: true}, r.literal("true")
	case c == 'f':
		return fastValue{kind: fastBool}, r.literal("false")
	}
	return fastValue{}, false // null, a negative number, or not JSON
}

func (r *fastReader) literal(word string) bool {
	if len(r.data)-r.i < len(word) || string(r.data[r.i:r.i+len(word)]) != word {
		return false
	}
	r.i += len(word)
	return true
}

// uint reads an unsigned integer without fraction or exponent.
func (r *fastReader) uint() (fastValue, bool) {
	start := r.i
	for r.i < len(r.data) && r.data[r.i] >= '0' && r.data[r.i] <= '9' {
		r.i++
	}
	digits := r.data[start:r.i]
	if len(digits) > 1 && digits[0] == '0' {
		return fastValue{}, false // not JSON
	}
	if r.i < len(r.data) {
		switch r.data[r.i] {
		case '.', 'e', 'E':
			return fastValue{}, false
		}
	}
	return fastValue{kind: fastUint, str: string(digits)}, true
}

func (r *fastReader) object() (fastValue, bool) {
	v := fastValue{kind: fastObject}
	more, ok := r.open('}')
	for more && ok {
		if r.i >= len(r.data) || r.data[r.i] != '"' || len(v.obj) == fastMaxMembers {
			return v, false
		}
		name, named := r.string()
		if !named {
			return v, false
		}
		for i := range v.obj {
			if v.obj[i].name == name {
				return v, false
			}
		}
		r.space()
		if r.i >= len(r.data) || r.data[r.i] != ':' {
			return v, false
		}
		r.i++
		r.space()
		val, read := r.value()
		if !read {
			return v, false
		}
		v.obj = append(v.obj, fastMember{name: name, val: val})
		more, ok = r.next('}')
	}
	return v, ok
}

func (r *fastReader) array() (fastValue, bool) {
	v := fastValue{kind: fastArray}
	more, ok := r.open(']')
	for more && ok {
		val, read := r.value()
		if !read {
			return v, false
		}
		v.arr = append(v.arr, val)
		more, ok = r.next(']')
	}
	return v, ok
}

// open enters an object or array at r.i; more says an element follows,
// false that it ends at once.
func (r *fastReader) open(close byte) (more, ok bool) {
	r.i++ // '{' or '['
	r.space()
	if r.i < len(r.data) && r.data[r.i] == close {
		r.i++
		return false, true
	}
	return true, true
}

// next reads what follows an element: a comma (more follows) or close.
func (r *fastReader) next(close byte) (more, ok bool) {
	r.space()
	if r.i >= len(r.data) {
		return false, false
	}
	switch r.data[r.i] {
	case ',':
		r.i++
		r.space()
		return true, true
	case close:
		r.i++
		return false, true
	}
	return false, false
}

// string reads a string at r.i ('"'). It takes what encoding/json reads
// the same way; a string with bytes that are not UTF-8, or with a \u escape
// of a surrogate, which encoding/json replaces with U+FFFD, goes to the
// strict decoder.
func (r *fastReader) string() (string, bool) {
	r.i++ // '"'
	start := r.i
	for r.i < len(r.data) {
		switch c := r.data[r.i]; {
		case c == '"':
			s := string(r.data[start:r.i])
			r.i++
			return s, true
		case c == '\\':
			return r.escapedString(start)
		case c < 0x20:
			return "", false
		case c < utf8.RuneSelf:
			r.i++
		default:
			rn, n := utf8.DecodeRune(r.data[r.i:])
			if rn == utf8.RuneError && n == 1 {
				return "", false
			}
			r.i += n
		}
	}
	return "", false
}

// escapedString goes on with a string from its first backslash.
func (r *fastReader) escapedString(start int) (string, bool) {
	buf := make([]byte, 0, r.i-start+16)
	buf = append(buf, r.data[start:r.i]...)
	for r.i < len(r.data) {
		c := r.data[r.i]
		switch {
		case c == '"':
			r.i++
			return string(buf), true
		case c == '\\':
			if r.i+1 >= len(r.data) {
				return "", false
			}
			r.i += 2
			switch e := r.data[r.i-1]; e {
			case '"', '\\', '/':
				buf = append(buf, e)
			case 'b':
				buf = append(buf, '\b')
			case 'f':
				buf = append(buf, '\f')
			case 'n':
				buf = append(buf, '\n')
			case 'r':
				buf = append(buf, '\r')
			case 't':
				buf = append(buf, '\t')
			case 'u':
				if len(r.data)-r.i < 4 {
					return "", false
				}
				n, err := strconv.ParseUint(string(r.data[r.i:r.i+4]), 16, 16)
				if err != nil || (n >= 0xD800 && n <= 0xDFFF) {
					return "", false
				}
				r.i += 4
				buf = utf8.AppendRune(buf, rune(n))
			default:
				return "", false
			}
		case c < 0x20:
			return "", false
		case c < utf8.RuneSelf:
			buf = append(buf, c)
			r.i++
		default:
			rn, n := utf8.DecodeRune(r.data[r.i:])
			if rn == utf8.RuneError && n == 1 {
				return "", false
			}
			buf = append(buf, r.data[r.i:r.i+n]...)
			r.i += n
		}
	}
	return "", false
}
