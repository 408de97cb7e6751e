#!/usr/bin/env bash
# Makes the YAML language host (pulumi-language-yaml) available, for `runtime: yaml`
# programs such as examples/yaml, and prints the directory that holds it on stdout
# as its last line; progress goes to stderr.
#
# Order: one on PATH → the cached build → a fresh build from the Go module proxy
# (about 80 s on 2 cores). It builds on its own module, not inside scripts/pulumi-cli:
# the CLI's pkg/v3 version does not fit pulumi-yaml v1.25.0 (issue 14).
set -euo pipefail

VERSION="v1.25.0"
cache_root="${PULUMI_FLEIO_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-fleio}"
bin_dir="$cache_root/pulumi-yaml-$VERSION/bin"
say() { printf '[get-pulumi-yaml] %s\n' "$*" >&2; }

if [ "${PULUMI_FLEIO_FORCE_BUILD:-}" != "1" ] && command -v pulumi-language-yaml >/dev/null 2>&1; then
  dir="$(dirname "$(command -v pulumi-language-yaml)")"
  say "using pulumi-language-yaml on PATH ($dir)"
  echo "$dir"
  exit 0
fi

if [ -x "$bin_dir/pulumi-language-yaml" ]; then
  say "using cached pulumi-language-yaml $VERSION ($bin_dir)"
  echo "$bin_dir"
  exit 0
fi

command -v go >/dev/null 2>&1 || { say "Go is needed to build pulumi-language-yaml and none is on PATH"; exit 1; }
mkdir -p "$bin_dir"
say "building pulumi-language-yaml $VERSION into $bin_dir (first time only: about a minute or two)"
start=$(date +%s)
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# go install writes the binary under its own name: build into a scratch GOBIN, then
# move it into place, so a half-written binary is never taken for a cached one.
GOBIN="$tmp" GOFLAGS=-mod=mod GOTOOLCHAIN=local CGO_ENABLED=0 \
  go install -trimpath -ldflags "-s -w" "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml@$VERSION"
mv "$tmp/pulumi-language-yaml" "$bin_dir/pulumi-language-yaml"
say "built pulumi-language-yaml in $(( $(date +%s) - start ))s"
echo "$bin_dir"
