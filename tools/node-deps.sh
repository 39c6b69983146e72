#!/usr/bin/env bash
# Installs the Node.js packages the TypeScript example program runs with (@pulumi/pulumi at the
# CLI's version, typescript, @types/node) into the cache, and prints the folder holding their
# node_modules as the last line.
#
# The packages are pinned by tests/polyglot/node/package.json and its package-lock.json (kept in
# the repository); `npm ci` installs exactly that lock into a folder of the cache, never into the
# repository. A stamp beside it (the hash of the two files) says which lock it holds: a changed lock
# installs afresh, an unchanged one costs nothing.
#
#   --find                  only look; exit 1 when the cache does not hold this lock's install
#   SINCH_NUMBERS_CACHE     cache root (default: ${XDG_CACHE_HOME:-~/.cache}/sinch-numbers)
set -euo pipefail

find_only=false
[ "${1:-}" = --find ] && find_only=true
here=$(cd "$(dirname "$0")" && pwd)
lock_dir="$here/../tests/polyglot/node"
cache_root=${SINCH_NUMBERS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/sinch-numbers}
work="$cache_root/node"
stamp="$work/.lock-digest"

# A missing toolchain stops `make pulumi` only in CI, where the tests that need it would fail.
no_toolchain() { if [ "${CI:-}" = true ]; then exit 1; else exit 0; fi; }

say() { printf 'node-deps: %s\n' "$*" >&2; }

digest() { (cd "$lock_dir" && sha256sum package.json package-lock.json | sha256sum | cut -d' ' -f1); }

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$(digest)" ] && [ -d "$work/node_modules" ]; then
  echo "$work"
  exit 0
fi
if $find_only; then
  exit 1
fi
for tool in node npm; do
  command -v "$tool" >/dev/null 2>&1 || {
    say "no $tool: install Node.js 20 or newer (https://nodejs.org/); the TypeScript tests" \
      "skip without it (CI=true: fail)"
    no_toolchain
  }
done

started=$(date +%s)
stage="$work.stage"
rm -rf "$stage"
mkdir -p "$stage"
cp "$lock_dir/package.json" "$lock_dir/package-lock.json" "$stage/"
say "installing $(node -p 'Object.keys(require(process.argv[1]).dependencies).join(", ")' \
  "$stage/package.json") into $work (about 15 s with a warm network)"
# No install scripts: none of these packages needs one to run (protobufjs' only checks versions),
# and a script that fetches something would break an offline CI. npm's own download cache lives in
# the cache root too, so nothing is written into the home folder either.
(cd "$stage" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error \
  --cache "$cache_root/npm-cache" >&2)
digest >"$stage/.lock-digest"
rm -rf "$work"
mv "$stage" "$work"
elapsed=$(($(date +%s) - started))
say "installed in ${elapsed}s ($(du -sm "$work/node_modules" | cut -f1) MiB)"
echo "$work"
