package cmd

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/bgtask/bgtask/internal/corpus"
	"github.com/bgtask/bgtask/internal/wine"
)

// TestMain lets testscript run the real bgtask command tree in-process as the
// "bgtask" program, so scripts exercise exactly what users run.
func TestMain(m *testing.M) {
	// Under -race every process this test binary starts again (bgtask in
	// scripts, the test plugins) sleeps a second at exit unless GORACE says
	// otherwise: a plugin would then outlive a short --grace and be killed
	// after completing. testscript passes GORACE on to the scripts.
	if _, set := os.LookupEnv("GORACE"); !set {
		os.Setenv("GORACE", "atexit_sleep_ms=0")
	}
	testscript.Main(m, map[string]func(){
		"bgtask":            func() { os.Exit(Main(SystemIO(), os.Args[1:])) },
		"bgtask-testplugin": testPluginMain,
		"exit-code":         exitCodeMain,
		"wait-for-file":     waitForFileMain,
	})
}

// TestScript runs every scenario in testdata/script. Scripts find the shipped
// samples under $TESTDATA (the repository's testdata folder) and the shared
// real-world corpus under $CORPUS (empty when it is absent; such scripts
// [skip] themselves).
func TestScript(t *testing.T) {
	corpusDir, err := corpus.Locate()
	if err != nil {
		corpusDir = mustAbs("../../shared/corpus/manifests")
	}
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: true,
		Setup: func(env *testscript.Env) error {
			env.Setenv("TESTDATA", mustAbs("../testdata"))
			env.Setenv("CORPUS", corpusDir)
			env.Setenv("NO_COLOR", "")
			env.Setenv("SAMPLE", mustAbs("../examples/sampleapp/Package.appxmanifest"))
			// The test plugin is this test binary under another name, put
			// on PATH by testscript; scripts register it by its full path.
			testPlugin, err := exec.LookPath("bgtask-testplugin")
			if err != nil {
				return err
			}
			env.Setenv("TESTPLUGIN", testPlugin)
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			// samefield NAME FILE1 FILE2: the first JSON string member NAME
			// has the same value in both files.
			"samefield": func(ts *testscript.TestScript, neg bool, args []string) {
				if len(args) != 3 {
					ts.Fatalf("usage: samefield NAME FILE1 FILE2")
				}
				re := regexp.MustCompile(`"` + regexp.QuoteMeta(args[0]) + `": "([^"]*)"`)
				var values []string
				for _, f := range args[1:] {
					m := re.FindStringSubmatch(ts.ReadFile(f))
					if m == nil {
						ts.Fatalf("%s has no %q member", f, args[0])
					}
					values = append(values, m[1])
				}
				if neg == (values[0] == values[1]) {
					ts.Fatalf("%s: %q in %s, %q in %s (negated: %t)", args[0], values[0], args[1], values[1], args[2], neg)
				}
			},
			"nooverlap": func(ts *testscript.TestScript, neg bool, args []string) {
				if len(args) != 1 {
					ts.Fatalf("usage: nooverlap FILE")
				}
				err := noOverlap(ts.ReadFile(args[0]))
				if neg != (err != nil) {
					ts.Fatalf("nooverlap %s: %v (negated: %t)", args[0], err, neg)
				}
			},
		},
		Condition: func(cond string) (bool, error) {
			switch cond {
			case "corpus":
				_, err := os.Stat(corpusDir)
				return err == nil, nil
			}
			// [wine:NAME]: under Wine, which has limitation NAME (internal/wine).
			if name, ok := strings.CutPrefix(cond, "wine:"); ok {
				if _, known := wine.Named[name]; !known {
					return false, fmt.Errorf("unknown Wine limitation %q (internal/wine names them)", name)
				}
				return wine.Active(), nil
			}
			return false, nil
		},
	})
}

func TestExecuteUnknownFlagIsUsageError(t *testing.T) {
	io, _, _, errOut := TestIO()
	if code := Execute(context.Background(), io, []string{"--no-such-flag"}); code != ExitUsage {
		t.Fatalf("exit code = %d, want %d; stderr: %s", code, ExitUsage, errOut)
	}
}

// exitCodeMain is "exit-code N PROGRAM ARG...": it runs PROGRAM with its
// output passed through and succeeds only if PROGRAM exits with status N,
// since testscript's "! exec" cannot tell exit 1 from 2 or 3.
func exitCodeMain() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: exit-code N PROGRAM [ARG...]")
		os.Exit(2)
	}
	want, err := strconv.Atoi(os.Args[1])
	if err != nil {
		fmt.Fprintf(os.Stderr, "exit-code: %q is not a number\n", os.Args[1])
		os.Exit(2)
	}
	c := exec.Command(os.Args[2], os.Args[3:]...)
	c.Stdin, c.Stdout, c.Stderr = os.Stdin, os.Stdout, os.Stderr
	err = c.Run()
	got := 0
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		got = ee.ExitCode()
	case err != nil:
		fmt.Fprintf(os.Stderr, "exit-code: %v\n", err)
		os.Exit(2)
	}
	if got != want {
		fmt.Fprintf(os.Stderr, "exit-code: %s exited %d, want %d\n", os.Args[2], got, want)
		os.Exit(1)
	}
}

// waitForFileMain is "wait-for-file PATH TIMEOUT": it polls until PATH
// exists and fails after TIMEOUT, so a script can wait for a background
// command to reach a state without a fixed sleep.
func waitForFileMain() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: wait-for-file PATH TIMEOUT")
		os.Exit(2)
	}
	limit, err := time.ParseDuration(os.Args[2])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	for deadline := time.Now().Add(limit); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if _, err := os.Stat(os.Args[1]); err == nil {
			return
		}
	}
	fmt.Fprintf(os.Stderr, "wait-for-file: %s did not appear within %s\n", os.Args[1], limit)
	os.Exit(1)
}

func mustAbs(p string) string {
	abs, err := filepath.Abs(p)
	if err != nil {
		panic(err)
	}
	return abs
}

// A usage error found before --no-color is parsed still honours it.
func TestUsageErrorHonoursNoColorFlag(t *testing.T) {
	for _, args := range [][]string{{"--bogus", "--no-color"}, {"no-such-command", "--no-color"}} {
		io, _, _, errOut := TestIO()
		io.ErrTTY = true
		if code := Execute(context.Background(), io, args); code != ExitUsage {
			t.Fatalf("%v: exit %d, want %d", args, code, ExitUsage)
		}
		if strings.Contains(errOut.String(), "\x1b[") {
			t.Errorf("%v: colour on stderr despite --no-color: %q", args, errOut.String())
		}
	}
	io, _, _, errOut := TestIO()
	io.ErrTTY = true
	Execute(context.Background(), io, []string{"--bogus"})
	if !strings.Contains(errOut.String(), "\x1b[") {
		t.Errorf("no colour on a terminal without --no-color: %q", errOut.String())
	}
}
