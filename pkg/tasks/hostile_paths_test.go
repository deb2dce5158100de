package tasks

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// A registry path that names a folder is the caller's mistake, said so
// (exit 2 in the CLI), and leaves no lock file beside the folder. It was
// "reading registry: read d.json: is a directory", exit 4, and register
// left d.json.lock behind.
func TestRegistryPathThatIsAFolder(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "d.json")
	if err := os.Mkdir(path, 0o755); err != nil {
		t.Fatal(err)
	}
	want := "registry " + path + " is a folder, not a file: the registry is a JSON file; pass its path with --registry, or leave the flag out for the app's .bgtask/registry.json"
	_, err := Load(path)
	if !errors.Is(err, ErrInvalidInput) || err.Error() != want {
		t.Errorf("Load(folder) = %v\nwant %s", err, want)
	}
	_, err = Register(context.Background(), path, seedRequest(), RegisterOptions{})
	if !errors.Is(err, ErrInvalidInput) || err.Error() != want {
		t.Errorf("Register(folder) = %v\nwant %s", err, want)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("the folder holds %d entries after the refusal, want only d.json: %v", len(entries), entries)
	}
}

// Unregistering from a registry that does not exist is refused as not
// found, and creates nothing: no .bgtask folder (which would make the
// folder an app folder for every later command) and no lock file.
func TestUnregisterFromNoRegistryCreatesNothing(t *testing.T) {
	root := t.TempDir()
	path := filepath.Join(root, ".bgtask", "registry.json")
	_, err := Unregister(context.Background(), path, Selector{Name: "Nope"})
	var nf *NotFoundError
	if !errors.As(err, &nf) || !errors.Is(err, ErrInvalidInput) {
		t.Errorf("Unregister from no registry = %v, want a *NotFoundError", err)
	}
	if entries, _ := os.ReadDir(root); len(entries) != 0 {
		t.Errorf("Unregister created %v", entries)
	}
	deep := filepath.Join(root, "x", "y", "z", "reg.json")
	if _, err := Unregister(context.Background(), deep, Selector{Name: "Nope"}); !errors.As(err, &nf) {
		t.Errorf("Unregister from no registry = %v, want a *NotFoundError", err)
	}
	if _, err := os.Stat(filepath.Join(root, "x")); !os.IsNotExist(err) {
		t.Errorf("Unregister created folders: %v", err)
	}
}
