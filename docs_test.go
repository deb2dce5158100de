package main

// The documentation is tested: every Go code block in README.md and docs/*.md
// compiles against this checkout, and every shell example runs with the
// bgtask built from it. New files and blocks are picked up by themselves.
//
// A block that cannot run says why, on the line just before its fence:
//
//	<!-- not tested: REASON -->
//
// and a block that needs a program the test machine may lack names it:
//
//	<!-- requires: python3 -->
//
// Shell blocks are ```sh (each line a command) and ```console (commands are
// the lines after "$ "; "$ echo $?" and the number after it give the
// previous command's expected exit status). In an sh block, "exit N" in the
// command's trailing comment, or in the comment lines right after it, gives
// its expected exit status; otherwise it must exit 0. Untagged blocks
// (synopses, output) are not run.
//
// The blocks of one file run in order, in one scratch folder that starts as
// an app folder: the sample manifest (testdata/seed) as Package.appxmanifest,
// testdata/ of this checkout, mytask (examples/exampletask, built) and the
// Python plugin task.py. "/tmp/" in a command means the scratch folder's tmp/.

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"
)

type docBlock struct {
	file     string // relative to the repository root
	line     int    // of the opening fence
	lang     string
	body     []string
	bodyLine int // line of body[0]
	skip     string
	requires []string
}

var (
	notTestedRe = regexp.MustCompile(`^<!--\s*not tested:\s*(.+?)\s*-->$`)
	requiresRe  = regexp.MustCompile(`^<!--\s*requires:\s*(.+?)\s*-->$`)
)

// docFiles are README.md and every docs/*.md.
func docFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	return append([]string{"README.md"}, files...)
}

func readDocBlocks(t *testing.T, file string) []docBlock {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var blocks []docBlock
	var cur *docBlock
	indent := ""
	prev := "" // the last non-blank line outside a block
	for i, line := range strings.Split(string(data), "\n") {
		trimmed := strings.TrimSpace(line)
		if cur != nil {
			if strings.HasPrefix(trimmed, "```") && strings.Trim(trimmed, "`") == "" {
				blocks = append(blocks, *cur)
				cur = nil
				continue
			}
			cur.body = append(cur.body, strings.TrimPrefix(line, indent))
			continue
		}
		if strings.HasPrefix(trimmed, "```") {
			indent = line[:len(line)-len(strings.TrimLeft(line, " \t"))]
			lang, _, _ := strings.Cut(strings.TrimPrefix(trimmed, "```"), " ")
			cur = &docBlock{file: filepath.ToSlash(file), line: i + 1, bodyLine: i + 2, lang: lang}
			if m := notTestedRe.FindStringSubmatch(prev); m != nil {
				cur.skip = m[1]
			}
			if m := requiresRe.FindStringSubmatch(prev); m != nil {
				cur.requires = strings.Fields(m[1])
			}
			continue
		}
		if trimmed != "" {
			prev = trimmed
		}
	}
	if cur != nil {
		t.Fatalf("%s:%d: code block never closed", file, cur.line)
	}
	return blocks
}

func (b docBlock) String() string { return fmt.Sprintf("%s:%d", b.file, b.line) }

// goWork is a go.work that makes this checkout the github.com/bgtask/bgtask
// module for the modules in dirs: what a plugin author outside the
// repository does with a checkout (docs/plugins.md).
func goWork(t *testing.T, root string, dirs ...string) string {
	t.Helper()
	repo, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "go %s\n\nuse (\n\t%s\n", goVersion(t), strconv.Quote(repo))
	for _, d := range dirs {
		fmt.Fprintf(&b, "\t%s\n", strconv.Quote(d))
	}
	b.WriteString(")\n")
	path := filepath.Join(root, "go.work")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// goVersion is the go directive of this module's go.mod.
func goVersion(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile("go.mod")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^go (\S+)$`).FindSubmatch(data)
	if m == nil {
		t.Fatal("go.mod has no go directive")
	}
	return string(m[1])
}

func needGo(t *testing.T) string {
	t.Helper()
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
	return goCmd
}

func TestDocsGoBlocksCompile(t *testing.T) {
	goCmd := needGo(t)
	root := t.TempDir()
	var blocks []docBlock
	var dirs []string
	for _, f := range docFiles(t) {
		for _, b := range readDocBlocks(t, f) {
			if b.lang != "go" || b.skip != "" {
				continue
			}
			src := strings.Join(b.body, "\n")
			if !regexp.MustCompile(`(?m)^package \w+`).MatchString(src) {
				t.Errorf("%s: a Go block must be a whole file, starting with its package clause; mark a fragment with <!-- not tested: REASON --> on the line before it", b)
				continue
			}
			dir := fmt.Sprintf("block%d", len(blocks))
			abs := filepath.Join(root, dir)
			if err := os.MkdirAll(abs, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(abs, "main.go"), []byte(src+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			mod := fmt.Sprintf("module example.com/%s\n\ngo %s\n", dir, goVersion(t))
			if err := os.WriteFile(filepath.Join(abs, "go.mod"), []byte(mod), 0o644); err != nil {
				t.Fatal(err)
			}
			blocks = append(blocks, b)
			dirs = append(dirs, "./"+dir)
		}
	}
	if len(blocks) == 0 {
		t.Fatal("no Go blocks found in the docs: the parser is broken")
	}
	work := goWork(t, root, dirs...)
	for i, b := range blocks {
		cmd := exec.Command(goCmd, "vet", ".")
		cmd.Dir = filepath.Join(root, dirs[i])
		cmd.Env = append(os.Environ(), "GOWORK="+work, "GOFLAGS=-buildvcs=false", "GOPROXY=off")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("%s: the Go block does not compile:\n%s", b, out)
		}
	}
}

// buildBgtask builds this checkout's bgtask and the example plugin into dir.
func buildBgtask(t *testing.T, dir string) {
	t.Helper()
	goCmd := needGo(t)
	for target, pkg := range map[string]string{"bgtask": ".", "mytask": "./examples/exampletask"} {
		out := filepath.Join(dir, target)
		if runtime.GOOS == "windows" {
			out += ".exe"
		}
		cmd := exec.Command(goCmd, "build", "-o", out, pkg)
		cmd.Env = append(os.Environ(), "GOFLAGS=-buildvcs=false")
		if msg, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go build %s: %v\n%s", pkg, err, msg)
		}
	}
}

// docCommand is one command of a shell block and its expected exit status.
type docCommand struct {
	line int
	text string
	want int
}

var exitRe = regexp.MustCompile(`\bexit (\d+)\b`)

// shellCommands splits a block into commands, joining continuation lines.
func shellCommands(b docBlock) []docCommand {
	var cmds []docCommand
	var cur *docCommand
	for i := 0; i < len(b.body); i++ {
		line := b.body[i]
		n := b.bodyLine + i
		if b.lang == "console" {
			if cur != nil { // a continuation of the previous command
				cur.text += "\n" + line
				if !strings.HasSuffix(line, "\\") {
					cmds, cur = append(cmds, *cur), nil
				}
				continue
			}
			cmd, ok := strings.CutPrefix(line, "$ ")
			if !ok {
				continue // output
			}
			if strings.TrimSpace(cmd) == "echo $?" && len(cmds) > 0 && i+1 < len(b.body) {
				if code, err := strconv.Atoi(strings.TrimSpace(b.body[i+1])); err == nil {
					cmds[len(cmds)-1].want = code
					i++
				}
				continue
			}
			c := docCommand{line: n, text: cmd}
			if strings.HasSuffix(cmd, "\\") {
				cur = &c
				continue
			}
			cmds = append(cmds, c)
			continue
		}
		trimmed := strings.TrimSpace(line)
		if cur != nil {
			cur.text += "\n" + line
			if !strings.HasSuffix(trimmed, "\\") {
				cmds, cur = append(cmds, *cur), nil
			}
			continue
		}
		if trimmed == "" {
			continue
		}
		if strings.HasPrefix(trimmed, "#") {
			// A comment right after a command may say how it exits.
			if m := exitRe.FindStringSubmatch(trimmed); m != nil && len(cmds) > 0 {
				cmds[len(cmds)-1].want, _ = strconv.Atoi(m[1])
			}
			continue
		}
		c := docCommand{line: n, text: line}
		if _, comment, ok := strings.Cut(line, " #"); ok {
			if m := exitRe.FindStringSubmatch(comment); m != nil {
				c.want, _ = strconv.Atoi(m[1])
			}
		}
		if strings.HasSuffix(trimmed, "\\") {
			cur = &c
			continue
		}
		cmds = append(cmds, c)
	}
	if cur != nil {
		cmds = append(cmds, *cur)
	}
	return cmds
}

// shellScript runs cmds in order and stops at the first that does not exit
// as the docs say, naming its line.
func shellScript(file string, cmds []docCommand, tmp string) string {
	var b strings.Builder
	b.WriteString("set -u\n")
	for _, c := range cmds {
		text := strings.ReplaceAll(c.text, "/tmp/", tmp+"/")
		fmt.Fprintf(&b, "%s\n__rc=$?\nif [ $__rc -ne %d ]; then echo %s >&2; exit 111; fi\n",
			text, c.want, strconv.Quote(fmt.Sprintf("%s:%d: exit status $__rc, the docs say %d: %s", file, c.line, c.want, firstLine(c.text))))
	}
	return b.String()
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return strings.ReplaceAll(line, "$", `\$`)
}

func TestDocsShellExamplesRun(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the shell examples are POSIX shell")
	}
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash on PATH")
	}
	bin := t.TempDir()
	buildBgtask(t, bin)
	repo, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	ran := 0
	for _, f := range docFiles(t) {
		t.Run(filepath.ToSlash(f), func(t *testing.T) {
			work := docScratch(t, repo, bin)
			for _, b := range readDocBlocks(t, f) {
				if b.lang != "sh" && b.lang != "console" {
					continue
				}
				if b.skip != "" {
					t.Logf("%s: not tested: %s", b, b.skip)
					continue
				}
				if missing := missingPrograms(b.requires); missing != "" {
					t.Logf("%s: skipped, %s is not installed", b, missing)
					continue
				}
				cmds := shellCommands(b)
				if len(cmds) == 0 {
					continue
				}
				ran++
				runDocScript(t, bash, work, bin, b, shellScript(b.file, cmds, filepath.Join(work, "tmp")))
			}
		})
	}
	if ran == 0 {
		t.Fatal("no shell blocks ran: the parser is broken")
	}
}

func missingPrograms(names []string) string {
	for _, n := range names {
		if _, err := exec.LookPath(n); err != nil {
			return n
		}
	}
	return ""
}

// docScratch is the folder a doc's examples run in: an app folder with the
// sample manifest, the example plugin and the Python plugin.
func docScratch(t *testing.T, repo, bin string) string {
	t.Helper()
	work := t.TempDir()
	for _, d := range []string{"tmp", "home"} {
		if err := os.Mkdir(filepath.Join(work, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	copyFile(t, filepath.Join(repo, "testdata", "seed", "Package.appxmanifest"), filepath.Join(work, "Package.appxmanifest"), 0o644)
	copyFile(t, filepath.Join(repo, "testdata", "plugins", "python", "task.py"), filepath.Join(work, "task.py"), 0o644)
	copyFile(t, filepath.Join(bin, "mytask"), filepath.Join(work, "mytask"), 0o755)
	if err := os.Symlink(filepath.Join(repo, "testdata"), filepath.Join(work, "testdata")); err != nil {
		t.Fatal(err)
	}
	return work
}

func copyFile(t *testing.T, from, to string, mode os.FileMode) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, mode); err != nil {
		t.Fatal(err)
	}
}

func runDocScript(t *testing.T, bash, work, bin string, b docBlock, script string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bash, "-c", script)
	cmd.Dir = work
	cmd.WaitDelay = 5 * time.Second
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case "BGTASK_REGISTRY", "HOME", "TMPDIR", "PATH", "NO_COLOR":
			continue
		}
		env = append(env, kv)
	}
	cmd.Env = append(env, "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"),
		"HOME="+filepath.Join(work, "home"), "TMPDIR="+filepath.Join(work, "tmp"), "NO_COLOR=1")
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		t.Errorf("%s: the block did not finish within 90 s; if it cannot run unattended, mark it <!-- not tested: REASON -->\n%s", b, out)
		return
	}
	if err != nil {
		t.Errorf("%s: %v\n%s", b, err, lastLines(string(out), 30))
	}
}

func lastLines(s string, n int) string {
	var lines []string
	sc := bufio.NewScanner(strings.NewReader(s))
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// Every relative link of the docs names a file of the repository, and a
// #fragment names a heading of the linked page, as GitHub renders them.
func TestDocsLinksResolve(t *testing.T) {
	linkRe := regexp.MustCompile(`\]\(([^)\s]+)\)`)
	for _, f := range docFiles(t) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		inFence := false
		for i, line := range strings.Split(string(data), "\n") {
			if strings.HasPrefix(strings.TrimSpace(line), "```") {
				inFence = !inFence
			}
			if inFence {
				continue
			}
			for _, m := range linkRe.FindAllStringSubmatch(line, -1) {
				target := m[1]
				if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
					continue
				}
				file, frag, _ := strings.Cut(target, "#")
				path := f
				if file != "" {
					path = filepath.Join(filepath.Dir(f), filepath.FromSlash(file))
					if _, err := os.Stat(path); err != nil {
						t.Errorf("%s:%d: link %s: no such file", f, i+1, target)
						continue
					}
				}
				if frag != "" && strings.HasSuffix(path, ".md") && !headingSlugs(t, path)[frag] {
					t.Errorf("%s:%d: link %s: %s has no heading #%s", f, i+1, target, filepath.ToSlash(path), frag)
				}
			}
		}
	}
}

// headingSlugs are the anchors GitHub gives a page's headings: lower case,
// punctuation dropped, spaces as hyphens.
func headingSlugs(t *testing.T, path string) map[string]bool {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	slugs := map[string]bool{}
	inFence := false
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			inFence = !inFence
		}
		if inFence || !strings.HasPrefix(line, "#") {
			continue
		}
		text := strings.TrimSpace(strings.TrimLeft(line, "#"))
		var b strings.Builder
		for _, r := range strings.ToLower(text) {
			switch {
			case r == ' ':
				b.WriteRune('-')
			case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
				b.WriteRune(r)
			}
		}
		slugs[b.String()] = true
	}
	return slugs
}
