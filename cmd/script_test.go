package cmd

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/bgtask/bgtask/internal/corpus"
)

// TestMain lets testscript run the real bgtask command tree in-process as the
// "bgtask" program, so scripts exercise exactly what users run.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"bgtask": func() { os.Exit(Main(SystemIO(), os.Args[1:])) },
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
			return nil
		},
		Condition: func(cond string) (bool, error) {
			switch cond {
			case "corpus":
				_, err := os.Stat(corpusDir)
				return err == nil, nil
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
