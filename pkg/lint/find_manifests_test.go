package lint

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"
)

// FindManifests walks folders for *.appxmanifest and AppxManifest.xml (any
// case), skipping build output and tool folders below the one given (but not
// the one given), lists each file once however it is reached, and keeps
// explicitly named files whatever their name.
func TestFindManifestsInFolders(t *testing.T) {
	root := t.TempDir()
	for _, f := range []string{
		"b/Package.appxmanifest", "a/Store.APPXMANIFEST", "a/AppxManifest.xml", "a/appxmanifest.XML",
		"a/notes.txt", "a/Package.appxmanifest.bak", "a/appxmanifest.xml.orig",
		"bin/Package.appxmanifest", "Bin2/Package.appxmanifest", "OBJ/Package.appxmanifest",
		".git/Package.appxmanifest", ".vs/Package.appxmanifest", "node_modules/x/Package.appxmanifest",
		"deep/er/still/Package.appxmanifest",
	} {
		p := filepath.Join(root, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("<Package/>"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	rel := func(files []string) string {
		var out []string
		for _, f := range files {
			r, err := filepath.Rel(root, f)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, filepath.ToSlash(r))
		}
		return strings.Join(out, " ")
	}
	j := func(parts ...string) string { return filepath.Join(append([]string{root}, parts...)...) }

	got, _, err := FindManifests([]string{root, j("b", "Package.appxmanifest"), j("a", "notes.txt")})
	if err != nil {
		t.Fatal(err)
	}
	want := "Bin2/Package.appxmanifest a/AppxManifest.xml a/Store.APPXMANIFEST a/appxmanifest.XML b/Package.appxmanifest deep/er/still/Package.appxmanifest a/notes.txt"
	if caseInsensitive(t, j("a", "AppxManifest.xml"), j("a", "appxmanifest.XML")) {
		// Windows and macOS by default: the two names are one file.
		want = strings.Replace(want, " a/appxmanifest.XML", "", 1)
	}
	if rel(got) != want {
		t.Errorf("found\n%s\nwant\n%s", rel(got), want)
	}
	// A skipped folder named on the command line is searched.
	got, _, err = FindManifests([]string{j("bin")})
	if err != nil || rel(got) != "bin/Package.appxmanifest" {
		t.Errorf("FindManifests(bin) = %q, %v", rel(got), err)
	}
	// The same file reached twice, spelled two ways, is listed once.
	t.Chdir(root)
	got, _, err = FindManifests([]string{"b", filepath.Join(".", "b", "Package.appxmanifest")})
	if err != nil || strings.Join(got, " ") != filepath.Join("b", "Package.appxmanifest") {
		t.Errorf("twice: %q, %v", got, err)
	}
	for _, tc := range []struct{ path, want string }{
		{"missing", "missing: no such file or folder"},
		{filepath.Join("a", "notes.txt", "x"), filepath.Join("a", "notes.txt", "x") + ": not a directory"},
		{"deep" + string(filepath.Separator) + "er" + string(filepath.Separator) + "still" + string(filepath.Separator) + ".", ""},
	} {
		_, _, err := FindManifests([]string{tc.path})
		if runtime.GOOS == "windows" && strings.Contains(tc.want, "not a directory") {
			continue // Windows says the path does not exist
		}
		if tc.want == "" {
			if err != nil {
				t.Errorf("%s: %v", tc.path, err)
			}
			continue
		}
		if err == nil || err.Error() != tc.want {
			t.Errorf("%s: %v, want %q", tc.path, err, tc.want)
		}
	}
	if err := os.Mkdir(j("empty"), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, _, err := FindManifests([]string{"empty"}); err == nil || err.Error() != "empty: no *.appxmanifest or AppxManifest.xml found in this folder" {
		t.Errorf("empty folder: %v", err)
	}
}

// caseInsensitive says whether a and b, names differing only in case, are
// one file.
func caseInsensitive(t *testing.T, a, b string) bool {
	t.Helper()
	fa, errA := os.Stat(a)
	fb, errB := os.Stat(b)
	if errA != nil || errB != nil {
		t.Fatal(errA, errB)
	}
	return os.SameFile(fa, fb)
}

// A tree of many folders, wide and deep, read on several goroutines: every
// manifest is found once, in sorted order, and nothing else.
func TestFindManifestsInManyFolders(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	}
	root := t.TempDir()
	var want []string
	for i := range 60 {
		dir := filepath.Join(root, fmt.Sprintf("app%02d", i))
		for d := range i % 5 {
			dir = filepath.Join(dir, fmt.Sprintf("level%d", d))
		}
		for _, sub := range []string{"empty", "obj"} {
			if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
				t.Fatal(err)
			}
		}
		for _, name := range []string{"Package.appxmanifest", "notes.txt", "obj/Package.appxmanifest"} {
			p := filepath.Join(dir, filepath.FromSlash(name))
			if err := os.WriteFile(p, []byte("<Package/>"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want = append(want, filepath.Join(dir, "Package.appxmanifest"))
	}
	sort.Strings(want)
	got, skipped, err := FindManifests([]string{root})
	if err != nil || len(skipped) > 0 {
		t.Fatalf("FindManifests: %v, skipped %q", err, skipped)
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("found\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// Search says which manifests may have an entry beside them: not those
// whose folder it read without one (one in a subfolder does not count);
// those whose folder holds it, in any case (as Windows and macOS find it);
// and every file named on the command line, whose folder it did not read.
func TestSearchNotesWhatIsBeside(t *testing.T) {
	root := t.TempDir()
	j := func(parts ...string) string { return filepath.Join(append([]string{root}, parts...)...) }
	for _, f := range []string{"with/Package.appxmanifest", "with/.bgtask/registry.json", "upper/Package.appxmanifest",
		"upper/.BGTASK/registry.json", "without/Package.appxmanifest", "without/sub/.bgtask/registry.json", "named/Package.appxmanifest"} {
		p := j(filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("<Package/>"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	found, err := Search([]string{j("with"), j("upper"), j("without"), j("named", "Package.appxmanifest")}, ".bgtask")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{
		j("with", "Package.appxmanifest"):    true,
		j("upper", "Package.appxmanifest"):   true, // only "may": on Linux the lookup then finds nothing
		j("without", "Package.appxmanifest"): false,
		j("named", "Package.appxmanifest"):   true,
	}
	if len(found.Files) != len(want) {
		t.Fatalf("found %q", found.Files)
	}
	for _, f := range found.Files {
		if got := found.MayHaveBeside(f); got != want[f] {
			t.Errorf("MayHaveBeside(%s) = %v, want %v", f, got, want[f])
		}
	}
	// Asked about nothing, nothing found by a search may have it.
	found, err = Search([]string{j("with")}, "")
	if err != nil || found.MayHaveBeside(j("with", "Package.appxmanifest")) {
		t.Errorf("Search without a name: %v, %v", found.MayHaveBeside(j("with", "Package.appxmanifest")), err)
	}
}
