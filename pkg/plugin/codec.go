package plugin

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"sync"
)

// ErrLineTooLong is returned by Decoder.Next for a line over its bound. The
// stream cannot be resynchronised after it: every later call returns it too.
var ErrLineTooLong = errors.New("protocol line too long")

// ErrMalformed wraps every error about a line that was read whole but is not
// a valid message. The stream stays usable.
var ErrMalformed = errors.New("malformed protocol message")

// ErrUnknownType wraps errors about a well-formed message whose type this
// protocol version does not define. Plugins ignore these; the host does not.
var ErrUnknownType = errors.New("unknown protocol message type")

// Decoder reads line-delimited messages, never holding more than one line
// of at most maxLine bytes.
type Decoder struct {
	r       *bufio.Reader
	maxLine int
	sticky  error
	started bool // the first line has been read
}

// utf8BOM is what .NET (Console.OutputEncoding = UTF8) and Windows
// PowerShell may write before a program's first output.
var utf8BOM = []byte("\xef\xbb\xbf")

// NewDecoder reads messages from r; maxLine <= 0 means MaxLineBytes.
func NewDecoder(r io.Reader, maxLine int) *Decoder {
	if maxLine <= 0 {
		maxLine = MaxLineBytes
	}
	return &Decoder{r: bufio.NewReaderSize(r, min(maxLine+2, 64<<10)), maxLine: maxLine}
}

// Next returns the next message. At the end of the stream it returns io.EOF.
// Errors wrapping ErrMalformed or ErrUnknownType concern one line only.
func (d *Decoder) Next() (Message, error) {
	for {
		line, err := d.readLine()
		if err != nil {
			return nil, err
		}
		if !d.started {
			d.started = true
			line = bytes.TrimPrefix(line, utf8BOM)
		}
		if len(line) == 0 {
			continue // blank lines are allowed between messages
		}
		return DecodeMessage(line)
	}
}

// readLine returns one line without its "\n" or "\r\n", reading at most
// maxLine bytes of it into memory.
func (d *Decoder) readLine() ([]byte, error) {
	if d.sticky != nil {
		return nil, d.sticky
	}
	var line []byte
	for {
		chunk, err := d.r.ReadSlice('\n')
		if len(line)+len(chunk) > d.maxLine+2 { // +2: the terminator is not counted
			d.sticky = fmt.Errorf("%w: over %d bytes", ErrLineTooLong, d.maxLine)
			return nil, d.sticky
		}
		line = append(line, chunk...)
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case err == nil, errors.Is(err, io.EOF) && len(line) > 0: // the latter: a last line without "\n"
			line = trimTerminator(line)
			if len(line) > d.maxLine {
				d.sticky = fmt.Errorf("%w: over %d bytes", ErrLineTooLong, d.maxLine)
				return nil, d.sticky
			}
			return line, nil
		default:
			d.sticky = err
			return nil, err
		}
	}
}

func trimTerminator(line []byte) []byte {
	line = bytes.TrimSuffix(line, []byte("\n"))
	return bytes.TrimSuffix(line, []byte("\r"))
}

// DecodeMessage parses one line (without its terminator) into a message,
// checking the members the protocol requires.
func DecodeMessage(line []byte) (Message, error) {
	if m, ok := decodeFast(line); ok {
		return m, nil
	}
	return decodeStrict(line)
}

// decodeStrict is DecodeMessage for every form: it alone says what is wrong
// with a line.
func decodeStrict(line []byte) (Message, error) {
	members, err := readMembers(line)
	if errors.Is(err, errNotObject) {
		return nil, fmt.Errorf("%w: not a JSON object: %s", ErrMalformed, quoteStart(line))
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidMessage, err)
	}
	rawType, ok := members.raw["type"]
	var typ string
	if !ok || json.Unmarshal(rawType, &typ) != nil {
		return nil, fmt.Errorf("%w: no string \"type\" member: %s", ErrMalformed, quoteStart(line))
	}
	m := newMessage(typ)
	if m == nil {
		return nil, fmt.Errorf("%w %q", ErrUnknownType, typ)
	}
	for _, name := range m.required() {
		if _, ok := members.raw[name]; !ok {
			return nil, fmt.Errorf("%w: %s: missing %q", ErrInvalidMessage, typ, name)
		}
	}
	if err := members.check(reflect.TypeOf(m).Elem()); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrInvalidMessage, typ, err)
	}
	if err := json.Unmarshal(line, m); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrInvalidMessage, typ, err)
	}
	if err := m.validate(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidMessage, err)
	}
	return m, nil
}

// quoteStart quotes the beginning of a bad line for an error message.
func quoteStart(line []byte) string {
	const show = 80
	if len(line) > show {
		return fmt.Sprintf("%q...", line[:show])
	}
	return fmt.Sprintf("%q", line)
}

// EncodeMessage returns m as one protocol line, "\n" included, with its
// "type" member first so the line reads well in a log.
func EncodeMessage(m Message) ([]byte, error) {
	if line, ok := appendMessage(make([]byte, 0, 128), m); ok {
		return line, nil
	}
	return encodeReflect(m)
}

// encodeReflect is EncodeMessage through encoding/json: the definition of
// the bytes appendMessage writes.
func encodeReflect(m Message) ([]byte, error) {
	body, err := json.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("encoding %s message: %w", m.Type(), err)
	}
	typ, _ := json.Marshal(m.Type())
	var b bytes.Buffer
	b.WriteString(`{"type":`)
	b.Write(typ)
	if len(body) > 2 { // body is a JSON object: "{}" or "{...}"
		b.WriteByte(',')
		b.Write(body[1:])
	} else {
		b.WriteByte('}')
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}

// Encoder writes messages, one line per Write, safely from several goroutines.
type Encoder struct {
	mu sync.Mutex
	w  io.Writer
}

// NewEncoder writes messages to w.
func NewEncoder(w io.Writer) *Encoder { return &Encoder{w: w} }

// Send writes m as one line.
func (e *Encoder) Send(m Message) error {
	line, err := EncodeMessage(m)
	if err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if _, err := e.w.Write(line); err != nil {
		return fmt.Errorf("sending %s message: %w", m.Type(), err)
	}
	return nil
}
