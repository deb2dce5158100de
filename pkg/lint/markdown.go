package lint

import "strings"

// mdParagraph joins an explanation's lines into one Markdown paragraph,
// keeping a line break before each indented (list-like) line and after the
// last one; lines indented further continue the line above. Angle brackets
// are escaped so <Task Type="..."> shows instead of vanishing as HTML.
func mdParagraph(s string) string {
	s = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(strings.TrimSpace(s))
	var b strings.Builder
	prevListed := false
	for i, l := range strings.Split(s, "\n") {
		listed := strings.HasPrefix(l, "  ") && !strings.HasPrefix(l, "    ")
		switch {
		case i == 0:
		case listed, prevListed && !strings.HasPrefix(l, "    "):
			b.WriteString("<br>\n")
		default:
			b.WriteString(" ")
		}
		if listed || !strings.HasPrefix(l, "    ") {
			prevListed = listed
		}
		b.WriteString(strings.TrimSpace(l))
	}
	return b.String()
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
