package lint

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bgtask/bgtask/pkg/manifest"
)

func TestLintManifestNames(t *testing.T) {
	for name, want := range map[string]bool{
		"Package.appxmanifest": true, "package.AppxManifest": true, "AppxManifest.xml": true,
		"appxmanifest.XML": true, "Package.xml": false, "AppxManifest.xml.bak": false,
	} {
		if got := isManifestName(name); got != want {
			t.Errorf("isManifestName(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestLintDisplayPath(t *testing.T) {
	cwd := filepath.FromSlash("/repo")
	if filepath.VolumeName(os.TempDir()) != "" {
		cwd = `C:\repo`
	}
	for in, want := range map[string]string{
		filepath.Join(cwd, "src", "App", "Package.appxmanifest"): "src/App/Package.appxmanifest",
		filepath.Join(cwd, "Package.appxmanifest"):               "Package.appxmanifest",
	} {
		if got := DisplayPath(cwd, in); got != want {
			t.Errorf("DisplayPath(%q) = %q, want %q", in, got, want)
		}
	}
	outside := filepath.Join(filepath.Dir(cwd), "elsewhere", "Package.appxmanifest")
	if got := DisplayPath(cwd, outside); got != filepath.ToSlash(outside) {
		t.Errorf("a file outside the working folder should keep its absolute path, got %q", got)
	}
}

// A file that cannot be read is named as the caller displays it, once,
// without the path on disk it was read from.
func TestLintFileErrorNamesTheDisplayPath(t *testing.T) {
	fsPath := filepath.Join(t.TempDir(), "gone", "Package.appxmanifest")
	_, err := New().LintFile("src/Package.appxmanifest", fsPath)
	if err == nil {
		t.Fatal("no error for a file that does not exist")
	}
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("error %v is not fs.ErrNotExist", err)
	}
	if msg := err.Error(); !strings.HasPrefix(msg, "src/Package.appxmanifest: ") || strings.Contains(msg, "gone") {
		t.Errorf("error %q should name the display path alone", msg)
	}
}

// A file over the manifest size limit is read only just past the limit,
// enough for Parse to refuse it: a 1 GB file took 2 GB of memory and 10 s
// to refuse (hostile review), and an endless one never ended.
func TestReadSizedStopsPastTheLimit(t *testing.T) {
	calls := 0
	endless := func(p []byte) (int, error) {
		calls++
		if calls > 1<<20 {
			t.Fatal("readSized read on and on")
		}
		for i := range p {
			p[i] = 'x'
		}
		return len(p), nil
	}
	data, err := readSized(1<<30, nil, endless)
	if err != nil {
		t.Fatal(err)
	}
	if len(data) <= manifest.MaxFileSize || len(data) > 2*manifest.MaxFileSize {
		t.Errorf("read %d bytes; want just over the %d-byte limit", len(data), manifest.MaxFileSize)
	}
	if _, err := manifest.Parse("big", data); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("Parse of what was read: %v", err)
	}
}
