package lint

import "github.com/beevik/etree"

// ruleLockScreenAttributes reports a LockScreen element that Windows rejects:
// a required attribute missing, or badgeAndTileText without a wide logo.
type ruleLockScreenAttributes struct{ RuleBase }

func newRuleLockScreenAttributes() Rule {
	return ruleLockScreenAttributes{RuleBase{RuleInfo{
		ID:       "BT012",
		Name:     "lock-screen-attributes",
		Severity: SeverityError,
		Short:    "LockScreen without Notification or BadgeLogo, or badgeAndTileText without a wide logo",
		What: `A LockScreen element needs both Notification ("badge" or "badgeAndTileText") and
BadgeLogo. Notification="badgeAndTileText" also needs the DefaultTile's wide logo
(WideLogo on Windows 8, Wide310x150Logo on 8.1 and Windows 10), since the tile
text shown on the lock screen comes from the wide tile.`,
		Why: `A missing attribute is schema error C00CE020 ("Required attribute 'Notification'
is missing"); badgeAndTileText without a wide logo is refused by the manifest API.`,
		Fix: `Add the missing attribute, or for badgeAndTileText add WideLogo/Wide310x150Logo to
<DefaultTile> (or use Notification="badge").`,
		Source: `windows-facts.md §2 "The LockScreen element" (SCH appxmanifestschema/element-lockscreen.md;
C00CE020 in dotnet/maui-samples PR #160).`,
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
		if _, ok := attrValue(lock, "BadgeLogo"); !ok {
			p.Reportf(p.PosOf(lock), `LockScreen has no BadgeLogo attribute; add BadgeLogo naming a 24x24 monochrome PNG`)
		}
		if notification == "badgeAndTileText" && !hasWideLogo(firstChildByLocal(ve, "DefaultTile")) {
			p.Reportf(p.AttrPos(lock, "Notification"),
				`Notification="badgeAndTileText" needs a wide tile logo: add WideLogo (Windows 8) or Wide310x150Logo (8.1, 10) to DefaultTile, or use Notification="badge"`)
		}
	}
}

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
