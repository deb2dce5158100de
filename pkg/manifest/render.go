package manifest

import (
	"strings"

	"github.com/beevik/etree"
)

// The inserted fragment is rendered by hand rather than by etree's writer:
// it must use the file's line ending, indentation and self-closing style, and
// escape attribute values so they read back unchanged, which etree's
// serializer does not promise (it writes a newline in a value raw).

// newTask is one Task element to render.
type newTask struct {
	Type      string
	Namespace string
}

// renderTask renders <Task Type="t" /> in the namespace t needs, using the
// prefix in scope at parent or declaring one on the element itself.
func renderTask(parent *etree.Element, t newTask, st style) string {
	prefix, bound := prefixFor(parent, t.Namespace)
	var b strings.Builder
	if !bound {
		prefix = freshPrefix(parent, t.Namespace)
	}
	b.WriteString("<" + qualified(prefix, "Task"))
	if !bound {
		b.WriteString(" xmlns")
		if prefix != "" {
			b.WriteString(":" + prefix)
		}
		b.WriteString(`="` + escapeAttr(t.Namespace) + `"`)
	}
	b.WriteString(` Type="` + escapeAttr(t.Type) + `"` + st.selfClose)
	return b.String()
}

// extensionAttrs are the attributes of a new Extension, in the order Visual
// Studio writes them.
type extensionAttrs struct {
	EntryPoint, StartPage, Executable string
}

// renderExtension renders a whole background task Extension whose first line
// starts at indent; parent is the element it goes in (for prefixes).
func renderExtension(parent *etree.Element, mainNS, indent string, attrs extensionAttrs, tasks []newTask, st style) string {
	prefix, _ := prefixFor(parent, mainNS)
	name := func(local string) string { return qualified(prefix, local) }
	var b strings.Builder
	b.WriteString("<" + name("Extension") + ` Category="` + BackgroundTasksCategory + `"`)
	for _, a := range [][2]string{{"EntryPoint", attrs.EntryPoint}, {"StartPage", attrs.StartPage}, {"Executable", attrs.Executable}} {
		if a[1] != "" {
			b.WriteString(" " + a[0] + `="` + escapeAttr(a[1]) + `"`)
		}
	}
	b.WriteString(">")
	inner := indent + st.unit
	b.WriteString(st.newline + inner + "<" + name("BackgroundTasks") + ">")
	for _, t := range tasks {
		// The prefix lookup starts at parent: nothing new is bound in between.
		b.WriteString(st.newline + inner + st.unit + renderTask(parent, t, st))
	}
	b.WriteString(st.newline + inner + "</" + name("BackgroundTasks") + ">")
	b.WriteString(st.newline + indent + "</" + name("Extension") + ">")
	return b.String()
}

// renderExtensions wraps an already rendered Extension in a new Extensions.
func renderExtensions(parent *etree.Element, mainNS, indent, extension string, st style) string {
	prefix, _ := prefixFor(parent, mainNS)
	name := qualified(prefix, "Extensions")
	return "<" + name + ">" + st.newline + indent + st.unit + extension + st.newline + indent + "</" + name + ">"
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
