package lint

import (
	"strings"
	"sync"

	"github.com/bgtask/bgtask/pkg/manifest"
)

// The Task Type values come from manifest.TaskNamespaces, the one table of
// the schema's task types that `manifest add` uses too.

// taskNamespaces is manifest.TaskNamespaces(gen), made once per generation
// and shared: every manifest asks, and the rules only read it.
func taskNamespaces(gen manifest.Generation) []manifest.TaskNamespace {
	if ns, ok := taskNamespacesByGen()[gen]; ok {
		return ns
	}
	return manifest.TaskNamespaces(gen)
}

var taskNamespacesByGen = sync.OnceValue(func() map[manifest.Generation][]manifest.TaskNamespace {
	m := map[manifest.Generation][]manifest.TaskNamespace{}
	for _, gen := range []manifest.Generation{manifest.GenWin8, manifest.GenWin81, manifest.GenPhone81, manifest.GenWin10, manifest.GenUnknown} {
		m[gen] = manifest.TaskNamespaces(gen)
	}
	return m
})

// taskTypesOf returns the Type values of the Task namespace uri in gen.
func taskTypesOf(gen manifest.Generation, uri string) []string {
	if ns := namespaceOf(taskNamespaces(gen), uri); ns != nil {
		return ns.Types
	}
	return nil
}

// namespaceOf finds the Task namespace with URI uri, or nil.
func namespaceOf(namespaces []manifest.TaskNamespace, uri string) *manifest.TaskNamespace {
	for i := range namespaces {
		if namespaces[i].URI == uri {
			return &namespaces[i]
		}
	}
	return nil
}

// lockScreenTaskTypes need the app on the lock screen on Windows 8 and 8.1
// (APPX1675 names timer, control channel, push notification and location).
func lockScreenTaskTypes() []string {
	return []string{"timer", "pushNotification", "controlChannel", "location"}
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
