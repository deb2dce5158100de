// Package manifest reads, queries and edits the background task declarations
// of a Windows app manifest (Package.appxmanifest, AppxManifest.xml) of every
// generation: Windows 8 (appx/2010), 8.1 (m2), Phone 8.1 (m3), Windows 10
// foundation with uap*/iot, and Windows App SDK.
//
// Elements are matched by namespace URI, never by prefix. Edits are spliced
// into the original bytes so that everything outside the changed element
// (line endings, BOM, comments, quoting, character references) stays as it
// was. The checks a declaration's values must pass (CheckEntryPoint,
// CheckExecutable) live here so that add and lint share them. It imports
// nothing else of bgtask.
package manifest

import "github.com/beevik/etree"

// Namespace URIs, by what they are called in the schema documentation.
const (
	NSWin8       = "http://schemas.microsoft.com/appx/2010/manifest"
	NSWin81M2    = "http://schemas.microsoft.com/appx/2013/manifest"
	NSPhoneM3    = "http://schemas.microsoft.com/appx/2014/manifest"
	NSPhoneMP    = "http://schemas.microsoft.com/appx/2014/phone/manifest"
	NSFoundation = "http://schemas.microsoft.com/appx/manifest/foundation/windows10"
	NSUAP        = "http://schemas.microsoft.com/appx/manifest/uap/windows10"
	// NSUAPPrefix + "N" is uapN (uap4 = NSUAPPrefix + "4").
	NSUAPPrefix = "http://schemas.microsoft.com/appx/manifest/uap/windows10/"
	NSIoT       = "http://schemas.microsoft.com/appx/manifest/iot/windows10"
)

// BackgroundTasksCategory is the Extension Category of a background task declaration.
const BackgroundTasksCategory = "windows.backgroundTasks"

// Generation is the manifest schema generation, decided from the root
// element's namespace and the namespaces in use.
type Generation string

const (
	GenWin8    Generation = "win8"    // appx/2010 only
	GenWin81   Generation = "win81"   // appx/2010 with m2 (appx/2013)
	GenPhone81 Generation = "wp81"    // m3 (appx/2014) present
	GenWin10   Generation = "win10"   // foundation/windows10 (UWP, Windows App SDK, desktop)
	GenUnknown Generation = "unknown" // some other root namespace
)

// Pos is a 1-based position in the manifest file, plus the byte offset.
// Columns count bytes from the start of the line.
type Pos struct {
	Line   int `json:"line"`
	Col    int `json:"col"`
	Offset int `json:"-"`
}

// TaskDecl is one <Task Type="..."/> of a declaration.
type TaskDecl struct {
	Type      string `json:"type"`
	Namespace string `json:"namespace"` // namespace URI of the Task element
	Pos       Pos    `json:"pos"`
}

// Declaration is one <Extension Category="windows.backgroundTasks"> and its tasks.
type Declaration struct {
	// App is the Id of the Application the Extension sits in; empty with
	// PackageLevel set for a (misplaced) package-level Extension.
	App          string `json:"app"`
	PackageLevel bool   `json:"packageLevel,omitempty"`

	EntryPoint    string `json:"entryPoint,omitempty"`
	StartPage     string `json:"startPage,omitempty"`
	Executable    string `json:"executable,omitempty"`
	RuntimeType   string `json:"runtimeType,omitempty"`
	ResourceGroup string `json:"resourceGroup,omitempty"`

	// From the BackgroundTasks element.
	ServerName                string `json:"serverName,omitempty"`
	SupportsMultipleInstances string `json:"supportsMultipleInstances,omitempty"`

	Tasks []TaskDecl `json:"tasks"`

	Pos     Pos            `json:"pos"` // of the Extension start tag
	Element *etree.Element `json:"-"`   // the Extension element
}

// Types returns the declaration's task types in document order.
func (d Declaration) Types() []string {
	types := make([]string, 0, len(d.Tasks))
	for _, t := range d.Tasks {
		types = append(types, t.Type)
	}
	return types
}

// HasType reports whether the declaration declares task type t (case-sensitive, as Windows is).
func (d Declaration) HasType(t string) bool {
	for _, task := range d.Tasks {
		if task.Type == t {
			return true
		}
	}
	return false
}
