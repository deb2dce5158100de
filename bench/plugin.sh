#!/bin/sh
# Host overhead of one plugin run: a no-op task plugin run through bgtask's
# host versus starting the same binary and waiting (see BenchmarkHostOverhead
# in pkg/simulate). Pass extra go test flags, e.g. -benchtime 200x -count 5.
set -eu
cd "$(dirname "$0")/.."
exec go test -run '^$' -bench '^BenchmarkHostOverhead$' -benchtime 100x "$@" ./pkg/simulate
