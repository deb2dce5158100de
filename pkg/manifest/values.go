package manifest

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
	"unicode"
)

// The checks here are shared by `manifest add`, which must not write a value
// `lint` would then report as an error, and by the lint rules that report
// such values in existing files. One definition keeps the two from drifting.

// InvalidValueError says why a value cannot be an attribute of a background
// task declaration. Error() reads `EntryPoint "pch.cpp" is a file name, not a
// class`; callers add what to write instead, in their own terms (a flag for
// add, an attribute for lint).
type InvalidValueError struct {
	Attr   string // EntryPoint or Executable
	Value  string
	Reason string // what is wrong, as a predicate: "is a file name, not a class"
}

func (e *InvalidValueError) Error() string {
	// Quoted as written: %q would double the backslashes of a path.
	return fmt.Sprintf("%s \"%s\" %s", e.Attr, e.Value, e.Reason)
}

// CheckEntryPoint returns an *InvalidValueError when ep cannot be an
// EntryPoint, the activatable class ID Windows starts the task by: it must be
// a dotted identifier with a namespace, Namespace.Class (a file name such as
// pch.cpp, a path or a bare class name registers and then never runs). A
// value holding a template token ($safeprojectname$.Task) is accepted: the
// build replaces it.
func CheckEntryPoint(ep string) error {
	if HasPlaceholder(ep) {
		return nil
	}
	invalid := func(reason string) error { return &InvalidValueError{Attr: "EntryPoint", Value: ep, Reason: reason} }
	parts := strings.Split(ep, ".")
	// An ending in one case (.cpp, .CS) reads as a file extension; a
	// PascalCase one is a class (Contoso.Tasks.Exe, Contoso.Js are legal).
	last := parts[len(parts)-1]
	oneCase := last == strings.ToLower(last) || last == strings.ToUpper(last)
	if len(parts) > 1 && oneCase && isSourceOrBinaryExtension(strings.ToLower(last)) {
		return invalid("is a file name, not a class")
	}
	if strings.ContainsAny(ep, `\/`) {
		return invalid("is a path, not a class")
	}
	for _, part := range parts {
		if !isIdentifier(part) {
			return invalid("is not a dotted identifier")
		}
	}
	if len(parts) < 2 {
		return invalid("has no namespace")
	}
	return nil
}

// CheckExecutable returns an *InvalidValueError when exe cannot be an
// Executable: the schema takes only a name ending in .exe (a .dll or .winmd
// there fails packaging). "$targetnametoken$.exe" is checked like any name;
// a bare token such as "{Executable}" is accepted for the template to fill.
func CheckExecutable(exe string) error {
	if HasPlaceholder(exe) && !strings.Contains(exe, ".") {
		return nil
	}
	if !strings.HasSuffix(strings.ToLower(exe), ".exe") || len(exe) <= len(".exe") {
		return &InvalidValueError{Attr: "Executable", Value: exe, Reason: "is not an .exe"}
	}
	if why := fileNameProblem(exe); why != "" {
		return &InvalidValueError{Attr: "Executable", Value: exe, Reason: why}
	}
	return nil
}

// CheckStartPage returns an *InvalidValueError when page cannot be the
// StartPage of an Extension: a file in the package, by the schema's
// ST_FileName.
func CheckStartPage(page string) error {
	if why := fileNameProblem(page); why != "" {
		return &InvalidValueError{Attr: "StartPage", Value: page, Reason: why}
	}
	return nil
}

// fileNameProblem says why name is not an ST_FileName of the manifest
// schema (AppxManifestTypes.xsd), "" when it is one: a path relative to the
// package root, its segments separated by \ or by / (not both), none empty,
// none ending in a dot (so no . or ..), and none of the characters
// < > " : % | ? * or a control character (ST_FileNameCharSet). A value with
// a template token is judged once the token is replaced.
func fileNameProblem(name string) string {
	if HasPlaceholder(name) {
		return ""
	}
	if name == "" {
		return "is empty"
	}
	if strings.TrimSpace(name) != name {
		return "starts or ends with white space"
	}
	for _, c := range name {
		switch {
		case c >= 0x01 && c <= 0x1f:
			return "holds a control character; a file name in a package cannot"
		case strings.ContainsRune(`<>":%|?*`, c):
			reason := fmt.Sprintf("holds %q, which a file name in a package cannot hold", c)
			if c == ':' {
				reason += " (it is a path inside the package, relative to its root, not a drive path)"
			}
			return reason
		}
	}
	sep := `\`
	if strings.Contains(name, "/") {
		if strings.Contains(name, `\`) {
			return `mixes / and \ as separators; use one`
		}
		sep = "/"
	}
	for _, seg := range strings.Split(name, sep) {
		switch {
		case seg == "":
			return "is not a path relative to the package root (it starts or ends with a separator, or has two in a row)"
		case strings.HasSuffix(seg, "."):
			return fmt.Sprintf("has the path segment %q, which is . or .. or ends in a dot; name the file by its path from the package root", seg)
		}
	}
	return ""
}

// placeholderPattern matches the tokens of Visual Studio templates
// ($safeprojectname$, $targetnametoken$) and of CLI templates ({PackageName}).
// It is compiled on first use, not at every start of bgtask.
var placeholderPattern = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`\$[A-Za-z][A-Za-z0-9_]*\$|\{[A-Za-z][A-Za-z0-9_]*\}`)
})

// HasPlaceholder reports whether s holds a template token, replaced at build
// time, so that its value cannot be judged yet. Almost no value has a '$' or
// '{', so the pattern runs only on those that do.
func HasPlaceholder(s string) bool {
	return strings.ContainsAny(s, "${") && placeholderPattern().MatchString(s)
}

// isSourceOrBinaryExtension reports file extensions that show up by mistake
// where a class name belongs.
func isSourceOrBinaryExtension(ext string) bool {
	switch ext {
	case "cpp", "cxx", "cc", "c", "h", "hpp", "cs", "vb", "fs", "js", "ts", "xaml",
		"dll", "exe", "winmd", "idl", "html", "htm":
		return true
	}
	return false
}

// isIdentifier follows the identifier rule of C# and C++/CX, the languages
// task classes are written in: a letter or underscore, then letters, digits,
// underscores and combining marks.
func isIdentifier(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if r == '_' || unicode.IsLetter(r) || (i > 0 && (unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r))) {
			continue
		}
		return false
	}
	return true
}
