#!/usr/bin/env bash
# bgtask serve against bare baselines measured in the same run (Linux):
#   - accepted notifications/s (8 TLS clients, one shared http.Client) vs a
#     bare net/http handler answering 200 to the same requests: ratio >= 0.5
#   - serve's peak RSS under that load: <= 50 MB
#   - deliveries/s end to end (send -> answer -> broker -> no-op plugin run)
#     vs starting the same no-op plugin back to back: ratio >= 0.8
# See BenchmarkServeProcess in pkg/wns/bench_test.go.
set -euo pipefail
cd "$(dirname "$0")/.."

out=$(go test -run '^$' -bench '^BenchmarkServeProcess$' -benchtime 1x -count 1 "$@" ./pkg/wns) || { echo "$out"; exit 1; }
echo "$out"
echo "$out" | awk '
  /^BenchmarkServeProcess/ {
    for (i = 1; i < NF; i++) m[$(i+1)] = $i
  }
  END {
    if (m["serve/bare"] == "") { print "the benchmark did not run"; exit 1 }
    printf "accepted/s: serve %.0f, bare %.0f, ratio %.2f (target >= 0.5)\n", m["serve-accepted/s"], m["bare-accepted/s"], m["serve/bare"]
    printf "peak RSS under load: %.1f MB (target <= 50), delivering: %.1f MB\n", m["serve-peak-RSS-MB"], m["deliver-peak-RSS-MB"]
    printf "deliveries/s: %.1f end to end, %.1f bare plugin starts, ratio %.2f (target >= 0.8)\n", m["deliveries/s"], m["bare-starts/s"], m["deliveries/starts"]
    printf "  the push broker alone (as bgtask push): %.1f/s; serve end to end / broker alone: %.2f\n", m["broker-pushes/s"], m["deliveries/broker-pushes"]
  }'
