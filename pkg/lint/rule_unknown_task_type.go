package lint

import (
	"fmt"
	"slices"
	"strings"

	"github.com/bgtask/bgtask/pkg/manifest"
)

// ruleUnknownTaskType reports a Task Type the manifest's generation does not
// accept in the Task element's namespace.
type ruleUnknownTaskType struct{ RuleBase }

func newRuleUnknownTaskType() Rule {
	return ruleUnknownTaskType{RuleBase{RuleInfo{
		ID:       "BT002",
		Name:     "unknown-task-type",
		Severity: SeverityError,
		Short:    "a Task Type that this manifest generation and namespace do not accept",
		What: `Every <Task Type="..."> must be one of the values its generation's schema lists
for the Task element's namespace, spelled with the exact case:
  Windows 8 (appx/2010) Task: audio, controlChannel, systemEvent, timer, pushNotification.
  Windows 8.1 m2:Task adds location, deviceUse, deviceServicing.
  Windows 10 Task: general, audio, controlChannel, systemEvent, timer, pushNotification,
    location, deviceUse, deviceServicing, deviceConnectionChange, bluetooth.
  Windows 10 uap:Task: chatMessageNotification, vpnClient, phoneCall, mediaProcessing.
  IoT iot:Task: startup.
A Task element without a Type attribute is reported too (Type is required).
Windows Phone 8.1 m3:Task values are not confirmed; only case mistakes of known
values are reported there (the m3 values seen in apps, rfcommConnection and
gattCharacteristicNotification, and the rest of the schema's 2014 list:
chatMessageNotification, deviceConnectionChange, bluetoothSignalStrength).`,
		Why: `An unknown value fails schema validation when the package is built, and a value
in the wrong namespace (phoneCall in a plain Task, startup outside iot:Task) is
just as invalid. Values are case-sensitive: "pushnotification" is not
"pushNotification".`,
		Fix: `Use the value and element the message names; for a value of another namespace,
move it into that element (<uap:Task Type="phoneCall"/>) and declare the
namespace on <Package>.`,
		Source: `docs/windows.md "Task types" (microsoft/msix-packaging AppxManifestTypes.xsd:
ST_BackgroundTasks_2010, _2013, _2014, _Foundation, _Uap and _Iot, used by Task, uap:Task and
iot:Task in FoundationManifestSchema.xsd, UapManifestSchema.xsd and IotManifestSchema.xsd,
where Type is required; https://learn.microsoft.com/uwp/schemas/appxpackage/uapmanifestschema/element-task,
element-uap-task).`,
	}}}
}

func (r ruleUnknownTaskType) Check(p *Pass) {
	gen := p.Generation()
	namespaces := taskNamespaces(gen)
	if namespaces == nil {
		return
	}
	for _, d := range p.Declarations() {
		for _, t := range d.Tasks {
			if t.Type == "" {
				if _, ok := p.attrOffsetIn(t.Pos.Offset, "Type"); !ok {
					r.missingType(p, namespaces, t)
					continue
				}
			}
			if manifest.HasPlaceholder(t.Type) {
				continue
			}
			if msg := taskTypeProblem(namespaces, gen, t); msg != "" {
				p.Reportf(p.attrPosIn(t.Pos, "Type"), "%s", msg)
			}
		}
	}
}

// missingType reports a Task element without the Type attribute the schema
// requires (Type="" is a value, judged like any other). A Task of a namespace
// this generation does not know is left alone, as in taskTypeProblem.
func (r ruleUnknownTaskType) missingType(p *Pass, namespaces []manifest.TaskNamespace, t manifest.TaskDecl) {
	own := namespaceOf(namespaces, t.Namespace)
	if own == nil {
		return
	}
	if name, ok := attrNameFold(p.Data, t.Pos.Offset, "Type"); ok {
		p.Reportf(p.attrPosIn(t.Pos, name), "<%s> has %s=... but no Type attribute: attribute names are case-sensitive; write Type=...", own.Label, name)
		return
	}
	p.Reportf(t.Pos, "<%s> has no Type attribute; add the task type it handles, for example <%s Type=%q/>",
		own.Label, own.Label, own.Types[0])
}

// taskTypeProblem explains what is wrong with t, or returns "".
func taskTypeProblem(namespaces []manifest.TaskNamespace, gen manifest.Generation, t manifest.TaskDecl) string {
	own := namespaceOf(namespaces, t.Namespace)
	if own == nil {
		// A Task in a namespace this generation does not know (or one whose
		// prefix is undeclared, which BT014 reports) is not judged here.
		return ""
	}
	if slices.Contains(own.Types, t.Type) {
		return ""
	}
	if right, ok := equalFoldIn(own.Types, t.Type); ok {
		return fmt.Sprintf("Task Type %q is not valid: task types are case-sensitive; write %q", t.Type, right)
	}
	for _, other := range namespaces {
		if other.URI == own.URI || !other.Confirmed {
			continue
		}
		if right, ok := equalFoldIn(other.Types, t.Type); ok {
			msg := fmt.Sprintf("Task Type %q is not valid in %s; it belongs in %s: write <%s Type=%q/>",
				t.Type, own.Label, other.Label, other.Label, right)
			if prefix, _, ok := strings.Cut(other.Label, ":"); ok {
				msg += fmt.Sprintf(" with xmlns:%s=%q declared on <Package>", prefix, other.URI)
			}
			return msg
		}
	}
	if !own.Confirmed {
		// Unconfirmed value lists: only a known value with the wrong case
		// (any namespace) is certainly wrong.
		for _, list := range [][]string{
			taskTypesOf(manifest.GenWin10, manifest.NSFoundation), taskTypesOf(manifest.GenWin10, manifest.NSUAP),
			taskTypesOf(manifest.GenWin81, manifest.NSWin81M2), taskTypesOf(manifest.GenPhone81, manifest.NSPhoneM3),
		} {
			if right, ok := equalFoldIn(list, t.Type); ok && right != t.Type {
				return fmt.Sprintf("Task Type %q is not valid: task types are case-sensitive; write %q", t.Type, right)
			}
		}
		return ""
	}
	if later := laterGenerationFor(gen, t.Type); later != "" {
		return fmt.Sprintf("Task Type %q is not valid in a %s %s; %s; valid values here: %s",
			t.Type, generationLabel(gen), own.Label, later, strings.Join(own.Types, ", "))
	}
	return fmt.Sprintf("unknown Task Type %q for %s in a %s manifest; valid values: %s",
		t.Type, own.Label, generationLabel(gen), strings.Join(own.Types, ", "))
}

// laterGenerationFor says where a value that is not valid here would be.
func laterGenerationFor(gen manifest.Generation, typ string) string {
	switch {
	case gen == manifest.GenWin8 && slices.Contains(taskTypesOf(manifest.GenWin81, manifest.NSWin81M2), typ):
		return "it needs an m2:Task element (Windows 8.1, xmlns:m2=\"" + manifest.NSWin81M2 + "\")"
	case gen != manifest.GenWin10 && slices.Contains(taskTypesOf(manifest.GenWin10, manifest.NSFoundation), typ):
		return "it exists only in Windows 10 manifests"
	case gen != manifest.GenWin10 && slices.Contains(taskTypesOf(manifest.GenWin10, manifest.NSUAP), typ):
		return "it exists only in Windows 10 manifests, as uap:Task"
	}
	return ""
}

func generationLabel(gen manifest.Generation) string {
	switch gen {
	case manifest.GenWin8:
		return "Windows 8"
	case manifest.GenWin81:
		return "Windows 8.1"
	case manifest.GenPhone81:
		return "Windows Phone 8.1"
	case manifest.GenWin10:
		return "Windows 10"
	}
	return "unknown-generation"
}
