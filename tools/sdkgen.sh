#!/usr/bin/env bash
# Finds or builds pulumi-sinch-sdkgen (tools/sdkgen/: Pulumi's own SDK generators for Python, Node.js
# and Go, called directly, since `pulumi package gen-sdk` needs the Node.js and Go language hosts,
# which cannot be built here) and prints its path as the last line. With arguments, runs it:
#
#   tools/sdkgen.sh                      build when missing or built from other source; print the path
#   tools/sdkgen.sh --find               only look; exit 1 when missing or stale
#   tools/sdkgen.sh SCHEMA OUT [LANG...] build if needed, then write OUT/python, OUT/nodejs, OUT/go
#
# The tool lives beside the pinned Pulumi CLI in the cache (tools/pulumi-cli.sh), with a stamp of the
# source it was built from (go.mod, go.sum, main.go): a changed source rebuilds it. Go's module and
# build caches are the ones tools/pulumi-cli.sh uses, under the cache root: `make pulumi` keeps
# those its CLI build leaves (KEEP_GO_CACHES=1 for that step only), since most of this tool's
# modules and packages are the CLI's, and this script deletes them when it is done, built or not,
# unless KEEP_GO_CACHES=1 is set. Nothing is written inside the repository.
#
#   SINCH_NUMBERS_CACHE     cache root (default: ${XDG_CACHE_HOME:-~/.cache}/sinch-numbers)
#   KEEP_GO_CACHES=1        keep the Go module and build caches after a build
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=pulumi-cli.env
. "$here/pulumi-cli.env"
version=${PULUMI_CLI_VERSION:?tools/pulumi-cli.env sets PULUMI_CLI_VERSION}
cache_root=${SINCH_NUMBERS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/sinch-numbers}
bin="$cache_root/pulumi-$version/bin"
tool=pulumi-sinch-sdkgen
source_dir="$here/sdkgen"
stamp="$bin/.$tool.source"

say() { printf 'sdkgen: %s\n' "$*" >&2; }
mib() { du -sm "$1" 2>/dev/null | cut -f1; }

source_digest() { # the files the tool is built from, hashed in a fixed order
  (cd "$source_dir" && sha256sum go.mod go.sum main.go | sha256sum | cut -d' ' -f1)
}

current() { [ -x "$bin/$tool" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$(source_digest)" ]; }

build() {
  if ! command -v go >/dev/null 2>&1; then
    say "no Go to build $tool with (tools/sdkgen/go.mod names the version it needs)"
    exit 1
  fi
  export GOMODCACHE="$cache_root/go/mod" GOCACHE="$cache_root/go/build" GOFLAGS=-modcacherw
  export CGO_ENABLED=0 GOTOOLCHAIN=local
  local work="$cache_root/build-$tool" started elapsed digest
  digest=$(source_digest)
  rm -rf "$work"
  mkdir -p "$work" "$bin"
  started=$(date +%s)
  say "building $tool from tools/sdkgen (2 cores: about 3 minutes from empty Go caches," \
    "seconds warm)"
  # The source folder is built where it is (go.sum pins every module); only the binary is written,
  # outside the repository.
  (cd "$source_dir" && go build -mod=readonly -trimpath -ldflags "-s -w" -o "$work/$tool" .)
  mv "$work/$tool" "$bin/$tool"
  echo "$digest" >"$stamp"
  rm -rf "$work"
  elapsed=$(($(date +%s) - started))
  say "built $tool in ${elapsed}s ($(mib "$bin/$tool") MiB); Go caches: modules" \
    "$(mib "$GOMODCACHE") MiB, build $(mib "$GOCACHE") MiB"
}

go_caches_done() { # this build's caches, or those the CLI's build left for it (GBs)
  if [ "${KEEP_GO_CACHES:-}" != 1 ] && [ -d "$cache_root/go" ]; then
    rm -rf "$cache_root/go"
  fi
}

if [ "${1:-}" = --find ]; then
  current || exit 1
  echo "$bin/$tool"
  exit 0
fi
current || build
go_caches_done
if [ $# -gt 0 ]; then
  "$bin/$tool" "$@" >&2
fi
echo "$bin/$tool"
