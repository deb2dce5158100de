package manifest

import (
	"strconv"

	"github.com/beevik/etree"
)

// prefixFor returns the prefix in scope at el that names namespace uri ("" for
// the default namespace), and false when the file binds uri nowhere in scope.
// Inserted elements use the file's own prefixes, so a manifest that binds the
// foundation namespace to f: gets <f:Extension>.
func prefixFor(el *etree.Element, uri string) (string, bool) {
	shadowed := map[string]bool{} // prefixes rebound closer to el
	for e := el; e != nil; e = e.Parent() {
		for _, a := range e.Attr {
			prefix, ok := declaredPrefix(a)
			if !ok || shadowed[prefix] {
				continue
			}
			if a.Value == uri {
				return prefix, true
			}
			shadowed[prefix] = true
		}
	}
	return "", false
}

// declaredPrefix reports whether a declares a namespace, and for which prefix.
func declaredPrefix(a etree.Attr) (string, bool) {
	switch {
	case a.Space == "xmlns":
		return a.Key, true
	case a.Space == "" && a.Key == "xmlns":
		return "", true
	}
	return "", false
}

// freshPrefix picks a prefix for declaring uri on an inserted element: its
// conventional name ("uap", "m2", "iot") unless that is bound to something
// else in scope at el, then the name with a number.
func freshPrefix(el *etree.Element, uri string) string {
	base := NamespaceLabel(uri)
	if base == "" {
		base = "ns"
	}
	for i := 1; ; i++ {
		candidate := base
		if i > 1 {
			candidate = base + strconv.Itoa(i)
		}
		if !prefixInScope(el, candidate) {
			return candidate
		}
	}
}

func prefixInScope(el *etree.Element, prefix string) bool {
	for e := el; e != nil; e = e.Parent() {
		for _, a := range e.Attr {
			if p, ok := declaredPrefix(a); ok && p == prefix {
				return true
			}
		}
	}
	return false
}

// qualified joins a prefix and a local name.
func qualified(prefix, local string) string {
	if prefix == "" {
		return local
	}
	return prefix + ":" + local
}
