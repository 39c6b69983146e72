#!/usr/bin/env bash
# Finds or builds the Pulumi CLI and the Python and YAML language hosts the real-engine tests run, and
# prints their bin folder as the last line.
#
# Order: the pinned build in the cache; else a compatible `pulumi` already on PATH (a user's own
# install, which has its own language host); else build the pinned release from Pulumi's Go modules
# into the cache. The language host is built from its source folder (tools/pulumi-cli.env) into the
# same bin folder, when that folder exists and the cached build lacks the host or was built from
# other source; a cached CLI is never rebuilt for it. The YAML language host is built from its tagged
# Go module at PULUMI_LANGUAGE_YAML_VERSION into the same folder when it is missing there or was built
# at another version. Nothing is written inside the repository.
#
#   --find                  only look (cache, then PATH); exit 1 instead of building
#   SINCH_NUMBERS_CACHE     cache root (default: ${XDG_CACHE_HOME:-~/.cache}/sinch-numbers)
#   SINCH_NUMBERS_PULUMI    "pinned" ignores a pulumi on PATH (CI sets it, so every run uses one CLI)
#   SINCH_NUMBERS_LANGUAGE_HOST_SOURCE  the language host's source folder (default: see the .env)
#   KEEP_GO_CACHES=1        keep the Go module and build caches after a build (GBs; off by default)
set -euo pipefail

find_only=false
[ "${1:-}" = --find ] && find_only=true
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=pulumi-cli.env
. "$here/pulumi-cli.env"
version=${PULUMI_CLI_VERSION:?tools/pulumi-cli.env sets PULUMI_CLI_VERSION}
host_source=$(realpath -m "${SINCH_NUMBERS_LANGUAGE_HOST_SOURCE:-$here/../${PULUMI_LANGUAGE_PYTHON_SOURCE:?}}")
cache_root=${SINCH_NUMBERS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/sinch-numbers}
bin="$cache_root/pulumi-$version/bin"
host=pulumi-language-python
# What the installed host was built from, beside it: a changed source folder rebuilds the host.
host_stamp="$bin/.$host.source"
yaml_host=pulumi-language-yaml
yaml_version=${PULUMI_LANGUAGE_YAML_VERSION:?tools/pulumi-cli.env sets PULUMI_LANGUAGE_YAML_VERSION}
# The version the installed YAML host was built at, beside it: a changed pin rebuilds it.
yaml_stamp="$bin/.$yaml_host.version"
# The dynamic-provider plugin (configure() needs 3.139) and the engine behaviour the tests assert.
minimum_minor=200

say() { printf 'pulumi-cli: %s\n' "$*" >&2; }

usable() { # $1: a bin folder holding pulumi and the dynamic-provider plugin script
  [ -x "$1/pulumi" ] && [ -x "$1/pulumi-resource-pulumi-python" ]
}

have_host_source() { [ -f "$host_source/go.mod" ] && [ -f "$host_source/main.go" ]; }

host_source_digest() { # the files the host is built from, hashed in a fixed order
  (cd "$host_source" && sha256sum go.mod go.sum main.go | sha256sum | cut -d' ' -f1)
}

host_current() { # the cached host exists and was built from this source
  [ -x "$bin/$host" ] && [ -f "$host_stamp" ] && [ "$(cat "$host_stamp")" = "$(host_source_digest)" ]
}

no_host_source() {
  say "no Python language host source at $host_source: \`pulumi preview\`/\`up\` in a project" \
    "folder need one; a CLI installed the official way (https://www.pulumi.com/docs/install/) has" \
    "its own, and the tests then run programs only through the Automation API"
}

go_environment() {
  if ! command -v go >/dev/null 2>&1; then
    say "no Go to build with: install the CLI with 'curl -fsSL https://get.pulumi.com | sh'" \
      "(https://www.pulumi.com/docs/install/), which has its own language host"
    exit 1
  fi
  export GOMODCACHE="$cache_root/go/mod" GOCACHE="$cache_root/go/build" GOFLAGS=-modcacherw
  export CGO_ENABLED=0 GOTOOLCHAIN=local
}

mib() { du -sm "$1" 2>/dev/null | cut -f1; }

go_caches_done() {
  say "Go caches: modules $(mib "$GOMODCACHE") MiB, build $(mib "$GOCACHE") MiB"
  if [ "${KEEP_GO_CACHES:-}" != 1 ]; then
    rm -rf "$cache_root/go"
  fi
}

build_language_host() { # into $bin, from a copy of the (read-only) source folder
  local work="$cache_root/build-$host" started elapsed digest
  digest=$(host_source_digest)
  rm -rf "$work"
  mkdir -p "$work"
  cp -r "$host_source/." "$work/src"
  chmod -R u+w "$work/src"
  started=$(date +%s)
  say "building $host from $host_source (2 cores: about 7 minutes from empty Go caches," \
    "2 right after the CLI's build, seconds warm)"
  (cd "$work/src" && go build -trimpath -ldflags "-s -w" -o "$work/$host" .)
  # The host runs pulumi-language-python-exec from its own folder: the CLI build put it there.
  [ -f "$bin/pulumi-language-python-exec" ] || {
    say "$bin has no pulumi-language-python-exec, which the host runs"
    exit 1
  }
  mv "$work/$host" "$bin/$host"
  echo "$digest" >"$host_stamp"
  rm -rf "$work"
  elapsed=$(($(date +%s) - started))
  say "built $host in ${elapsed}s ($(mib "$bin/$host") MiB)"
}

yaml_host_current() { # the cached YAML host exists and was built at the pinned version
  [ -x "$bin/$yaml_host" ] && [ -f "$yaml_stamp" ] && [ "$(cat "$yaml_stamp")" = "v$yaml_version" ]
}

build_yaml_host() { # into $bin, from the tagged module (its go.mod has no replace directives)
  local work="$cache_root/build-$yaml_host" started elapsed
  rm -rf "$work"
  mkdir -p "$work"
  started=$(date +%s)
  say "building $yaml_host v$yaml_version from its Go module (2 cores: 3 to 7 minutes from empty" \
    "Go caches, less right after the CLI's build)"
  # The version goes into the binary as the release build does, so the engine sees which host ran.
  GOBIN="$work" go install -trimpath \
    -ldflags "-s -w -X github.com/pulumi/pulumi-yaml/pkg/version.Version=v$yaml_version" \
    "github.com/pulumi/pulumi-yaml/cmd/$yaml_host@v$yaml_version"
  mv "$work/$yaml_host" "$bin/$yaml_host"
  echo "v$yaml_version" >"$yaml_stamp"
  rm -rf "$work"
  elapsed=$(($(date +%s) - started))
  say "built $yaml_host in ${elapsed}s ($(mib "$bin/$yaml_host") MiB)"
}

if usable "$bin" && [ "$("$bin/pulumi" version 2>/dev/null)" = "v$version" ]; then
  built=false
  if ! have_host_source; then
    [ -x "$bin/$host" ] || $find_only || no_host_source
  elif ! host_current && ! $find_only; then
    go_environment
    build_language_host
    built=true
  fi
  if ! yaml_host_current && ! $find_only; then
    go_environment
    build_yaml_host
    built=true
  fi
  if $built; then
    go_caches_done
  fi
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
go_environment

# A throwaway wrapper module: pkg/v3's go.mod has replace directives, which `go install pkg@v` refuses
# and which Go ignores in a module that is only a dependency.
work="$cache_root/build-$version"
stage="$cache_root/pulumi-$version.stage"
rm -rf "$work" "$stage"
mkdir -p "$work" "$stage/bin"
started=$(date +%s)
say "building v$version from Go modules into $cache_root (cold: about 10 minutes on 2 cores)"
(
  cd "$work"
  go mod init sinch-numbers.invalid/pulumi-cli >/dev/null 2>&1
  go get -tool "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@v$version"
  go get "github.com/pulumi/pulumi/sdk/v3@v$version"
  flags=(-trimpath -tags osusergo,grpcnotrace
    -ldflags "-w -s -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$version")
  go build "${flags[@]}" -o "$stage/bin/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
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
say "built in ${elapsed}s; downloaded $(mib "$GOMODCACHE/cache/download") MiB of modules;" \
  "binaries $(mib "$bin") MiB"
if have_host_source; then
  build_language_host
else
  no_host_source
fi
build_yaml_host
go_caches_done
echo "$bin"
