#!/usr/bin/env bash
# Lint throughput over the shared corpus (../shared/corpus/manifests), against
# a bare baseline measured in the same run: reading each file and running
# encoding/xml's tokenizer over it. Prints files/s for both and the ratio
# (baseline / lint: how many times slower the full lint is than the least any
# XML linter must do).
#
#   bench/lint.sh            # 2 s per benchmark (the default)
#   BENCHTIME=5s bench/lint.sh
set -euo pipefail
cd "$(dirname "$0")/.."

out=$(go test -run '^$' -bench '^(BenchmarkLintCorpus|BenchmarkBaselineReadTokenize)$' \
  -benchtime "${BENCHTIME:-2s}" -count 1 ./pkg/lint)
echo "$out"
echo "$out" | awk '
  /^BenchmarkLintCorpus/           { for (i = 1; i < NF; i++) if ($(i+1) == "files/s") lint = $i }
  /^BenchmarkBaselineReadTokenize/ { for (i = 1; i < NF; i++) if ($(i+1) == "files/s") base = $i }
  END {
    if (lint == "" || base == "") { print "benchmarks did not run (is ../shared/corpus there?)"; exit 1 }
    printf "lint: %.0f files/s   baseline read+tokenize: %.0f files/s   ratio baseline/lint: %.2f\n", lint, base, base / lint
  }'
