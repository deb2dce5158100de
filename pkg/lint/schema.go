package lint

import (
	"strings"

	"github.com/bgtask/bgtask/pkg/manifest"
)

// The Task Type values each manifest generation accepts, per namespace of
// the Task element (windows-facts.md §1 "Task Type values" and §8).
//
// Windows 8.1's m2:Task is documented as adding location, deviceUse and
// deviceServicing; it also accepts the five Windows 8 values here, because
// flagging a valid manifest is worse than missing an odd one. Windows Phone
// 8.1's m3:Task list is not confirmed, so only case mistakes of known values
// are reported there.

func win8TaskTypes() []string {
	return []string{"audio", "controlChannel", "systemEvent", "timer", "pushNotification"}
}

func m2TaskTypes() []string {
	return append(win8TaskTypes(), "location", "deviceUse", "deviceServicing")
}

func foundationTaskTypes() []string {
	return []string{"general", "audio", "controlChannel", "systemEvent", "timer", "pushNotification",
		"location", "deviceUse", "deviceServicing", "deviceConnectionChange", "bluetooth"}
}

func uapTaskTypes() []string {
	return []string{"chatMessageNotification", "vpnClient", "phoneCall", "mediaProcessing"}
}

func iotTaskTypes() []string { return []string{"startup"} }

// m3TaskTypesSeen are Windows Phone 8.1 m3:Task values: the two seen in use
// (rfcommConnection, gattCharacteristicNotification) and the rest of
// ST_BackgroundTasks_2014 in microsoft/msix-packaging's AppxManifestTypes.xsd,
// the appx/2014 list. Which of the 2010/2013/2014 lists m3:Task accepts is
// not confirmed, so the list only serves to catch case mistakes.
// "bluetooth" is the Windows 10 value the porting doc replaces them with.
func m3TaskTypesSeen() []string {
	return []string{"rfcommConnection", "gattCharacteristicNotification", "chatMessageNotification",
		"deviceConnectionChange", "bluetoothSignalStrength", "bluetooth"}
}

// taskNamespace describes the namespace a Task element is in, for messages.
type taskNamespace struct {
	uri    string
	label  string   // how users write it: "Task", "uap:Task"
	types  []string // valid values; nil when not checked
	strict bool     // false: only case mistakes of known values are reported
}

// taskNamespacesFor returns the Task namespaces valid in a generation.
func taskNamespacesFor(gen manifest.Generation) []taskNamespace {
	switch gen {
	case manifest.GenWin8:
		return []taskNamespace{{uri: manifest.NSWin8, label: "Task", types: win8TaskTypes(), strict: true}}
	case manifest.GenWin81:
		return []taskNamespace{
			{uri: manifest.NSWin8, label: "Task", types: win8TaskTypes(), strict: true},
			{uri: manifest.NSWin81M2, label: "m2:Task", types: m2TaskTypes(), strict: true},
		}
	case manifest.GenPhone81:
		return []taskNamespace{
			{uri: manifest.NSWin8, label: "Task", types: win8TaskTypes(), strict: true},
			{uri: manifest.NSWin81M2, label: "m2:Task", types: m2TaskTypes(), strict: true},
			{uri: manifest.NSPhoneM3, label: "m3:Task", types: m3TaskTypesSeen(), strict: false},
		}
	case manifest.GenWin10:
		return []taskNamespace{
			{uri: manifest.NSFoundation, label: "Task", types: foundationTaskTypes(), strict: true},
			{uri: manifest.NSUAP, label: "uap:Task", types: uapTaskTypes(), strict: true},
			{uri: manifest.NSIoT, label: "iot:Task", types: iotTaskTypes(), strict: true},
		}
	}
	return nil
}

// lockScreenTaskTypes need the app on the lock screen on Windows 8 and 8.1
// (APPX1675 names timer, control channel, push notification and location).
func lockScreenTaskTypes() []string {
	return []string{"timer", "pushNotification", "controlChannel", "location"}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// equalFoldIn returns the element of list equal to s ignoring case.
func equalFoldIn(list []string, s string) (string, bool) {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return v, true
		}
	}
	return "", false
}

// maxTasks is how many Task elements one BackgroundTasks may hold
// (windows-facts.md §1 "The BackgroundTasks element"): Windows 8 Task{1,5},
// Windows 8.1 TaskChoice{1,8}, Windows 10 Task{1,17}.
func (f *File) maxTasks() (limit int, label string) {
	switch f.Generation() {
	case manifest.GenWin10:
		return 17, "Windows 10"
	case manifest.GenWin81:
		return 8, "Windows 8.1"
	case manifest.GenPhone81:
		return 8, "Windows Phone 8.1"
	case manifest.GenWin8:
		if f.targetsWindows81() {
			return 8, "Windows 8.1"
		}
		return 5, "Windows 8"
	}
	return 0, ""
}
