#!/usr/bin/env bash
# Checks the GitHub Action (action.yml) and the GitHub workflows the docs show
# with actionlint (github.com/rhysd/actionlint), run through the Go module
# proxy at a pinned version. actionlint reads an action's metadata when a
# workflow uses it, so a workflow that uses this action with every input is
# linted alongside the docs' workflows, in a scratch project.
set -euo pipefail
cd "$(dirname "$0")/.."
ACTIONLINT=github.com/rhysd/actionlint/cmd/actionlint@v1.7.12

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/.github/workflows" "$work/bgtask"
git -C "$work" init -q
cp action.yml "$work/bgtask/action.yml"

cat > "$work/.github/workflows/use-action.yml" <<'YAML'
name: use the bgtask action
on: [push, pull_request]
jobs:
  lint:
    runs-on: ubuntu-latest
    permissions:
      contents: read
      security-events: write
    steps:
      - uses: actions/checkout@v4
      - id: bgtask
        uses: ./bgtask
        with:
          paths: src tests
          args: --strict --disable BT013
          version: v1.2.3
          go-version: "1.26"
          upload-sarif: "false"
          sarif-file: out/bgtask.sarif
      - if: always()
        run: echo "bgtask exited ${{ steps.bgtask.outputs.exit-code }}; SARIF in ${{ steps.bgtask.outputs.sarif-file }}"
YAML

# Every yaml block of the docs that is a GitHub workflow (it has jobs: and
# runs-on:) becomes a workflow file of the scratch project.
n=0
for doc in README.md docs/*.md; do
  awk -v dir="$work/.github/workflows" -v base="$(basename "$doc" .md)" '
    /^```yaml[[:space:]]*$/ { inblock = 1; body = ""; next }
    inblock && /^```[[:space:]]*$/ {
      inblock = 0
      if (body ~ /(^|\n)jobs:/ && body ~ /runs-on:/) { n++; f = dir "/doc-" base "-" n ".yml"; printf "%s", body > f; close(f) }
      next
    }
    inblock { body = body $0 "\n" }
  ' "$doc"
done
n=$(find "$work/.github/workflows" -name 'doc-*.yml' | wc -l)
echo "actionlint: action.yml and $n workflow(s) from the docs"
(cd "$work" && go run "$ACTIONLINT" -color=false)
