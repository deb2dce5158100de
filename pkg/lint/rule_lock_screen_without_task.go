package lint

// ruleLockScreenWithoutTask reports the reverse of BT010: a Windows 8/8.1
// app on the lock screen with no task that uses it.
type ruleLockScreenWithoutTask struct{ RuleBase }

func newRuleLockScreenWithoutTask() Rule {
	return ruleLockScreenWithoutTask{RuleBase{RuleInfo{
		ID:       "BT011",
		Name:     "lock-screen-without-task",
		Severity: SeverityError,
		Short:    "Windows 8/8.1: a LockScreen element but no timer, pushNotification, controlChannel or location task",
		What: `On Windows 8 and 8.1 (not Windows Phone 8.1), an Application whose VisualElements
has a LockScreen element must declare at least one background task of type
timer, pushNotification or controlChannel (location is accepted too, as APPX1675
treats it as a lock-screen task).`,
		Why: `A lock-screen app is one that updates the lock screen from the background;
packaging rejects a LockScreen/BadgeLogo with no such task (the reverse of
APPX1675).`,
		Fix: `Either declare the background task that updates the badge (for example
<Task Type="pushNotification"/> in a windows.backgroundTasks Extension), or
remove the LockScreen element.`,
		Source: `docs/windows.md "The lock screen on Windows 8 and 8.1"
(https://learn.microsoft.com/previous-versions/windows/apps/hh700416(v=win.10)).`,
	}}}
}

func (r ruleLockScreenWithoutTask) Check(p *Pass) {
	if !p.isWindows8x() {
		return
	}
	_, byApp := p.declarationsByApp()
	for _, app := range p.Doc.Applications() {
		lock := firstChildByLocal(visualElements(app), "LockScreen")
		if lock == nil {
			continue
		}
		if appHasLockScreenTask(byApp[app]) {
			continue
		}
		p.Reportf(p.PosOf(lock),
			"%s is on the lock screen but declares no timer, pushNotification, controlChannel or location background task; declare the task that updates the badge or remove LockScreen",
			appLabel(app))
	}
}
