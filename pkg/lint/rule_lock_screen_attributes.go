package lint

import (
	"path"
	"slices"
	"strings"

	"github.com/beevik/etree"

	"github.com/bgtask/bgtask/pkg/manifest"
)

// ruleLockScreenAttributes reports a LockScreen element that Windows rejects:
// a required attribute missing, or badgeAndTileText without a wide logo.
type ruleLockScreenAttributes struct{ RuleBase }

func newRuleLockScreenAttributes() Rule {
	return ruleLockScreenAttributes{RuleBase{RuleInfo{
		ID:       "BT012",
		Name:     "lock-screen-attributes",
		Severity: SeverityError,
		Short:    "LockScreen without a valid BadgeLogo or Notification, or badgeAndTileText without a wide logo",
		What: `A LockScreen element needs both Notification ("badge" or "badgeAndTileText",
spelled with that case) and BadgeLogo, a .png, .jpg or .jpeg file (lower-case
extension, as the schema's ST_ImageFile pattern requires).
Notification="badgeAndTileText" also needs the DefaultTile's wide logo (WideLogo
on Windows 8, Wide310x150Logo on 8.1 and Windows 10), since the tile text shown
on the lock screen comes from the wide tile.`,
		Why: `A missing attribute is schema error C00CE020 ("Required attribute 'Notification'
is missing"); badgeAndTileText without a wide logo is refused by the manifest API.`,
		Fix: `Add the missing attribute or correct its value (BadgeLogo: a 24x24 monochrome .png),
or for badgeAndTileText add WideLogo/Wide310x150Logo to <DefaultTile> (or use
Notification="badge").`,
		Source: `docs/windows.md "The lock screen on Windows 8 and 8.1"
(https://learn.microsoft.com/uwp/schemas/appxpackage/appxmanifestschema/element-lockscreen; CT_LockScreen and
ST_LockScreenNotification in microsoft/msix-packaging AppxManifestTypes.xsd).`,
	}}}
}

func (r ruleLockScreenAttributes) Check(p *Pass) {
	for _, app := range p.Doc.Applications() {
		ve := visualElements(app)
		lock := firstChildByLocal(ve, "LockScreen")
		if lock == nil {
			continue
		}
		notification, hasNotification := attrValue(lock, "Notification")
		if !hasNotification {
			p.Reportf(p.PosOf(lock), `LockScreen has no Notification attribute (error C00CE020); add Notification="badge" or "badgeAndTileText"`)
		}
		if hasNotification && !manifest.HasPlaceholder(notification) && !slices.Contains(lockScreenNotifications(), notification) {
			pos := p.AttrPos(lock, "Notification")
			if right, ok := equalFoldIn(lockScreenNotifications(), notification); ok {
				p.Reportf(pos, `Notification=%q is not valid: the value is case-sensitive; write Notification=%q`, notification, right)
			} else {
				p.Reportf(pos, `Notification=%q is not valid; write Notification="badge" or Notification="badgeAndTileText"`, notification)
			}
		}
		if logo, ok := attrValue(lock, "BadgeLogo"); !ok {
			p.Reportf(p.PosOf(lock), `LockScreen has no BadgeLogo attribute; add BadgeLogo naming a 24x24 monochrome PNG`)
		} else if msg := imageFileProblem(logo); msg != "" {
			p.Reportf(p.AttrPos(lock, "BadgeLogo"), "BadgeLogo %s %s", quoteValue(logo), msg)
		}
		if notification == "badgeAndTileText" && !hasWideLogo(firstChildByLocal(ve, "DefaultTile")) {
			p.Reportf(p.AttrPos(lock, "Notification"),
				`Notification="badgeAndTileText" needs a wide tile logo: add WideLogo (Windows 8) or Wide310x150Logo (8.1, 10) to DefaultTile, or use Notification="badge"`)
		}
	}
}

// imageFileProblem says why v is not an ST_ImageFile (a file name ending in
// .png, .jpg or .jpeg, in lower case: the schema's pattern is
// case-sensitive), or returns "".
func imageFileProblem(v string) string {
	if manifest.HasPlaceholder(v) {
		return ""
	}
	ext := strings.ToLower(path.Ext(strings.ReplaceAll(v, `\`, "/")))
	switch {
	case strings.TrimSpace(v) == "":
		return "is empty; name a 24x24 monochrome .png, .jpg or .jpeg file"
	case ext != ".png" && ext != ".jpg" && ext != ".jpeg":
		return "is not a .png, .jpg or .jpeg file; the schema accepts only those: use a 24x24 monochrome PNG"
	case ext != path.Ext(strings.ReplaceAll(v, `\`, "/")):
		return "has an upper-case extension; the schema accepts only .png, .jpg and .jpeg in lower case: rename the reference (and the file)"
	}
	return ""
}

// lockScreenNotifications are the values of ST_LockScreenNotification.
func lockScreenNotifications() []string { return []string{"badge", "badgeAndTileText"} }

func hasWideLogo(tile *etree.Element) bool {
	if tile == nil {
		return false
	}
	for _, key := range []string{"WideLogo", "Wide310x150Logo"} {
		if v, ok := attrValue(tile, key); ok && v != "" {
			return true
		}
	}
	return false
}
