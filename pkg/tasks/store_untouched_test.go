package tasks

import (
	"context"
	"errors"
	"os"
	"testing"
)

// What changes nothing writes nothing: registering an identical
// registration, or a refused one, leaves the very file in place (not a copy
// of it renamed over it), so a watcher, a hard link or a read-only mount
// sees no write.
func TestNoChangeLeavesTheFileInPlace(t *testing.T) {
	path := registryIn(t)
	mustRegister(t, path, seedRequest(), RegisterOptions{Manifest: &seedManifest})
	before, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if res := mustRegister(t, path, seedRequest(), RegisterOptions{Manifest: &seedManifest}); res.Outcome != AlreadyRegistered {
		t.Fatalf("outcome %v", res.Outcome)
	}
	conflicting := seedRequest()
	conflicting.EntryPoint = "Tasks.Other"
	if _, err := Register(context.Background(), path, conflicting, RegisterOptions{}); !errors.Is(err, ErrInvalidInput) {
		t.Fatalf("conflict: %v", err)
	}
	if _, err := Unregister(context.Background(), path, Selector{Name: "Nobody"}); !errors.Is(err, ErrInvalidInput) {
		t.Fatalf("unregister of nothing: %v", err)
	}
	after, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if !os.SameFile(before, after) || !after.ModTime().Equal(before.ModTime()) {
		t.Error("a registration that changed nothing rewrote the registry")
	}
}
