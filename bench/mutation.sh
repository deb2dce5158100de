#!/usr/bin/env bash
# Mutation testing with Gremlins: change one operator or branch at a time in a
# package, run that package's tests, and count the changes the tests notice.
# Prints, per package, the mutants killed and lived and the score
# killed / (killed + lived). Not run in CI (minutes per package); see
# docs/testing.md for what the numbers mean and for the equivalent mutants.
#
#   bench/mutation.sh                     # the packages issue 15 measured
#   bench/mutation.sh pkg/tasks pkg/lint  # some of them
#   WORKERS=2 TIMEOUT_COEFFICIENT=20 bench/mutation.sh pkg/manifest
#   EXCLUDE='^rule_' bench/mutation.sh pkg/lint    # all but the rule files
#   ONLY='^(tokens|scan)\.go$' bench/mutation.sh pkg/manifest   # only these files
#   RUN='^Test(Run|Log)' bench/mutation.sh pkg/simulate     # only these tests
#
# Every operator Gremlins has is enabled, not only its defaults: `continue`
# turned `break` and `&&` turned `||` are exactly the slips a net must catch.
# The mutants that lived are listed (file:line:col and operator); the full
# results are kept in $OUT (default: a fresh temporary folder) as JSON.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

version=v0.6.0
gremlins=$(command -v gremlins || true)
if [ -z "$gremlins" ]; then
  gremlins="$(go env GOPATH)/bin/gremlins"
  if [ ! -x "$gremlins" ]; then
    echo "installing gremlins $version (go install)" >&2
    go install "github.com/go-gremlins/gremlins/cmd/gremlins@$version"
  fi
fi

# Gremlins runs each mutant's tests in a copy of the module under a temporary
# folder, where ../shared is not beside it: the corpus is named instead.
if [ -z "${BGTASK_CORPUS:-}" ] && [ -d "$root/../shared/corpus" ]; then
  BGTASK_CORPUS=$(cd "$root/../shared/corpus" && pwd)
fi
export BGTASK_CORPUS
# The timeout of each mutant's run is the first (coverage) run's time times
# the coefficient; a cached coverage run would make it a fraction of a second
# and every mutant time out. -short skips the soak tests (pkg/tasks' 20-second
# kill loop): they test fsutil's atomic writes, which fsutil's own tests pin,
# and would multiply the run time by twenty.
export GOFLAGS="${GOFLAGS:+$GOFLAGS }-count=1 -short"
# RUN: a regexp of the tests to run (go test -run), for packages whose whole
# suite is slow while the files measured are tested by a part of it. The
# score is then that of those tests: mutants they do not reach count as not
# covered, whatever other tests would do.
if [ -n "${RUN:-}" ]; then
  case $RUN in *' '*) echo "RUN must not contain spaces (it goes through GOFLAGS)" >&2; exit 2 ;; esac
  GOFLAGS="$GOFLAGS -run=$RUN"
fi

out=${OUT:-$(mktemp -d)}
mkdir -p "$out"
# Gremlins reads each source file only when it reaches it, and runs the
# tests in a copy made at the start: a checkout that changes during the run
# (a rebase, an edit) gets mutants placed by the new text applied to the
# old, and wrong results. So it runs on a snapshot of the checkout as it is
# now (tracked and untracked files, not ignored ones).
src="$out/src"
rm -rf "$src"
mkdir -p "$src"
git ls-files -z --cached --others --exclude-standard | xargs -0 tar -cf - | tar -xf - -C "$src"
cd "$src"
pkgs=("$@")
if [ ${#pkgs[@]} -eq 0 ]; then
  pkgs=(pkg/manifest pkg/tasks internal/fsutil pkg/simulate pkg/plugin pkg/lint)
fi

summary=()
for pkg in "${pkgs[@]}"; do
  pkg=${pkg#./}
  pkg=${pkg%/}
  exclude=()
  case $pkg in
    # The delivery broker is measured with the broker's own tests; issue 15's
    # pkg/simulate figure is the plugin host and `plugin check`.
    # Its tests' plugins are built once here, not by every mutant's run
    # (none of them links pkg/simulate, so no mutant changes them).
    pkg/simulate)
      exclude=(--exclude-files '^broker')
      if [ -z "${BGTASK_TEST_PLUGINS:-}" ]; then
        mkdir -p "$out/plugins"
        go build -o "$out/plugins/" ./testdata/plugins/...
        export BGTASK_TEST_PLUGINS="$out/plugins"
      fi
      ;;
  esac
  # EXCLUDE: a regexp of file names (relative to the package) to leave out,
  # to split a long package over several runs.
  if [ -n "${EXCLUDE:-}" ]; then
    exclude+=(--exclude-files "$EXCLUDE")
  fi
  # ONLY: a regexp of the file names to mutate; Gremlins only takes
  # exclusions (and Go's regexps have no negative look-ahead), so every other
  # file of the package is named as excluded.
  if [ -n "${ONLY:-}" ]; then
    others=$(cd "$pkg" && ls -- *.go | grep -v '_test\.go$' | grep -Ev -- "$ONLY" | sed 's/\./\\./g' | paste -sd'|' -)
    if [ -n "$others" ]; then
      exclude+=(--exclude-files "^($others)\$")
    fi
  fi
  json="$out/$(echo "$pkg" | tr / _).json"
  log="$out/$(echo "$pkg" | tr / _).log"
  echo "== $pkg" >&2
  # Few workers: each runs `go test` on a full copy of the module, and the
  # machines this runs on are shared.
  "$gremlins" unleash \
    --workers "${WORKERS:-1}" \
    --timeout-coefficient "${TIMEOUT_COEFFICIENT:-10}" \
    --invert-assignments --invert-bitwise --invert-bwassign --invert-logical \
    --invert-loopctrl --remove-self-assignments \
    --output-statuses lt \
    --output "$json" \
    "${exclude[@]}" \
    "./$pkg" >"$log" 2>&1 || { cat "$log" >&2; echo "gremlins failed on $pkg" >&2; exit 1; }
  grep -E '^ *(LIVED|TIMED OUT)' "$log" || true
  line=$(awk -v pkg="$pkg" '
    /^Killed: / { gsub(",", ""); killed = $2; lived = $4; uncovered = $7 }
    /^Timed out: / { gsub(",", ""); timedout = $3 }
    END {
      if (killed == "") { print pkg ": no result"; exit }
      total = killed + lived
      printf "%-16s killed %4d  lived %4d  timed out %3d  not covered %3d  score %5.1f%%\n", pkg, killed, lived, timedout, uncovered, total ? 100 * killed / total : 100
    }' "$log")
  echo "$line"
  summary+=("$line")
done
echo
echo "mutation score (killed / (killed + lived)); results in $out"
printf '%s\n' "${summary[@]}"
