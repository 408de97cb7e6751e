#!/usr/bin/env bash
# Makes SeaweedFS's `weed` command (an S3-compatible object store) available and prints
# the path of the binary on stdout; progress goes to stderr. The fleet tests and the
# fleet benchmark keep Pulumi state in it, as a team would in its own bucket.
#
# Order: the cached build → a fresh build from the Go modules pinned in
# scripts/seaweedfs (go.mod + go.sum committed; about 4 minutes on 2 cores).
# Concurrent callers wait for one build instead of starting a second one.
set -euo pipefail

VERSION="v0.0.0-20261109003541-7506e5f91cd6"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache_root="${PULUMI_FLEIO_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-fleio}"
bin_dir="$cache_root/seaweedfs-$VERSION/bin"
say() { printf '[get-seaweedfs] %s\n' "$*" >&2; }

if [ -x "$bin_dir/weed" ]; then
  say "using cached weed ($bin_dir/weed)"
  echo "$bin_dir/weed"
  exit 0
fi

command -v go >/dev/null 2>&1 || { say "Go is needed to build SeaweedFS and none is on PATH"; exit 1; }
mkdir -p "$bin_dir"
exec 9>"$bin_dir/.build.lock"
if ! flock -n 9; then
  say "another process is building weed; waiting for it"
  flock 9
fi
if [ -x "$bin_dir/weed" ]; then echo "$bin_dir/weed"; exit 0; fi

export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=mod
say "building weed $VERSION from Go modules into $bin_dir (first time only, a few minutes)"
start=$(date +%s)
( cd "$here/seaweedfs"
  go mod download
  go build -trimpath -ldflags "-s -w" -o "$bin_dir/weed.tmp" github.com/seaweedfs/seaweedfs/weed )
mv "$bin_dir/weed.tmp" "$bin_dir/weed"
say "built weed in $(( $(date +%s) - start ))s"
echo "$bin_dir/weed"
