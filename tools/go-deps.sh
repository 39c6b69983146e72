#!/usr/bin/env bash
# Prepares the Go example program (examples/package/go) for the tests: downloads the modules its
# go.mod and go.sum pin (Pulumi's Go SDK with its Automation API) into a module cache of the cache
# root, and builds the program once, so that a test's own build finds every package compiled (a
# first build takes 3.5 minutes of CPU; a warm one seconds). Prints the folder holding the
# two caches (mod/, build/) as the last line. Nothing is written inside the repository.
#
# A stamp beside the caches (the hash of go.mod, go.sum and the Go version) says what they were
# prepared for: a changed pin or toolchain prepares afresh, an unchanged one costs nothing.
#
#   --find                  only look; exit 1 when the caches were not prepared for this go.sum
#   SINCH_NUMBERS_CACHE     cache root (default: ${XDG_CACHE_HOME:-~/.cache}/sinch-numbers)
set -euo pipefail

find_only=false
[ "${1:-}" = --find ] && find_only=true
here=$(cd "$(dirname "$0")" && pwd)
program="$here/../examples/package/go"
cache_root=${SINCH_NUMBERS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/sinch-numbers}
# Not tools/pulumi-cli.sh's "go" folder, which that script empties after building the CLI.
caches="$cache_root/go-program"
stamp="$caches/.prepared-for"

# A missing toolchain stops `make pulumi` only in CI, where the tests that need it would fail.
no_toolchain() { if [ "${CI:-}" = true ]; then exit 1; else exit 0; fi; }

say() { printf 'go-deps: %s\n' "$*" >&2; }

digest() {
  { (cd "$program" && cat go.mod go.sum) && go version; } | sha256sum | cut -d' ' -f1
}

if ! command -v go >/dev/null 2>&1; then
  $find_only && exit 1
  say "no Go: install Go (https://go.dev/dl/) at the version examples/package/go/go.mod names" \
    "or newer; the Go tests skip without it (CI=true: fail)"
  no_toolchain
fi
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$(digest)" ]; then
  echo "$caches"
  exit 0
fi
if $find_only; then
  exit 1
fi

# The environment the tests build with (tests/engine/polyglot.py): the same caches, no cgo, the
# installed toolchain only (never one downloaded for a go.mod's `toolchain` line).
# No VCS stamp: the example is built inside the checkout, whose git state is no input of it.
export GOMODCACHE="$caches/mod" GOCACHE="$caches/build" GOFLAGS="-modcacherw -buildvcs=false"
export CGO_ENABLED=0 GOTOOLCHAIN=local
mkdir -p "$caches"
rm -f "$stamp"
started=$(date +%s)
say "downloading the modules of $program into $caches"
(cd "$program" && go mod download)
downloaded=$(($(date +%s) - started))
say "building it once (from an empty build cache: 3.5 minutes of CPU, 5 on 2 busy cores)"
warm=$(mktemp -d "$caches/warm.XXXXXX")
(cd "$program" && go build -o "$warm/program" .)
rm -rf "$warm"
digest >"$stamp"
elapsed=$(($(date +%s) - started))
say "prepared in ${elapsed}s (download ${downloaded}s); modules $(du -sm "$GOMODCACHE" | cut -f1) MiB," \
  "build cache $(du -sm "$GOCACHE" | cut -f1) MiB"
echo "$caches"
