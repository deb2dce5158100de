package manifest

import (
	"fmt"
	"slices"
	"strings"
)

// TaskType is a Task Type value a generation accepts and the namespace of the
// Task element it must be written in (windows-facts.md §1 "Task Type values").
type TaskType struct {
	Name      string
	Namespace string
}

// TaskNamespace is one namespace a Task element may be written in, in one
// generation, with the Type values it accepts there. This table is the one
// place bgtask knows the schema's task types: `manifest add` and `lint` both
// read it (windows-facts.md §1 "Task Type values" and §8).
type TaskNamespace struct {
	URI   string
	Label string // how manifests write the element: "Task", "m2:Task", "uap:Task"
	Types []string
	// Confirmed is false where the list itself is not confirmed (Windows
	// Phone 8.1's m3:Task): there only a known value in the wrong case is
	// certainly a mistake.
	Confirmed bool
}

// TaskNamespaces returns the Task namespaces of a generation, in the order a
// new task's namespace is chosen from.
func TaskNamespaces(gen Generation) []TaskNamespace {
	win8 := []string{"audio", "controlChannel", "systemEvent", "timer", "pushNotification"}
	task2010 := TaskNamespace{URI: NSWin8, Label: "Task", Types: win8, Confirmed: true}
	// m2:Task is a TaskChoice substitute for the 2010 Task, so it takes the
	// Windows 8 values too: flagging a valid manifest is worse than missing
	// an odd one.
	m2 := TaskNamespace{URI: NSWin81M2, Label: "m2:Task", Confirmed: true,
		Types: slices.Concat(win8, []string{"location", "deviceUse", "deviceServicing"})}
	switch gen {
	case GenWin8:
		return []TaskNamespace{task2010}
	case GenWin81:
		return []TaskNamespace{task2010, m2}
	case GenPhone81:
		// The two values seen in shipped apps, then the rest of
		// ST_BackgroundTasks_2014 in msix-packaging's AppxManifestTypes.xsd;
		// which list m3:Task takes is not confirmed.
		m3 := TaskNamespace{URI: NSPhoneM3, Label: "m3:Task", Types: []string{
			"rfcommConnection", "gattCharacteristicNotification",
			"chatMessageNotification", "deviceConnectionChange", "bluetoothSignalStrength"}}
		return []TaskNamespace{task2010, m2, m3}
	case GenWin10:
		return []TaskNamespace{
			{URI: NSFoundation, Label: "Task", Confirmed: true, Types: []string{"general", "audio", "controlChannel",
				"systemEvent", "timer", "pushNotification", "location", "deviceUse", "deviceServicing",
				"deviceConnectionChange", "bluetooth"}},
			// uap:Task, minimum build 10586.
			{URI: NSUAP, Label: "uap:Task", Confirmed: true, Types: []string{"chatMessageNotification", "vpnClient", "phoneCall", "mediaProcessing"}},
			// IoT Core's headless startup task.
			{URI: NSIoT, Label: "iot:Task", Confirmed: true, Types: []string{"startup"}},
		}
	}
	return nil
}

// TaskTypes returns the task types add accepts for a generation, each in the
// first namespace that takes it.
func TaskTypes(gen Generation) []TaskType {
	var out []TaskType
	for _, ns := range TaskNamespaces(gen) {
		for _, name := range ns.Types {
			if _, seen := lookupTaskType(out, name); !seen {
				out = append(out, TaskType{Name: name, Namespace: ns.URI})
			}
		}
	}
	return out
}

// lookupTaskType finds name (case-sensitive, as Windows is) among types.
func lookupTaskType(types []TaskType, name string) (TaskType, bool) {
	for _, t := range types {
		if t.Name == name {
			return t, true
		}
	}
	return TaskType{}, false
}

// suggestTaskType returns a valid type that differs from name only in case.
func suggestTaskType(types []TaskType, name string) string {
	for _, t := range types {
		if strings.EqualFold(t.Name, name) {
			return t.Name
		}
	}
	return ""
}

// triggerTaskTypes are the task types the triggers need, by the names
// people reach for first: bgtask's own trigger names (--trigger push) and
// the WinRT trigger classes without "Trigger".
var triggerTaskTypes = map[string]string{
	"push": "pushNotification", "pushnotificationtrigger": "pushNotification", "raw": "pushNotification",
	"system": "systemEvent", "systemtrigger": "systemEvent",
	"application": "general", "applicationtrigger": "general",
	"maintenance": "general", "maintenancetrigger": "general",
	"time": "timer", "timetrigger": "timer",
	"chat": "chatMessageNotification", "chatmessage": "chatMessageNotification",
	"phone": "phoneCall", "vpn": "vpnClient", "media": "mediaProcessing",
}

// taskTypeHint says which valid type a user most likely meant by an unknown
// name, and why; "" when nothing is close.
func taskTypeHint(types []TaskType, name string) string {
	if s := suggestTaskType(types, name); s != "" {
		return fmt.Sprintf(" (task types are case-sensitive: did you mean %s?)", s)
	}
	lower := strings.ToLower(name)
	if want, ok := triggerTaskTypes[lower]; ok {
		if _, valid := lookupTaskType(types, want); valid {
			return fmt.Sprintf(" (did you mean %s? %s names a trigger; the task type it needs is %s)", want, name, want)
		}
	}
	best, bestDist := "", -1
	for _, t := range types {
		tl := strings.ToLower(t.Name)
		d := editDistance(lower, tl)
		if len(lower) >= 3 && strings.HasPrefix(tl, lower) {
			d = 1
		}
		if d <= max(2, len(name)/3) && (bestDist < 0 || d < bestDist) {
			best, bestDist = t.Name, d
		}
	}
	if best != "" {
		return fmt.Sprintf(" (did you mean %s?)", best)
	}
	return ""
}

// editDistance is the Levenshtein distance between a and b, in bytes. (A copy
// of internal/textdist's: pkg/manifest imports nothing of bgtask's.)
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// NamespaceLabel is how people write a namespace's prefix in docs and
// messages ("uap", "m2", "iot"); "" for the manifest's main namespaces.
func NamespaceLabel(uri string) string {
	switch {
	case uri == NSWin8, uri == NSFoundation:
		return ""
	case uri == NSWin81M2:
		return "m2"
	case uri == NSPhoneM3:
		return "m3"
	case uri == NSPhoneMP:
		return "mp"
	case uri == NSUAP:
		return "uap"
	case strings.HasPrefix(uri, NSUAPPrefix):
		return "uap" + strings.TrimPrefix(uri, NSUAPPrefix)
	case uri == NSIoT:
		return "iot"
	}
	return ""
}
