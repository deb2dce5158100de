package tasks

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"
)

// Registration is one entry of AllTasks: what BackgroundTaskBuilder.Register
// returned as a BackgroundTaskRegistration, plus the plugin that runs it here.
type Registration struct {
	// TaskID is the Guid Windows would generate at Register; kept for the
	// life of the registration.
	TaskID     uuid.UUID
	Name       string
	EntryPoint string // TaskEntryPoint: Namespace.Class, or a JS start page
	Trigger    Trigger
	// Conditions are canonical: sorted by value, each once.
	Conditions            []SystemConditionType
	CancelOnConditionLoss bool
	// Plugin is the task plugin executable as stored: an absolute path, or a
	// slash-separated path relative to the registry's folder (resolve it with
	// Registry.PluginPath). Empty when none was given.
	Plugin string
	// PluginArgs are the arguments the plugin is started with.
	PluginArgs []string
	// ExamplePlugin: the task runs on the example plugin built into bgtask
	// (whichever bgtask binary delivers), not on a file the registry names.
	ExamplePlugin bool
	Registered    time.Time // UTC, whole seconds

	// fileIndex is the registration's place in the file it was read from,
	// which the registry's order (by name) does not keep (Occurrence).
	fileIndex int
}

// Request is what a caller asks Register to add.
type Request struct {
	Name                  string
	EntryPoint            string
	Trigger               Trigger
	Conditions            []SystemConditionType
	CancelOnConditionLoss bool
	// Plugin is a path as the user typed it: relative paths are relative to
	// the working folder. Register stores it relative to the registry.
	Plugin        string
	PluginArgs    []string
	ExamplePlugin bool
}

// sameSettings reports whether a and b would behave identically: every field
// but the TaskId and the registration time.
func (a Registration) sameSettings(b Registration) bool {
	return a.Name == b.Name &&
		a.EntryPoint == b.EntryPoint &&
		a.Trigger == b.Trigger &&
		slices.Equal(a.Conditions, b.Conditions) &&
		a.CancelOnConditionLoss == b.CancelOnConditionLoss &&
		a.Plugin == b.Plugin &&
		slices.Equal(a.PluginArgs, b.PluginArgs) &&
		a.ExamplePlugin == b.ExamplePlugin
}

// differences names each setting in which asked differs from a, the
// registered one, with both values, so that a refused register says what to
// change rather than leaving two summaries to compare by eye. plugin gives
// a registration's plugin as it is shown.
func (a Registration) differences(asked Registration, plugin func(Registration) string) []string {
	var d []string
	differ := func(setting, registered, wanted string) {
		d = append(d, fmt.Sprintf("%s %s (registered: %s)", setting, wanted, registered))
	}
	if a.EntryPoint != asked.EntryPoint {
		differ("entry point", a.EntryPoint, asked.EntryPoint)
	}
	if a.Trigger != asked.Trigger {
		differ("trigger", a.Trigger.String(), asked.Trigger.String())
	}
	if !slices.Equal(a.Conditions, asked.Conditions) {
		differ("conditions", a.conditionList(), asked.conditionList())
	}
	if a.CancelOnConditionLoss != asked.CancelOnConditionLoss {
		differ("cancel on condition loss", onOff(a.CancelOnConditionLoss), onOff(asked.CancelOnConditionLoss))
	}
	if a.Plugin != asked.Plugin {
		// As the user names it from the working folder, not as stored
		// (relative to the registry's folder).
		differ("plugin", orNone(plugin(a)), orNone(plugin(asked)))
	}
	if !slices.Equal(a.PluginArgs, asked.PluginArgs) {
		differ("plugin arguments", quotedList(a.PluginArgs), quotedList(asked.PluginArgs))
	}
	if a.ExamplePlugin != asked.ExamplePlugin {
		differ("the built-in example plugin", onOff(a.ExamplePlugin), onOff(asked.ExamplePlugin))
	}
	return d
}

func (a Registration) conditionList() string {
	if len(a.Conditions) == 0 {
		return "none"
	}
	return strings.Join(a.ConditionNames(), "+")
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

func quotedList(args []string) string {
	if len(args) == 0 {
		return "none"
	}
	q := make([]string, len(args))
	for i, arg := range args {
		q[i] = fmt.Sprintf("%q", arg)
	}
	return strings.Join(q, " ")
}

// ConditionNames returns the conditions' SystemConditionType names.
func (a Registration) ConditionNames() []string {
	names := make([]string, 0, len(a.Conditions))
	for _, c := range a.Conditions {
		names = append(names, c.String())
	}
	return names
}

// Summary is a one-line description for messages.
func (a Registration) Summary() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (TaskId %s): entry point %s, trigger %s", a.Name, a.TaskID, a.EntryPoint, a.Trigger)
	if len(a.Conditions) > 0 {
		fmt.Fprintf(&b, ", conditions %s", strings.Join(a.ConditionNames(), "+"))
	}
	if a.CancelOnConditionLoss {
		b.WriteString(", cancel on condition loss")
	}
	if a.Plugin != "" {
		fmt.Fprintf(&b, ", plugin %s", a.Plugin)
		for _, arg := range a.PluginArgs {
			fmt.Fprintf(&b, " %q", arg)
		}
	}
	if a.ExamplePlugin {
		b.WriteString(", the built-in example plugin")
	}
	return b.String()
}

// validate checks the parts of a registration that do not depend on the
// rest of the registry or the manifest. It is applied both to new requests
// and to every registration read from a file; both callers have already made
// the conditions canonical (canonicalConditions, ParseConditions), which
// refuses invalid ones.
func (a Registration) validate() error {
	if err := validateName(a.Name); err != nil {
		return err
	}
	if err := validateEntryPoint(a.EntryPoint); err != nil {
		return err
	}
	if _, err := ParseTrigger(a.Trigger.String()); err != nil {
		return err
	}
	if err := faithful("plugin", a.Plugin); err != nil {
		return err
	}
	for _, arg := range a.PluginArgs {
		// A NUL cannot be passed to a process; other controls could not be shown faithfully.
		if err := faithful("plugin arguments", arg); err != nil {
			return err
		}
	}
	switch {
	case len(a.PluginArgs) > 0 && a.Plugin == "":
		return &InputError{Field: "plugin arguments", Value: strings.Join(a.PluginArgs, " "), Reason: "are given without a plugin to pass them to"}
	case a.ExamplePlugin && a.Plugin != "":
		return &InputError{Field: "plugin", Value: a.Plugin, Reason: "is given together with the built-in example plugin; a registration runs on one plugin"}
	}
	return nil
}

// validateName refuses names that could not be told apart or printed: empty,
// surrounded by spaces, or not faithful.
func validateName(name string) error {
	switch {
	case name == "":
		return &InputError{Field: "name", Reason: "a registration needs a name (BackgroundTaskBuilder.Name)"}
	case strings.TrimSpace(name) != name:
		return &InputError{Field: "name", Value: name, Reason: "starts or ends with white space"}
	}
	return faithful("name", name)
}

// faithful refuses a value that could not be stored and shown as given:
// bytes that are not UTF-8 (JSON would store U+FFFD in their place, so the
// same bytes could never unregister it, and Windows' names are UTF-16 text),
// control characters (a newline forges output lines, ESC starts terminal
// sequences), and invisible formatting characters: a right-to-left override
// (U+202E) or a zero-width space makes a name read as another one.
func faithful(field, value string) error {
	if printableASCII(value) {
		return nil // no control, formatting or invalid byte is printable ASCII
	}
	if !utf8.ValidString(value) {
		return &InputError{Field: field, Value: value, Reason: "is not valid UTF-8 text; it could not be stored as given"}
	}
	for _, r := range value {
		switch {
		case unicode.IsControl(r):
			return &InputError{Field: field, Value: value, Reason: "contains a control character"}
		case unicode.In(r, unicode.Cf, unicode.Zl, unicode.Zp):
			return &InputError{Field: field, Value: value, Reason: fmt.Sprintf(
				"contains %U, an invisible formatting character (a bidirectional override, a zero-width character or a line separator) that makes text read differently from what it is", r)}
		}
	}
	return nil
}

// validateEntryPoint: an out-of-process task needs TaskEntryPoint
// (windows-facts.md §3 "Register()"); bgtask runs every task as a process.
func validateEntryPoint(ep string) error {
	switch {
	case ep == "":
		return &InputError{Field: "entry point", Reason: "an out-of-process task needs an entry point (Namespace.Class), or Register throws"}
	case strings.TrimSpace(ep) != ep:
		return &InputError{Field: "entry point", Value: ep, Reason: "starts or ends with white space"}
	}
	return faithful("entry point", ep)
}

// printableASCII reports whether s is all U+0020-U+007E: nearly every name,
// entry point and path, which faithful then need not look up rune by rune.
func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}
