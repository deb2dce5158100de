package tasks

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"
)

// childEnv makes the test binary act as a bgtask process for the
// multi-process tests instead of running tests: the value says what to do.
const childEnv = "BGTASK_TASKS_TEST_CHILD"

func TestMain(m *testing.M) {
	switch os.Getenv(childEnv) {
	case "":
		os.Exit(m.Run())
	case "register-one":
		os.Exit(childRegisterOne(os.Getenv("REGISTRY"), os.Getenv("NAME")))
	case "register-loop":
		os.Exit(childRegisterLoop(os.Getenv("REGISTRY")))
	default:
		fmt.Fprintf(os.Stderr, "unknown %s=%q\n", childEnv, os.Getenv(childEnv))
		os.Exit(3)
	}
}

func childRegisterOne(path, name string) int {
	req := Request{Name: name, EntryPoint: "Tasks.ExampleBackgroundTask", Trigger: Trigger{Kind: TriggerPush}}
	if _, err := Register(context.Background(), path, req, RegisterOptions{}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// childRegisterLoop writes the registry as fast as it can until killed:
// registering a new name, then unregistering the one before, so the file
// keeps changing while staying small.
func childRegisterLoop(path string) int {
	ctx := context.Background()
	prefix := "crash-" + strconv.Itoa(os.Getpid()) + "-"
	// Tell the parent start-up is over, so its random delay lands in the
	// middle of registry writes rather than in process start-up.
	fmt.Println("ready")
	for i := 0; ; i++ {
		req := Request{
			Name:       prefix + strconv.Itoa(i),
			EntryPoint: "Tasks.ExampleBackgroundTask",
			Trigger:    Trigger{Kind: TriggerTimer, FreshnessMinutes: uint32(15 + i)},
			Conditions: []SystemConditionType{3},
		}
		if _, err := Register(ctx, path, req, RegisterOptions{}); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		if i > 0 {
			if _, err := Unregister(ctx, path, Selector{Name: prefix + strconv.Itoa(i-1)}); err != nil {
				fmt.Fprintln(os.Stderr, err)
				return 1
			}
		}
	}
}
