package lint

import "testing"

// Each manifest gets its own app's project (a tree of apps linted at once),
// matched by its display path however it is spelled; nil projects are skipped.
func TestProjectForMatchesThePath(t *testing.T) {
	a := &Project{ManifestPath: "a/Package.appxmanifest"}
	b := &Project{ManifestPath: "b/Package.appxmanifest"}
	l := New(WithProject(nil), WithProject(a), WithProject(b))
	for path, want := range map[string]*Project{
		"a/Package.appxmanifest":      a,
		"./b/Package.appxmanifest":    b,
		"b/x/../Package.appxmanifest": b,
		"c/Package.appxmanifest":      nil,
	} {
		if got := l.projectFor(path); got != want {
			t.Errorf("projectFor(%q) = %+v, want %+v", path, got, want)
		}
	}
}
