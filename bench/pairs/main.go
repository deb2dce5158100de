// Command pairs times two commands against each other and makes the inputs
// bench/run.sh needs. It is a benchmark helper, not part of bgtask.
//
//	pairs ratio -name NAME [-pairs 9] [-repeat 1] [-target "<= 1.0"] -a 'CMD ARGS' -b 'CMD ARGS'
//	pairs time  -name NAME [-pairs 9] [-repeat 1] [-target "<= 30"] -a 'CMD ARGS'
//	pairs manifests DIR N     N small realistic manifests in DIR/NNN/Package.appxmanifest
//	pairs extensions FILE N   one manifest declaring N background task extensions
//	pairs registry FILE N     a registry file holding N registrations
//
// time runs A alone and prints the median of its CPU time (user + system):
// on a machine shared with other work, wall time measures the wait for a
// core as much as the command.
//
// ratio runs A then B (then B then A on the next pair, so neither side always
// goes first), each `repeat` times in a row, `pairs` times, and prints one
// line: the median of the per-pair ratios A/B, and each side's median time.
// Running the sides interleaved lets load on the shared machine fall on both
// alike; the median ignores the pairs a load spike hit. Commands are split on
// spaces (no quoting); a word holding '*' is expanded as a glob, and {i} is
// replaced by the run's number, so a command that must change something new
// each time (register another name) can. Each command's exit status must be
// 0, or 1 for lint (findings), unless -any-exit is given.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	var err error
	switch os.Args[1] {
	case "ratio":
		err = runRatio(os.Args[2:], true)
	case "time":
		err = runRatio(os.Args[2:], false)
	case "manifests":
		err = withCount(os.Args[2:], genManifests)
	case "extensions":
		err = withCount(os.Args[2:], genExtensions)
	case "registry":
		err = withCount(os.Args[2:], genRegistry)
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "pairs:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: pairs ratio|time|manifests|extensions|registry ... (see bench/pairs/main.go)")
	os.Exit(2)
}

func withCount(args []string, gen func(string, int) error) error {
	if len(args) != 2 {
		usage()
	}
	n, err := strconv.Atoi(args[1])
	if err != nil {
		return err
	}
	return gen(args[0], n)
}

type sample struct {
	elapsed time.Duration
	cpu     time.Duration // user + system time of the process
	maxRSS  int64         // KiB, the largest of the batch
}

func runRatio(args []string, paired bool) error {
	fs := flag.NewFlagSet("ratio", flag.ExitOnError)
	name := fs.String("name", "", "what is measured, printed first")
	pairs := fs.Int("pairs", 9, "how many samples of each side")
	repeat := fs.Int("repeat", 1, "runs per sample (for commands of a few milliseconds)")
	target := fs.String("target", "", `the target, printed and checked: "<= 1.2" (ratio, or ms for time)`)
	a := fs.String("a", "", "the command measured")
	b := fs.String("b", "", "the baseline command")
	anyExit := fs.Bool("any-exit", false, "accept any exit status")
	_ = fs.Parse(args)
	if *a == "" || (paired && *b == "") {
		usage()
	}
	run := 0
	side := func(cmd string) (sample, error) {
		var s sample
		for range *repeat {
			run++
			one, err := runOnce(cmd, run, *anyExit)
			if err != nil {
				return s, err
			}
			s.elapsed += one.elapsed
			s.cpu += one.cpu
			s.maxRSS = max(s.maxRSS, one.maxRSS)
		}
		s.elapsed /= time.Duration(*repeat)
		s.cpu /= time.Duration(*repeat)
		return s, nil
	}
	// One unmeasured round warms the page cache and the binaries.
	if _, err := side(*a); err != nil {
		return err
	}
	if paired {
		if _, err := side(*b); err != nil {
			return err
		}
	}
	var ratios, as, bs, cpus, cpuRatios []float64
	var rss int64
	for i := range *pairs {
		var sa, sb sample
		var err error
		if !paired {
			sa, err = side(*a)
		} else if i%2 == 0 {
			if sa, err = side(*a); err == nil {
				sb, err = side(*b)
			}
		} else {
			if sb, err = side(*b); err == nil {
				sa, err = side(*a)
			}
		}
		if err != nil {
			return err
		}
		as = append(as, ms(sa.elapsed))
		cpus = append(cpus, ms(sa.cpu))
		rss = max(rss, sa.maxRSS)
		if paired {
			bs = append(bs, ms(sb.elapsed))
			ratios = append(ratios, float64(sa.elapsed)/float64(sb.elapsed))
			if sb.cpu > 0 {
				cpuRatios = append(cpuRatios, float64(sa.cpu)/float64(sb.cpu))
			}
		}
	}
	// Alone, a command is judged by its CPU time: on a loaded machine its
	// wall time measures the queue for a core as much as the command.
	value, unit := median(cpus), " ms"
	detail := fmt.Sprintf("CPU time, median of %d runs; wall %.2f ms; peak RSS %.1f MB", *pairs, median(as), float64(rss)/1024)
	if paired {
		value, unit = median(ratios), "x"
		detail = fmt.Sprintf("median of %d pairs; A %.2f ms, B %.2f ms; ratios %.2f-%.2f; A peak RSS %.1f MB",
			*pairs, median(as), median(bs), slices.Min(ratios), slices.Max(ratios), float64(rss)/1024)
		// The ratio of CPU times leaves out what neither side computes: the
		// wait for a core, and for the disk (an edit's fsync).
		if len(cpuRatios) > 0 {
			detail += fmt.Sprintf("; CPU time ratio %.2fx", median(cpuRatios))
		}
	}
	verdict := ""
	if *target != "" {
		verdict = fmt.Sprintf("  target %s%s: %s", *target, strings.TrimSpace(unit), meets(value, *target))
	}
	fmt.Printf("%-44s %7.2f%s%s  (%s)\n", *name, value, unit, verdict, detail)
	return nil
}

// meets checks value against "<= X" or ">= X".
func meets(value float64, target string) string {
	op, num, _ := strings.Cut(strings.TrimSpace(target), " ")
	limit, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
	if err != nil {
		return "?"
	}
	ok := (op == "<=" && value <= limit) || (op == ">=" && value >= limit)
	if ok {
		return "met"
	}
	return "MISSED"
}

func runOnce(command string, run int, anyExit bool) (sample, error) {
	var argv []string
	for _, w := range strings.Fields(strings.ReplaceAll(command, "{i}", strconv.Itoa(run))) {
		if strings.Contains(w, "*") {
			m, err := filepath.Glob(w)
			if err != nil || len(m) == 0 {
				return sample{}, fmt.Errorf("%s matches nothing", w)
			}
			argv = append(argv, m...)
			continue
		}
		argv = append(argv, w)
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	start := time.Now()
	err := cmd.Run()
	elapsed := time.Since(start)
	if err != nil && !anyExit {
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 || !strings.Contains(command, " lint") {
			return sample{}, fmt.Errorf("%s: %v\n%s", argv[0], err, firstLines(stderr.String(), 5))
		}
	}
	ps := cmd.ProcessState
	return sample{elapsed: elapsed, cpu: ps.UserTime() + ps.SystemTime(), maxRSS: maxRSS(ps)}, nil
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	return strings.Join(lines[:min(n, len(lines))], "\n")
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
