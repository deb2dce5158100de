package manifest

import (
	"strings"

	"github.com/beevik/etree"
)

// The inserted fragment is rendered by hand rather than by etree's writer:
// it must use the file's line ending, indentation and self-closing style, and
// escape attribute values so they read back unchanged, which etree's
// serializer does not promise (it writes a newline in a value raw).

// scope resolves prefixes for a fragment going inside the existing element
// at. When the fragment's outer element has to declare the main namespace
// itself (the file does not bind it there), defaultNS is that namespace.
type scope struct {
	at        *etree.Element
	defaultNS string
}

func (sc scope) prefix(uri string) (string, bool) {
	if sc.defaultNS != "" && uri == sc.defaultNS {
		return "", true
	}
	p, ok := prefixFor(sc.at, uri)
	if sc.defaultNS != "" && ok && p == "" {
		return "", false // the fragment's own default namespace hides this one
	}
	return p, ok
}

// open starts an element in namespace uri, declaring the namespace as the
// default on this element when nothing in scope binds it. It returns the
// element's qualified name, the declaration to write, and the scope inside.
func (sc scope) open(uri, local string) (name, decl string, inner scope) {
	prefix, bound := sc.prefix(uri)
	if bound {
		return qualified(prefix, local), "", sc
	}
	return local, ` xmlns="` + escapeAttr(uri) + `"`, scope{at: sc.at, defaultNS: uri}
}

// renderTask renders <Task Type="t" /> in the namespace t needs, using the
// prefix in scope or declaring one on the element itself.
func renderTask(sc scope, t TaskType, st style) string {
	prefix, bound := sc.prefix(t.Namespace)
	var b strings.Builder
	if !bound {
		prefix = freshPrefix(sc.at, t.Namespace)
	}
	b.WriteString("<" + qualified(prefix, "Task"))
	if !bound {
		b.WriteString(" xmlns:" + prefix + `="` + escapeAttr(t.Namespace) + `"`)
	}
	b.WriteString(` Type="` + escapeAttr(t.Name) + `"` + st.selfClose)
	return b.String()
}

// extensionAttrs are the attributes of a new Extension, in the order Visual
// Studio writes them.
type extensionAttrs struct {
	EntryPoint, StartPage, Executable string
}

// renderExtension renders a whole background task Extension whose first line
// starts at indent.
func renderExtension(sc scope, mainNS, indent string, attrs extensionAttrs, tasks []TaskType, st style) string {
	ext, decl, sc := sc.open(mainNS, "Extension")
	bts, _, _ := sc.open(mainNS, "BackgroundTasks")
	var b strings.Builder
	b.WriteString("<" + ext + decl + ` Category="` + BackgroundTasksCategory + `"`)
	for _, a := range [][2]string{{"EntryPoint", attrs.EntryPoint}, {"StartPage", attrs.StartPage}, {"Executable", attrs.Executable}} {
		if a[1] != "" {
			b.WriteString(" " + a[0] + `="` + escapeAttr(a[1]) + `"`)
		}
	}
	b.WriteString(">")
	inner := indent + st.unit
	b.WriteString(st.newline + inner + "<" + bts + ">")
	for _, t := range tasks {
		b.WriteString(st.newline + inner + st.unit + renderTask(sc, t, st))
	}
	b.WriteString(st.newline + inner + "</" + bts + ">")
	b.WriteString(st.newline + indent + "</" + ext + ">")
	return b.String()
}

// renderExtensions renders a new Extensions holding one new Extension.
func renderExtensions(sc scope, mainNS, indent string, attrs extensionAttrs, tasks []TaskType, st style) string {
	name, decl, inner := sc.open(mainNS, "Extensions")
	extension := renderExtension(inner, mainNS, indent+st.unit, attrs, tasks, st)
	return "<" + name + decl + ">" + st.newline + indent + st.unit + extension + st.newline + indent + "</" + name + ">"
}

// escapeAttr escapes a value for a double-quoted attribute. Tabs and line
// breaks become character references because a parser normalizes raw ones
// to spaces, which would change the value.
func escapeAttr(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '"':
			b.WriteString("&quot;")
		case '\t':
			b.WriteString("&#x9;")
		case '\n':
			b.WriteString("&#xA;")
		case '\r':
			b.WriteString("&#xD;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
