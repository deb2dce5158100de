//go:build !race

package manifest

import (
	"bytes"
	"encoding/xml"
	"testing"
)

// The fast tokenizer reads the common forms in place, without handing a
// token to encoding/xml: a token handed over costs a decoder of its own, so
// the whole file would cost more allocations than encoding/xml reading it
// all, where in place it costs fewer. (Not under -race, which changes
// allocation counts.)
func TestFastTokensReadCommonFormsInPlace(t *testing.T) {
	for _, src := range commonForms {
		data := []byte(src)
		fast := testing.AllocsPerRun(10, func() {
			toks := &fastTokens{src: src}
			var tok token
			for toks.next(&tok) == nil {
			}
		})
		std := testing.AllocsPerRun(10, func() {
			dec := xml.NewDecoder(bytes.NewReader(data))
			for {
				if _, err := dec.RawToken(); err != nil {
					break
				}
			}
		})
		if fast >= std {
			t.Errorf("%q: %v allocations, encoding/xml %v: a token was handed to encoding/xml", src, fast, std)
		}
	}
}
