// Package app finds the Windows app bgtask is run in, the way git finds its
// repository: from the working folder upward to the nearest folder holding a
// Package.appxmanifest or a .bgtask folder. The task registry is kept beside
// the manifest, in .bgtask/registry.json, so every app in a repository has
// its own.
package app

import (
	"os"
	"path/filepath"
)

const (
	// ManifestName is the manifest file an app folder holds.
	ManifestName = "Package.appxmanifest"
	// StateDir is bgtask's folder beside the manifest.
	StateDir = ".bgtask"
	// RegistryName is the registry file inside StateDir.
	RegistryName = "registry.json"
)

// Location is where an app's files are.
type Location struct {
	// Root is the app folder: the one holding the manifest (or .bgtask).
	Root string
	// Manifest is Root's Package.appxmanifest (it may not exist when the
	// folder was found by its .bgtask folder).
	Manifest string
	// Registry is Root's .bgtask/registry.json (it may not exist yet).
	Registry string
}

// RegistryBeside is the registry that belongs to the manifest at path: the
// .bgtask/registry.json in the manifest's folder.
func RegistryBeside(manifestPath string) string {
	return filepath.Join(filepath.Dir(manifestPath), StateDir, RegistryName)
}

// At is the Location of the app whose folder is dir.
func At(dir string) Location {
	return Location{
		Root:     dir,
		Manifest: filepath.Join(dir, ManifestName),
		Registry: filepath.Join(dir, StateDir, RegistryName),
	}
}

// Find looks in dir and then in each parent folder for a Package.appxmanifest
// file or a .bgtask folder, and returns the first folder that has one. ok is
// false when no folder up to the file system's root has either.
func Find(dir string) (loc Location, ok bool) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return Location{}, false
	}
	for {
		if isFile(filepath.Join(dir, ManifestName)) || isDir(filepath.Join(dir, StateDir)) {
			return At(dir), true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return Location{}, false
		}
		dir = parent
	}
}

func isFile(path string) bool {
	info, err := os.Stat(path)
	return err == nil && !info.IsDir()
}

func isDir(path string) bool {
	info, err := os.Stat(path)
	return err == nil && info.IsDir()
}
