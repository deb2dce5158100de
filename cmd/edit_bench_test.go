package cmd

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// bigManifest is a Windows 10 manifest declaring n background task
// extensions, the shape bench/pairs generates for bench/run.sh's edit line.
func bigManifest(n int) []byte {
	var b bytes.Buffer
	b.WriteString("\ufeff<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Package xmlns=\"http://schemas.microsoft.com/appx/manifest/foundation/windows10\" xmlns:uap=\"http://schemas.microsoft.com/appx/manifest/uap/windows10\" IgnorableNamespaces=\"uap\">\n" +
		"  <Identity Name=\"Contoso.Bench\" Publisher=\"CN=Contoso\" Version=\"1.0.0.0\" />\n" +
		"  <Properties>\n    <DisplayName>Bench</DisplayName>\n    <PublisherDisplayName>Contoso</PublisherDisplayName>\n    <Logo>Assets\\StoreLogo.png</Logo>\n  </Properties>\n" +
		"  <Applications>\n    <Application Id=\"App\" Executable=\"App.exe\" EntryPoint=\"Bench.App\">\n" +
		"      <uap:VisualElements DisplayName=\"Bench\" Square150x150Logo=\"Assets\\Square150x150Logo.png\" Square44x44Logo=\"Assets\\Square44x44Logo.png\" Description=\"Bench\" BackgroundColor=\"transparent\" />\n" +
		"      <Extensions>\n")
	for i := range n {
		fmt.Fprintf(&b, "        <Extension Category=\"windows.backgroundTasks\" EntryPoint=\"Tasks.Task%d\">\n          <BackgroundTasks>\n            <Task Type=\"pushNotification\" />\n            <Task Type=\"timer\" />\n          </BackgroundTasks>\n        </Extension>\n", i+1)
	}
	b.WriteString("      </Extensions>\n    </Application>\n  </Applications>\n</Package>\n")
	return b.Bytes()
}

// BenchmarkManifestAdd10000 is one whole `bgtask manifest add` (in-process,
// without the process start) into a manifest of 10,000 extensions: lock,
// read, parse, edit, check, lint warnings, atomic write. bench/run.sh times
// the command itself against xmllint.
func BenchmarkManifestAdd10000(b *testing.B) {
	path := filepath.Join(b.TempDir(), "Package.appxmanifest")
	data := bigManifest(10000)
	i := 0
	for b.Loop() {
		b.StopTimer()
		if err := os.WriteFile(path, data, 0o644); err != nil {
			b.Fatal(err)
		}
		i++
		b.StartTimer()
		io, _, _, errOut := TestIO()
		if code := Execute(context.Background(), io, []string{"--manifest", path, "manifest", "add", "--entry-point", fmt.Sprintf("Tasks.New%d", i), "--type", "pushNotification"}); code != ExitOK {
			b.Fatalf("exit %d: %s", code, errOut)
		}
	}
}

// BenchmarkRegister10000 is one whole `bgtask register` (in-process) of a
// new name into a registry of 10,000 registrations, checked against a
// manifest, as bench/run.sh's register line runs it.
func BenchmarkRegister10000(b *testing.B) {
	dir := b.TempDir()
	manifest := filepath.Join(dir, "Package.appxmanifest")
	if err := os.WriteFile(manifest, bigManifest(1), 0o644); err != nil {
		b.Fatal(err)
	}
	registry := filepath.Join(dir, "registry.json")
	var reg bytes.Buffer
	reg.WriteString("{\n  \"version\": 1,\n  \"registrations\": [")
	for i := range 10000 {
		if i > 0 {
			reg.WriteString(",")
		}
		fmt.Fprintf(&reg, "\n    {\n      \"taskId\": \"%08x-0000-4000-8000-%012x\",\n      \"name\": \"Task%06d\",\n      \"entryPoint\": \"Tasks.Task1\",\n      \"trigger\": \"push\",\n      \"conditions\": [],\n      \"cancelOnConditionLoss\": false,\n      \"plugin\": \"\",\n      \"registered\": \"2026-12-01T10:00:00Z\"\n    }", i+1, i+1, i)
	}
	reg.WriteString("\n  ]\n}\n")
	if err := os.WriteFile(registry, reg.Bytes(), 0o644); err != nil {
		b.Fatal(err)
	}
	i := 0
	for b.Loop() {
		i++
		io, _, _, errOut := TestIO()
		args := []string{"--manifest", manifest, "--registry", registry, "register", "--name", fmt.Sprintf("Bench%d", i), "--entry-point", "Tasks.Task1", "--trigger", "push"}
		if code := Execute(context.Background(), io, args); code != ExitOK {
			b.Fatalf("exit %d: %s", code, errOut)
		}
	}
}

// BenchmarkManifestAddDryRun10000 is that add with --dry-run: the diff
// instead of the write.
func BenchmarkManifestAddDryRun10000(b *testing.B) {
	path := filepath.Join(b.TempDir(), "Package.appxmanifest")
	if err := os.WriteFile(path, bigManifest(10000), 0o644); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		io, _, _, errOut := TestIO()
		if code := Execute(context.Background(), io, []string{"--manifest", path, "manifest", "add", "--dry-run", "--entry-point", "Tasks.New", "--type", "pushNotification"}); code != ExitOK {
			b.Fatalf("exit %d: %s", code, errOut)
		}
	}
}
