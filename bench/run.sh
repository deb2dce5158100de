#!/usr/bin/env bash
# bgtask's speed, one line per ratio against a bare baseline measured in the
# same run (absolute times on a shared 2-core machine are noise; ratios of
# interleaved runs are not). Method, machine and latest results:
# docs/benchmarks.md.
#
#   bench/run.sh              # every line
#   bench/run.sh lint startup # only the groups named
#   PAIRS=15 bench/run.sh     # more pairs per line (default 9)
#
# Needs Go, and xmllint (Debian: apt-get install libxml2-utils) for the lint
# baselines; a line whose baseline is missing says so and is skipped. Inputs
# are generated into a temporary folder; the 113 real manifests are the
# shared corpus beside the checkout (../shared/corpus/manifests), skipped when
# it is absent.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
pairs=${PAIRS:-9}
groups=${*:-startup lint registry edit push serve}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bin=$work/bin
mkdir -p "$bin"
# Release builds of bgtask and of the baselines (bench/build.sh: the flags).
bench/build.sh "$bin" . ./bench/hello ./bench/pairs ./bench/initonly ./bench/linked ./bench/nethttp
bg=$bin/bgtask
P=$bin/pairs

# ratio NAME TARGET A B [pairs flags...]: one line, A's time over B's.
ratio() {
  local name=$1 target=$2 a=$3 b=$4
  shift 4
  "$P" ratio -name "$name" -target "$target" -pairs "$pairs" -a "$a" -b "$b" "$@"
}
# timed NAME TARGET A [pairs flags...]: one line, A's median in ms.
timed() {
  local name=$1 target=$2 a=$3
  shift 3
  "$P" time -name "$name" -target "$target" -pairs "$pairs" -a "$a" "$@"
}
have() {
  command -v "$1" >/dev/null || { echo "$2: skipped ($1 not installed)"; return 1; }
}
want() { [[ " $groups " == *" $1 "* ]]; }

echo "# bench/run.sh $(date -u +%Y-%m-%dT%H:%MZ) $(go env GOOS)/$(go env GOARCH) $(nproc) cores, $(go version | cut -d' ' -f3), load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo ?)"

if want startup; then
  ratio "start-up: bgtask --version / hello" "<= 1.2" "$bg --version" "$bin/hello" -repeat 30
  # Where it goes (docs/benchmarks.md): every linked package's init alone
  # (a 4 MB binary), then the same in a binary as large as bgtask's.
  ratio "start-up parts: package inits only / hello" "" "$bin/initonly" "$bin/hello" -repeat 30
  # The floor: serve's part of Go's standard library, and nothing else.
  ratio "start-up parts: net/http and crypto/tls alone / hello" "" "$bin/nethttp" "$bin/hello" -repeat 30
  ratio "start-up parts: bgtask-sized binary, nothing run / hello" "" "$bin/linked" "$bin/hello" -repeat 30
fi

if want lint; then
  if have xmllint "lint"; then
    "$P" manifests "$work/m10k" 10000
    ratio "lint 10,000 manifests / xmllint" "<= 1.0" \
      "$bg lint $work/m10k" "xmllint --noout $work/m10k/*/Package.appxmanifest" -pairs "$(( (pairs + 1) / 2 ))"
    corpus=${BGTASK_CORPUS:-$repo/../shared/corpus}/manifests
    if ls "$corpus"/*.appxmanifest >/dev/null 2>&1; then
      # The corpus holds manifests broken on purpose: both sides report them.
      ratio "lint 113 real manifests / xmllint" "<= 1.3" \
        "$bg lint $corpus" "xmllint --noout $corpus/*.appxmanifest" -any-exit -repeat 5
    else
      echo "lint 113 real manifests: skipped (no $corpus)"
    fi
  fi
fi

if want registry; then
  mkdir -p "$work/app"
  "$P" extensions "$work/app/Package.appxmanifest" 1
  "$P" registry "$work/app/.bgtask/registry.json" 10000
  # {i}: a new name each run, so every run writes the registry.
  timed "register into 10,000 registrations (ms)" "<= 30" \
    "$bg --manifest $work/app/Package.appxmanifest --registry $work/app/.bgtask/registry.json register --name Bench{i} --entry-point Tasks.Task1 --trigger push"
  ratio "register into 10,000 / bgtask --version" "" \
    "$bg --manifest $work/app/Package.appxmanifest --registry $work/app/.bgtask/registry.json register --name More{i} --entry-point Tasks.Task1 --trigger push" \
    "$bg --version"
fi

if want edit && have xmllint "manifest add"; then
  "$P" extensions "$work/big.appxmanifest" 10000
  ratio "manifest add into 10,000 extensions / xmllint" "<= 2.0" \
    "$bg --manifest $work/big.appxmanifest manifest add --entry-point Tasks.New{i} --type pushNotification" \
    "xmllint --noout $work/big.appxmanifest"
fi

if want push; then
  # push: a whole `bgtask push` to one no-op plugin registration vs
  # `bgtask --version` + the same plugin run bare (target <= 1.15).
  bench/push.sh 60 | tail -1
fi

if want serve; then
  # serve: accepted notifications/s vs a bare net/http process, peak RSS,
  # deliveries/s vs starting the no-op plugin back to back (bench/serve.sh).
  if [ "$(go env GOOS)" = linux ]; then
    bench/serve.sh | tail -4
  else
    echo "serve: skipped (reads peak RSS from /proc: Linux only)"
  fi
fi
