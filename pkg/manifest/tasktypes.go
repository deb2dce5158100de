package manifest

import (
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
