package version

import (
	"runtime/debug"
	"testing"
)

func TestOf(t *testing.T) {
	vcs := func(main string, settings ...string) *debug.BuildInfo {
		info := &debug.BuildInfo{Main: debug.Module{Path: "github.com/bgtask/bgtask", Version: main}}
		for i := 0; i+1 < len(settings); i += 2 {
			info.Settings = append(info.Settings, debug.BuildSetting{Key: settings[i], Value: settings[i+1]})
		}
		return info
	}
	for _, tc := range []struct {
		name    string
		stamped string
		info    *debug.BuildInfo
		want    string
	}{
		{"stamped wins", "v1.4.0", vcs("v1.3.0"), "v1.4.0"},
		{"go install @version", "dev", vcs("v1.3.0"), "v1.3.0"},
		{"go install @commit", "dev", vcs("v0.0.0-20261201120000-0123456789ab"), "v0.0.0-20261201120000-0123456789ab"},
		{"checkout build", "dev", vcs("(devel)", "vcs.revision", "0123456789ABCDEF0123", "vcs.modified", "false"), "dev+0123456789ab"},
		{"dirty checkout build", "dev", vcs("(devel)", "vcs.revision", "0123456789abcdef", "vcs.modified", "true"), "dev+0123456789ab.dirty"},
		{"no vcs (-buildvcs=false)", "dev", vcs("(devel)"), "dev"},
		{"no build info", "", nil, "dev"},
	} {
		if got := Of(tc.stamped, tc.info); got != tc.want {
			t.Errorf("%s: Of = %q, want %q", tc.name, got, tc.want)
		}
	}
}
