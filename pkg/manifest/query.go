package manifest

import "github.com/beevik/etree"

// Generation returns the manifest's schema generation: the root's namespace
// decides between Windows 10 and the Windows 8 family, and within that family
// the namespaces bound in the file tell 8.1 (m2) and Phone 8.1 (m3) apart.
func (d *Document) Generation() Generation {
	root := d.Tree.Root()
	switch root.NamespaceURI() {
	case NSFoundation:
		return GenWin10
	case NSWin8:
		bound := boundNamespaces(root)
		switch {
		case bound[NSPhoneM3]:
			return GenPhone81
		case bound[NSWin81M2]:
			return GenWin81
		default:
			return GenWin8
		}
	}
	return GenUnknown
}

// Applications returns the Application elements in document order.
func (d *Document) Applications() []*etree.Element {
	var apps []*etree.Element
	for _, list := range childElements(d.Tree.Root(), "Applications") {
		apps = append(apps, childElements(list, "Application")...)
	}
	return apps
}

// ApplicationIDs returns the Id of every Application in document order.
func (d *Document) ApplicationIDs() []string {
	var ids []string
	for _, app := range d.Applications() {
		ids = append(ids, plainAttr(app, "Id"))
	}
	return ids
}

// Declarations returns every windows.backgroundTasks Extension in document
// order, including misplaced package-level ones (PackageLevel set).
func (d *Document) Declarations() []Declaration {
	var decls []Declaration
	var walk func(el *etree.Element)
	walk = func(el *etree.Element) {
		if isManifestElement(el, "Extension") && plainAttr(el, "Category") == BackgroundTasksCategory {
			decls = append(decls, d.declaration(el))
			return
		}
		// el.Child, not ChildElements, which copies the children into a
		// new slice at every element of the tree.
		for _, t := range el.Child {
			if c, ok := t.(*etree.Element); ok {
				walk(c)
			}
		}
	}
	walk(d.Tree.Root())
	return decls
}

func (d *Document) declaration(ext *etree.Element) Declaration {
	decl := Declaration{
		EntryPoint:    plainAttr(ext, "EntryPoint"),
		StartPage:     plainAttr(ext, "StartPage"),
		Executable:    plainAttr(ext, "Executable"),
		RuntimeType:   plainAttr(ext, "RuntimeType"),
		ResourceGroup: plainAttr(ext, "ResourceGroup"),
		Tasks:         []TaskDecl{},
		Pos:           d.PosOf(ext),
		Element:       ext,
	}
	if app := enclosingApplication(ext); app != nil {
		decl.App = plainAttr(app, "Id")
	} else if list := ext.Parent(); list != nil && list.Parent() == d.Tree.Root() {
		decl.PackageLevel = true
	}
	if bt := firstChild(ext, "BackgroundTasks"); bt != nil {
		decl.ServerName = plainAttr(bt, "ServerName")
		decl.SupportsMultipleInstances = anyNSAttr(bt, "SupportsMultipleInstances")
		for _, task := range childElements(bt, "Task") {
			decl.Tasks = append(decl.Tasks, TaskDecl{
				Type:      plainAttr(task, "Type"),
				Namespace: task.NamespaceURI(),
				Pos:       d.PosOf(task),
			})
		}
	}
	return decl
}

func enclosingApplication(el *etree.Element) *etree.Element {
	for p := el.Parent(); p != nil; p = p.Parent() {
		if isManifestElement(p, "Application") {
			return p
		}
	}
	return nil
}
