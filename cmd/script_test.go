package cmd

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
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
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: true,
		Setup: func(env *testscript.Env) error {
			env.Setenv("TESTDATA", mustAbs("../testdata"))
			env.Setenv("CORPUS", mustAbs("../../shared/corpus/manifests"))
			env.Setenv("NO_COLOR", "")
			return nil
		},
		Condition: func(cond string) (bool, error) {
			switch cond {
			case "corpus":
				_, err := os.Stat("../../shared/corpus/manifests")
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
