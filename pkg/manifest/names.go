package manifest

import (
	"strings"

	"github.com/beevik/etree"
)

// appxNSBase starts every namespace of the appx manifest family (2010, m2,
// m3, foundation, uap*, iot, desktop*, rescap...).
const appxNSBase = "http://schemas.microsoft.com/appx/"

// isManifestElement reports whether el is local in the appx namespace family,
// whatever prefix the file binds to it.
func isManifestElement(el *etree.Element, local string) bool {
	return el != nil && el.Tag == local && strings.HasPrefix(el.NamespaceURI(), appxNSBase)
}

// childElements returns el's child elements named local in the appx family.
// (pkg/lint matches by local name in any namespace instead, on purpose: it
// must see elements whose prefix is undeclared.)
func childElements(el *etree.Element, local string) []*etree.Element {
	var out []*etree.Element
	for _, t := range el.Child {
		if c, ok := t.(*etree.Element); ok && isManifestElement(c, local) {
			out = append(out, c)
		}
	}
	return out
}

func firstChild(el *etree.Element, local string) *etree.Element {
	for _, t := range el.Child {
		if c, ok := t.(*etree.Element); ok && isManifestElement(c, local) {
			return c
		}
	}
	return nil
}

// plainAttr returns the value of el's unprefixed attribute key. etree's
// SelectAttr would also match any prefixed attribute of that name.
func plainAttr(el *etree.Element, key string) string {
	for _, a := range el.Attr {
		if a.Space == "" && a.Key == key {
			return a.Value
		}
	}
	return ""
}

// anyNSAttr returns the value of an attribute named key in any namespace,
// for attributes that moved between uapN namespaces over the years.
func anyNSAttr(el *etree.Element, key string) string {
	for _, a := range el.Attr {
		if a.Key == key && a.Space != "xmlns" {
			return a.Value
		}
	}
	return ""
}

// boundNamespaces returns every namespace URI bound anywhere in the document.
func boundNamespaces(root *etree.Element) map[string]bool {
	uris := map[string]bool{}
	var walk func(el *etree.Element)
	walk = func(el *etree.Element) {
		for _, a := range el.Attr {
			if _, ok := declaredPrefix(a); ok {
				uris[a.Value] = true
			}
		}
		for _, c := range el.ChildElements() {
			walk(c)
		}
	}
	walk(root)
	return uris
}
