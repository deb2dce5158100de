#!/usr/bin/env bash
# The release build of bgtask, into OUTDIR (default: the repository root):
#   CGO_ENABLED=0  a static binary: no libc to load at start-up, and it runs on
#                  any Linux whatever its C library (the only cgo bgtask would
#                  link is the net package's resolver, which it never uses)
#   -trimpath      no build machine paths in the binary or its panics
#   -ldflags=-s -w no symbol table or DWARF: a smaller file to map at start-up
# bench/run.sh measures this binary; CI builds it the same way.
#
#   bench/build.sh [OUTDIR] [PACKAGE...]   (default package: . , the bgtask CLI)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-.}
shift || true
[ $# -gt 0 ] || set -- .
for pkg in "$@"; do
  name=$(basename "$(cd "$pkg" && pwd)")
  [ "$pkg" = . ] && name=bgtask
  CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o "$out/$name$(go env GOEXE)" "$pkg"
done
