package lint

// Project is what the registry and plugin cross-checks compare a manifest
// with. It is filled by the caller (cmd/lint.go) from pkg/tasks and
// pkg/simulate, so this package stays usable without them.
type Project struct {
	// ManifestPath is the display path of the manifest the registry belongs
	// to; cross-checks run only on that manifest.
	ManifestPath string
}
