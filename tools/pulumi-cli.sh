#!/usr/bin/env bash
# Finds or builds the Pulumi CLI the real-engine tests run, and prints its bin folder as the last line.
#
# Order: the pinned build in the cache; else a compatible `pulumi` already on PATH (a user's own
# install); else build the pinned release from Pulumi's Go modules into the cache. Nothing is written
# inside the repository. Versions: tools/pulumi-cli.env.
#
#   --find                  only look (cache, then PATH); exit 1 instead of building
#   SINCH_NUMBERS_CACHE     cache root (default: ${XDG_CACHE_HOME:-~/.cache}/sinch-numbers)
#   SINCH_NUMBERS_PULUMI    "pinned" ignores a pulumi on PATH (CI sets it, so every run uses one CLI)
#   KEEP_GO_CACHES=1        keep the Go module and build caches after a build (GBs; off by default)
set -euo pipefail

find_only=false
[ "${1:-}" = --find ] && find_only=true
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=pulumi-cli.env
. "$here/pulumi-cli.env"
version=${PULUMI_CLI_VERSION:?tools/pulumi-cli.env sets PULUMI_CLI_VERSION}
language_host=${PULUMI_LANGUAGE_PYTHON_VERSION:-}
cache_root=${SINCH_NUMBERS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/sinch-numbers}
bin="$cache_root/pulumi-$version/bin"
# The dynamic-provider plugin (configure() needs 3.139) and the engine behaviour the tests assert.
minimum_minor=200

say() { printf 'pulumi-cli: %s\n' "$*" >&2; }

usable() { # $1: a bin folder holding pulumi and the dynamic-provider plugin script
  [ -x "$1/pulumi" ] && [ -x "$1/pulumi-resource-pulumi-python" ]
}

if usable "$bin" && [ "$("$bin/pulumi" version 2>/dev/null)" = "v$version" ]; then
  echo "$bin"
  exit 0
fi

if [ "${SINCH_NUMBERS_PULUMI:-}" != pinned ] && found=$(command -v pulumi 2>/dev/null); then
  dir=$(dirname "$(readlink -f "$found")")
  minor=$("$found" version 2>/dev/null | sed -n 's/^v3\.\([0-9]*\)\..*/\1/p')
  plugin=$(command -v pulumi-resource-pulumi-python 2>/dev/null || echo "$dir/pulumi-resource-pulumi-python")
  if [ -n "$minor" ] && [ "$minor" -ge "$minimum_minor" ] && [ -x "$plugin" ]; then
    say "using $("$found" version) from PATH"
    echo "$dir"
    exit 0
  fi
  say "ignoring $found: not v3.$minimum_minor or newer with pulumi-resource-pulumi-python beside it"
fi

if $find_only; then
  exit 1
fi
if ! command -v go >/dev/null 2>&1; then
  say "no pulumi CLI and no Go to build one: install the CLI with 'curl -fsSL https://get.pulumi.com | sh' (https://www.pulumi.com/docs/install/)"
  exit 1
fi

# A throwaway wrapper module: pkg/v3's go.mod has replace directives, which `go install pkg@v` refuses
# and which Go ignores in a module that is only a dependency.
work="$cache_root/build-$version"
stage="$cache_root/pulumi-$version.stage"
export GOMODCACHE="$cache_root/go/mod" GOCACHE="$cache_root/go/build" GOFLAGS=-modcacherw
export CGO_ENABLED=0 GOTOOLCHAIN=local
rm -rf "$work" "$stage"
mkdir -p "$work" "$stage/bin"
started=$(date +%s)
say "building v$version from Go modules into $cache_root (cold: about 10 minutes on 2 cores)"
(
  cd "$work"
  go mod init sinch-numbers.invalid/pulumi-cli >/dev/null 2>&1
  go get -tool "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@v$version"
  go get "github.com/pulumi/pulumi/sdk/v3@v$version"
  if [ -n "$language_host" ]; then
    go get -tool "github.com/pulumi/pulumi/sdk/python/cmd/pulumi-language-python/v3@$language_host"
  fi
  flags=(-trimpath -tags osusergo,grpcnotrace
    -ldflags "-w -s -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$version")
  go build "${flags[@]}" -o "$stage/bin/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
  if [ -n "$language_host" ]; then
    go build "${flags[@]}" -o "$stage/bin/pulumi-language-python" \
      github.com/pulumi/pulumi/sdk/python/cmd/pulumi-language-python/v3
  fi
  # Two scripts ship inside the sdk/v3 module; the module cache drops their exec bits.
  sdk=$(go list -m -f '{{.Dir}}' github.com/pulumi/pulumi/sdk/v3)
  install -m 0755 "$sdk/python/dist/pulumi-resource-pulumi-python" "$stage/bin/"
  install -m 0755 "$sdk/python/cmd/pulumi-language-python-exec" "$stage/bin/"
)
printed=$("$stage/bin/pulumi" version)
[ "$printed" = "v$version" ] || { say "built CLI prints '$printed', expected v$version"; exit 1; }
rm -rf "$(dirname "$bin")"
mkdir -p "$(dirname "$bin")"
mv "$stage/bin" "$bin"
rm -rf "$stage" "$work"
elapsed=$(($(date +%s) - started))
mib() { du -sm "$1" 2>/dev/null | cut -f1; }
say "built in ${elapsed}s; downloaded $(mib "$GOMODCACHE/cache/download") MiB of modules;" \
  "module cache $(mib "$GOMODCACHE") MiB, build cache $(mib "$GOCACHE") MiB, binaries $(mib "$bin") MiB"
if [ "${KEEP_GO_CACHES:-}" != 1 ]; then
  rm -rf "$cache_root/go"
fi
if [ -z "$language_host" ]; then
  say "no Python language host (none served): programs run through the Automation API"
fi
echo "$bin"
