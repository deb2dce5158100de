package tasks

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
)

// registryOf returns the encoded registry of n push registrations.
func registryOf(b *testing.B, n int) []byte {
	reg := &Registry{}
	at := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	for i := range n {
		reg.Registrations = append(reg.Registrations, Registration{
			TaskID: uuid.New(), Name: fmt.Sprintf("Task%06d", i), EntryPoint: "Tasks.Task1",
			Trigger: Trigger{Kind: TriggerPush}, Registered: at,
		})
	}
	data, err := Encode(reg)
	if err != nil {
		b.Fatal(err)
	}
	return data
}

// BenchmarkRegisterInto10000 is one `bgtask register` of a new name into a
// registry of 10,000 (bench/run.sh times the whole command): lock, read,
// decode, check, encode, atomic write.
func BenchmarkRegisterInto10000(b *testing.B) {
	path := filepath.Join(b.TempDir(), "registry.json")
	if err := os.WriteFile(path, registryOf(b, 10000), 0o644); err != nil {
		b.Fatal(err)
	}
	i := 0
	for b.Loop() {
		i++
		req := Request{Name: fmt.Sprintf("New%d", i), EntryPoint: "Tasks.Task1", Trigger: Trigger{Kind: TriggerPush}}
		if _, err := Register(context.Background(), path, req, RegisterOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecode10000 and BenchmarkEncode10000 are its two halves.
func BenchmarkDecode10000(b *testing.B) {
	data := registryOf(b, 10000)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Decode("r.json", data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEncode10000(b *testing.B) {
	reg, err := Decode("r.json", registryOf(b, 10000))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := Encode(reg); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRegistrationsSorted10000 is the order check a registry gets as it
// is read and as it is written, against slices.IsSortedFunc with the
// comparison by value it replaced (two 200-byte copies a step): compare
// the two sub-benchmarks.
func BenchmarkRegistrationsSorted10000(b *testing.B) {
	regs := make([]Registration, 10000)
	for i := range regs {
		regs[i] = Registration{TaskID: uuid.New(), Name: fmt.Sprintf("Task%06d", i), EntryPoint: "Tasks.Task1"}
	}
	b.Run("registrationsSorted", func(b *testing.B) {
		for b.Loop() {
			if !registrationsSorted(regs) {
				b.Fatal("sorted registrations reported unsorted")
			}
		}
	})
	b.Run("IsSortedFunc-by-value", func(b *testing.B) {
		for b.Loop() {
			if !slices.IsSortedFunc(regs, compareRegistrations) {
				b.Fatal("sorted registrations reported unsorted")
			}
		}
	})
}
