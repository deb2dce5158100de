package manifest

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Load takes a file of exactly MaxFileSize bytes whole and refuses one byte
// more as too large (not as malformed, which a truncated read would give).
func TestLoadSizeLimit(t *testing.T) {
	dir := t.TempDir()
	head := `<Package xmlns="` + NSFoundation + `"><Applications><Application Id="App"/></Applications></Package>`
	exact := append([]byte(head), bytes.Repeat([]byte(" "), MaxFileSize-len(head)-1)...)
	exact = append(exact, '\n')
	path := filepath.Join(dir, "exact.appxmanifest")
	if err := os.WriteFile(path, exact, 0o644); err != nil {
		t.Fatal(err)
	}
	doc, err := Load(path)
	if err != nil {
		t.Fatalf("a manifest of exactly %d bytes: %v", MaxFileSize, err)
	}
	if len(doc.Data) != MaxFileSize || strings.Join(doc.ApplicationIDs(), ",") != "App" {
		t.Errorf("read %d bytes, applications %v", len(doc.Data), doc.ApplicationIDs())
	}
	over := filepath.Join(dir, "over.appxmanifest")
	if err := os.WriteFile(over, append(exact, ' '), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = Load(over)
	if !errors.Is(err, ErrTooLarge) || err.Error() != over+": file is larger than 10 MiB; a manifest is a few KiB, so this is not one" {
		t.Errorf("a manifest of %d bytes: %v, want ErrTooLarge", MaxFileSize+1, err)
	}
}

// A folder passed as the manifest says so and shows the file to pass.
func TestLoadFolder(t *testing.T) {
	dir := t.TempDir()
	_, err := Load(dir)
	if !errors.Is(err, ErrNotManifest) {
		t.Fatalf("Load(folder) = %v, want ErrNotManifest", err)
	}
	want := dir + ": is a folder, not a manifest; pass the manifest file itself with --manifest (for example " + filepath.Join(dir, "Package.appxmanifest") + ")"
	if err.Error() != want {
		t.Errorf("Error() = %q\nwant       %q", err, want)
	}
}
