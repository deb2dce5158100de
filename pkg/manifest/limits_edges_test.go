package manifest

import (
	"fmt"
	"strings"
	"testing"
)

// The limits are inclusive: an element with exactly MaxAttributes
// attributes is read (one more is refused, TestParseErrors).
func TestParseReadsAnElementAtTheAttributeLimit(t *testing.T) {
	var b strings.Builder
	b.WriteString("<Package>\n  <Application")
	for i := range MaxAttributes {
		fmt.Fprintf(&b, " a%d=\"v%d\"", i, i)
	}
	b.WriteString("/>\n</Package>")
	if _, err := Parse("p.appxmanifest", []byte(b.String())); err != nil {
		t.Fatalf("%d attributes: %v", MaxAttributes, err)
	}
}
