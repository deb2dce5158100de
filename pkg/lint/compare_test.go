package lint

import (
	"strings"
	"testing"
)

func TestNewErrors(t *testing.T) {
	const head = `<?xml version="1.0" encoding="utf-8"?>
<Package xmlns="http://schemas.microsoft.com/appx/manifest/foundation/windows10">
  <Identity Name="C" Publisher="CN=C" Version="1.0.0.0" />
  <Applications>
    <Application Id="App" Executable="App.exe" EntryPoint="C.App">
      <Extensions>
`
	const tail = `      </Extensions>
    </Application>
  </Applications>
</Package>
`
	ext := func(ep string) string {
		return `        <Extension Category="windows.backgroundTasks" EntryPoint="` + ep + `">
          <BackgroundTasks><Task Type="timer" /></BackgroundTasks>
        </Extension>
`
	}
	before := Source{Path: "m", Data: []byte(head + ext("Bad") + tail)}
	// The edit adds a line before the old error, so its position moves: it is
	// not new. The second bad entry point is.
	after := Source{Path: "m", Data: []byte(head + "\n" + ext("Bad") + ext("AlsoBad") + tail)}
	got := NewErrors(before, after)
	if len(got) != 1 || got[0].RuleID != "BT004" || !strings.Contains(got[0].Message, `"AlsoBad"`) {
		t.Fatalf("NewErrors = %+v, want the one BT004 finding for AlsoBad", got)
	}
	if got := NewErrors(before, before); len(got) != 0 {
		t.Errorf("an unchanged manifest has new errors: %+v", got)
	}
}
