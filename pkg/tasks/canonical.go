package tasks

import "strings"

// scanCanonical reads a registry written exactly as Encode writes it when
// no string needs escaping (encodePlain: two-space indent, keys in format
// order, printable ASCII strings): what bgtask itself leaves on disk, so
// nearly every registry it reads. The JSON library's reflection-driven
// decoder took two thirds of a register into 10,000 registrations; this
// reads the same file in one pass over the bytes.
//
// It reports false at the first byte that differs from that form (other
// white space, another key order, an escape, a hand edit), and decode then
// gives the file to the strict decoder, which accepts or refuses it with
// its messages and positions. So it refuses nothing itself, and what it
// accepts the strict decoder reads to the same values: every string is
// printable ASCII without '"' or '\\', which JSON reads as written, and the
// fixed key order cannot repeat or miss a key (FuzzScanCanonical checks the
// two agree). Each registration goes to visit as it is read, with its index,
// not into a slice of them all; checking it is visit's, the same for both.
// text is the file as one string: every field is a substring of it, not a
// string of its own.
func scanCanonical(text string, visit func(int, fileRegistration)) bool {
	s := canonScanner{s: text}
	if !s.lit("{\n  \"version\": 1,\n  \"registrations\": [") {
		return false
	}
	if s.lit("]\n}\n") {
		return s.i == len(s.s)
	}
	for i := 0; ; i++ {
		var fr fileRegistration
		ok := s.lit("\n    {") &&
			s.key("taskId") && s.str(&fr.TaskID) && s.lit(",") &&
			s.key("name") && s.str(&fr.Name) && s.lit(",") &&
			s.key("entryPoint") && s.str(&fr.EntryPoint) && s.lit(",") &&
			s.key("trigger") && s.str(&fr.Trigger) && s.lit(",") &&
			s.key("conditions") && s.list(&fr.Conditions, true) && s.lit(",") &&
			s.key("cancelOnConditionLoss") && s.boolean(&fr.CancelOnConditionLoss) && s.lit(",") &&
			s.key("plugin") && s.str(&fr.Plugin) && s.lit(",")
		if !ok {
			return false
		}
		// Written only when not empty (false).
		if s.key("pluginArgs") && !(s.list(&fr.PluginArgs, false) && s.lit(",")) {
			return false
		}
		if s.lit("\n      \"examplePlugin\": true,") {
			fr.ExamplePlugin = true
		}
		if !(s.key("registered") && s.str(&fr.Registered) && s.lit("\n    }")) {
			return false
		}
		visit(i, fr)
		if s.lit(",") {
			continue
		}
		return s.lit("\n  ]\n}\n") && s.i == len(s.s)
	}
}

// canonScanner is scanCanonical's position in the file; each method
// consumes what it expects and reports whether it was there.
type canonScanner struct {
	s string
	i int
}

func (c *canonScanner) lit(want string) bool {
	if !strings.HasPrefix(c.s[c.i:], want) {
		return false
	}
	c.i += len(want)
	return true
}

// key reads a registration's key on its own line, up to its value.
func (c *canonScanner) key(name string) bool {
	rest := c.s[c.i:]
	const indent = "\n      \""
	if len(rest) < len(indent)+len(name)+3 || rest[:len(indent)] != indent ||
		rest[len(indent):len(indent)+len(name)] != name || rest[len(indent)+len(name):len(indent)+len(name)+3] != "\": " {
		return false
	}
	c.i += len(indent) + len(name) + 3
	return true
}

// str reads a string of printable ASCII other than '"' and '\\': one JSON
// reads as written.
func (c *canonScanner) str(v *string) bool {
	if c.i >= len(c.s) || c.s[c.i] != '"' {
		return false
	}
	for j := c.i + 1; j < len(c.s); j++ {
		switch b := c.s[j]; {
		case b == '"':
			*v = c.s[c.i+1 : j]
			c.i = j + 1
			return true
		case b < 0x20 || b > 0x7e || b == '\\':
			return false
		}
	}
	return false
}

// list reads an array of strings, one a line; [] only when empty is true
// (pluginArgs is left out rather than written empty).
func (c *canonScanner) list(v *[]string, empty bool) bool {
	if c.lit("[]") {
		*v = []string{}
		return empty
	}
	if !c.lit("[") {
		return false
	}
	var values []string
	for {
		var s string
		if !(c.lit("\n        ") && c.str(&s)) {
			return false
		}
		values = append(values, s)
		if c.lit(",") {
			continue
		}
		*v = values
		return c.lit("\n      ]")
	}
}

func (c *canonScanner) boolean(v *bool) bool {
	switch {
	case c.lit("true"):
		*v = true
	case c.lit("false"):
		*v = false
	default:
		return false
	}
	return true
}
