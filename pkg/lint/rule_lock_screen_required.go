package lint

import (
	"fmt"
	"slices"
	"strings"

	"github.com/bgtask/bgtask/pkg/manifest"
)

// ruleLockScreenRequired reports a Windows 8/8.1 app that declares a task
// type which needs the lock screen without enabling lock-screen
// notifications (packaging error APPX1675).
type ruleLockScreenRequired struct{ RuleBase }

func newRuleLockScreenRequired() Rule {
	return ruleLockScreenRequired{RuleBase{RuleInfo{
		ID:       "BT010",
		Name:     "lock-screen-required",
		Severity: SeverityError,
		Short:    "Windows 8/8.1: a timer, pushNotification, controlChannel or location task without a LockScreen element (APPX1675)",
		What: `On Windows 8 and 8.1 (not Windows Phone 8.1, not Windows 10), an Application that
declares a background task of type timer, pushNotification, controlChannel or
location must enable lock-screen notifications: its VisualElements needs a
<LockScreen Notification="badge|badgeAndTileText" BadgeLogo="..."/> child.`,
		Why: `These triggers only fire for lock-screen apps on Windows 8/8.1, and packaging
fails with APPX1675: "App manifest declares background task of type timer,
control channel, push notification, or location without enabling lock screen
notifications."`,
		Fix: `Add <LockScreen Notification="badge" BadgeLogo="Assets\BadgeLogo.png"/> to the
Application's VisualElements (m2:LockScreen in an m2:VisualElements), with a
24x24 monochrome PNG badge logo, and call
BackgroundExecutionManager.RequestAccessAsync before registering.`,
		Source: `docs/windows.md "The lock screen on Windows 8 and 8.1"
(https://learn.microsoft.com/previous-versions/windows/apps/jj710185(v=win.10); packaging error APPX1675).`,
	}}}
}

func (r ruleLockScreenRequired) Check(p *Pass) {
	if !p.isWindows8x() {
		return
	}
	apps, byApp := p.declarationsByApp()
	for _, app := range apps {
		if firstChildByLocal(visualElements(app), "LockScreen") != nil {
			continue
		}
		var types []string
		var firstTask manifest.Pos
		for _, d := range byApp[app] {
			for _, t := range d.Tasks {
				if !slices.Contains(lockScreenTaskTypes(), t.Type) || slices.Contains(types, t.Type) {
					continue
				}
				if len(types) == 0 {
					firstTask = t.Pos
				}
				types = append(types, t.Type)
			}
		}
		if len(types) == 0 {
			continue
		}
		p.Reportf(p.attrPosIn(firstTask, "Type"),
			"%s declares %s task(s) but no LockScreen: on Windows 8/8.1 these run only for lock-screen apps (APPX1675); add <LockScreen Notification=\"badge\" BadgeLogo=\"...\"/> to its VisualElements",
			appLabel(app), quoteList(types))
	}
}

// quoteList writes ["a" "b"] as "a", "b".
func quoteList(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}
