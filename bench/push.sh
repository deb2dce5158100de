#!/usr/bin/env bash
# Per-delivery overhead of `bgtask push`: a whole `bgtask push` to one
# registration of a no-op task plugin, against the bare baseline of the same
# work without bgtask's delivery: `bgtask --version` (the same binary's
# start-up) followed by the same plugin started and run to its exit with its
# stdin at end of file (it writes its handshake and exits). The two sides are
# interleaved, run after run, so machine drift lands on both; the figures are
# medians. Prints one line:
#   push: ratio R (push median A ms, bare median B ms, N runs)
# Usage: bench/push.sh [RUNS]   (default 60)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-60}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Release-style builds, as docs/benchmarks.md describes them.
CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o "$work/bgtask" .
CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o "$work/noop" ./testdata/plugins/noop
cd "$work"
./bgtask --registry reg.json register --no-manifest-check --name Noop --entry-point Tasks.Noop --trigger push --plugin "$work/noop" >/dev/null
# Warm the page cache, and stop here if the delivery does not complete.
./bgtask --registry reg.json push --payload x >/dev/null 2>&1 || { echo "push: the warm-up delivery failed" >&2; exit 1; }

# Times in microseconds from bash itself: a `date`, or even the subshell of
# a $(...), would add its own start to both sides of every pair and pull
# the ratio towards 1.
us() { local t=${EPOCHREALTIME/[.,]/}; us=$((10#$t)); }
push_us=() bare_us=()
push() { ./bgtask --registry reg.json push --payload x >/dev/null 2>&1; }
bare() { ./bgtask --version >/dev/null; ./noop </dev/null >/dev/null 2>&1; }
# The sides take turns going first, as bench/pairs runs them: whichever runs
# second in a pair measured a few percent slower here.
for ((i = 0; i < runs; i++)); do
  if ((i % 2 == 0)); then
    us; t0=$us; push; us; t1=$us; bare; us; t2=$us
    push_us+=($((t1 - t0))) bare_us+=($((t2 - t1)))
  else
    us; t0=$us; bare; us; t1=$us; push; us; t2=$us
    bare_us+=($((t1 - t0))) push_us+=($((t2 - t1)))
  fi
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
p=$(median "${push_us[@]}")
b=$(median "${bare_us[@]}")
awk -v p="$p" -v b="$b" -v n="$runs" 'BEGIN {
  printf "push: ratio %.2f (push median %.2f ms, bare median %.2f ms, %d runs)\n", p / b, p / 1e3, b / 1e3, n }'
