#!/usr/bin/env bash
# Lint speed against xmllint, interleaved pairs and medians: the lint lines of
# bench/run.sh (see docs/benchmarks.md). The Go benchmarks of pkg/lint
# (BenchmarkLintCorpus, BenchmarkBaselineReadTokenize) remain for profiling.
exec "$(dirname "$0")/run.sh" lint
