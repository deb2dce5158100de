package manifest

import (
	"fmt"
	"slices"
	"strings"

	"github.com/beevik/etree"
)

// Remove is the mirror of Add: it deletes the target's declaration, or with
// req.Type only that Task (the whole declaration when it is the last one),
// and an application <Extensions> it leaves empty. Removing what is not
// declared changes nothing and says so.
func (d *Document) Remove(req RemoveRequest) (EditResult, error) {
	if err := req.validate(); err != nil {
		return EditResult{}, err
	}
	app, appID, err := d.application(req.App)
	if err != nil {
		return EditResult{}, err
	}
	decls := d.findDeclarations(app, req.Target)
	if len(decls) == 0 {
		return d.unchanged(appID, fmt.Sprintf("not declared: no %s in application %s%s; nothing changed",
			req.describe(), appID, d.declaredHint(app))), nil
	}
	// One edit changes one place. With the class declared twice (BT008),
	// the first declaration that has what is removed goes, and the message
	// says where the rest is, so that removing it again removes that too.
	decl := decls[0]
	if req.Type != "" {
		i := slices.IndexFunc(decls, func(other Declaration) bool { return other.HasType(req.Type) })
		if i < 0 {
			where := fmt.Sprintf("%s:%d:%d", d.Path, decl.Pos.Line, decl.Pos.Col)
			return d.unchanged(appID, fmt.Sprintf("not declared: %s at %s has no task type %s (it has %s); nothing changed",
				req.describe(), where, req.Type, strings.Join(typesOf(decls), ", "))), nil
		}
		decl = decls[i]
		rest := slices.Delete(slices.Clone(decls), i, i+1)
		if len(decl.Tasks) > 1 {
			task := d.taskElement(decl, req.Type)
			return d.resultOf(d.removeElement(task), appID, []string{req.Type},
				fmt.Sprintf("removed %s from the declaration of %s in application %s%s", req.Type, req.describe(), appID, d.declaredAgain(rest, req.Type)))
		}
		decls = append([]Declaration{decl}, rest...)
	}
	target := decl.Element
	if list := decl.Element.Parent(); d.emptiedBy(list, decl.Element) {
		target = list
	}
	return d.resultOf(d.removeElement(target), appID, decl.Types(),
		fmt.Sprintf("removed the declaration of %s (%s) from application %s%s", req.describe(), strings.Join(decl.Types(), ", "), appID, d.declaredAgain(decls[1:], req.Type)))
}

// declaredAgain tells where the target is still declared after an edit of
// one of its declarations: rest are the others, and a removed task type
// matters only where they have it too. "" when nothing is left.
func (d *Document) declaredAgain(rest []Declaration, taskType string) string {
	var at []string
	for _, other := range rest {
		if taskType == "" || other.HasType(taskType) {
			at = append(at, fmt.Sprintf("%s:%d:%d (%s)", d.Path, other.Pos.Line, other.Pos.Col, strings.Join(other.Types(), ", ")))
		}
	}
	if len(at) == 0 {
		return ""
	}
	return "; it is declared again at " + strings.Join(at, " and ") + " (a class declared twice, BT008): run the same remove again for that one"
}

// typesOf lists the task types of decls, each once, in file order.
func typesOf(decls []Declaration) []string {
	var types []string
	for _, decl := range decls {
		for _, t := range decl.Types() {
			if !slices.Contains(types, t) {
				types = append(types, t)
			}
		}
	}
	return types
}

// taskElement returns the Task element of decl with type t.
func (d *Document) taskElement(decl Declaration, t string) *etree.Element {
	bt := firstChild(decl.Element, "BackgroundTasks")
	for _, task := range childElements(bt, "Task") {
		if plainAttr(task, "Type") == t {
			return task
		}
	}
	return nil
}

// emptiedBy reports whether removing child leaves list an <Extensions> with
// nothing in it: no other element, no comment, no text.
func (d *Document) emptiedBy(list, child *etree.Element) bool {
	if list == nil || !isManifestElement(list, "Extensions") || len(list.ChildElements()) != 1 {
		return false
	}
	ls, cs := d.spans[list], d.spans[child]
	return isBlank(d.Data[ls.StartEnd:cs.Start]) && isBlank(d.Data[cs.End:ls.EndStart])
}

// declaredHint lists what app does declare, for a "not declared" message.
func (d *Document) declaredHint(app *etree.Element) string {
	var names []string
	for _, decl := range d.declarationsIn(app) {
		switch {
		case decl.EntryPoint != "":
			names = append(names, decl.EntryPoint)
		case decl.StartPage != "":
			names = append(names, decl.StartPage)
		}
	}
	if len(names) == 0 {
		return " (it declares no background tasks)"
	}
	return " (it declares " + strings.Join(names, ", ") + ")"
}
