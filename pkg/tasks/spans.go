package tasks

import (
	"bytes"
	"encoding/json"
)

// fieldError is an invalid value in one registration of a file, with the
// JSON key it was read from, so the error can point at that key.
type fieldError struct {
	key string
	err error
}

func (e *fieldError) Error() string { return e.err.Error() }
func (e *fieldError) Unwrap() error { return e.err }

// jsonKeyOfField maps an InputError's Field to the file's key.
var jsonKeyOfField = map[string]string{
	"name":             "name",
	"entry point":      "entryPoint",
	"trigger":          "trigger",
	"condition":        "conditions",
	"plugin arguments": "pluginArgs",
	"plugin":           "plugin",
}

// registrationSpans returns where each element of the top-level
// "registrations" array starts and ends in data. It is best effort, for
// error positions only: data has already been decoded successfully, and any
// surprise gives nil. It stops after element upTo: the error being placed
// is there, and a hostile file may hold millions more.
func registrationSpans(data []byte, upTo int) [][2]int64 {
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil
	}
	var spans [][2]int64
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil
		}
		key, _ := tok.(string)
		// Decode has refused other cases and repeated keys.
		if key != "registrations" {
			var skip json.RawMessage
			if dec.Decode(&skip) != nil {
				return nil
			}
			continue
		}
		if spans, err = arraySpans(dec, data, upTo); err != nil {
			return nil
		}
		if len(spans) > upTo {
			return spans
		}
	}
	return spans
}

func arraySpans(dec *json.Decoder, data []byte, upTo int) ([][2]int64, error) {
	tok, err := dec.Token()
	if err != nil || tok != json.Delim('[') {
		return nil, err // null: no registrations
	}
	var spans [][2]int64
	for dec.More() {
		start := dec.InputOffset()
		var elem json.RawMessage
		if err := dec.Decode(&elem); err != nil {
			return nil, err
		}
		end := dec.InputOffset()
		// InputOffset is just past the previous token: skip the separator.
		start += int64(len(data[start:end]) - len(bytes.TrimLeft(data[start:end], ", \t\r\n")))
		spans = append(spans, [2]int64{start, end})
		if len(spans) > upTo {
			return spans, nil
		}
	}
	_, err = dec.Token() // ']'
	return spans, err
}

// fieldOffset is where key is written in registration i of data, in
// lineCol's convention, or the registration's own start, or -1.
func fieldOffset(data []byte, spans [][2]int64, i int, key string) int64 {
	if i >= len(spans) {
		return -1
	}
	span := spans[i]
	if key != "" {
		if off := keyOffset(data[span[0]:span[1]], key); off >= 0 {
			return span[0] + off
		}
	}
	return span[0] + 1
}
