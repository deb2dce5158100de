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

// TaskTypes returns the task types add accepts for a generation, in schema
// order. Windows Phone 8.1's m3 list is not confirmed, so only the m3 values
// seen in shipped apps are offered; anything else a phone app needs can be
// written by hand, and lint does not flag unknown m3 values.
func TaskTypes(gen Generation) []TaskType {
	win8 := []string{"audio", "controlChannel", "systemEvent", "timer", "pushNotification"}
	switch gen {
	case GenWin8:
		return typesIn(NSWin8, win8...)
	case GenWin81:
		return append(typesIn(NSWin8, win8...), typesIn(NSWin81M2, "location", "deviceUse", "deviceServicing")...)
	case GenPhone81:
		return slices.Concat(typesIn(NSWin8, win8...),
			typesIn(NSWin81M2, "location", "deviceUse", "deviceServicing"),
			typesIn(NSPhoneM3, "rfcommConnection", "gattCharacteristicNotification", "bluetooth"))
	case GenWin10:
		return slices.Concat(
			typesIn(NSFoundation, "general", "audio", "controlChannel", "systemEvent", "timer", "pushNotification",
				"location", "deviceUse", "deviceServicing", "deviceConnectionChange", "bluetooth"),
			// uap:Task, minimum build 10586.
			typesIn(NSUAP, "chatMessageNotification", "vpnClient", "phoneCall", "mediaProcessing"),
			// IoT Core's headless startup task.
			typesIn(NSIoT, "startup"))
	}
	return nil
}

func typesIn(ns string, names ...string) []TaskType {
	out := make([]TaskType, len(names))
	for i, n := range names {
		out[i] = TaskType{Name: n, Namespace: ns}
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
