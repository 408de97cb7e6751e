#!/usr/bin/env bash
# Makes a `pulumi` CLI (v3.248.0, the release matching our @pulumi/pulumi) available
# and prints the directory that holds it on stdout; progress goes to stderr.
#
# Order: a suitable `pulumi` already on PATH → the cached build → a fresh build from
# Pulumi's Go modules (slow the first time: a large module download and a long compile).
# Beside the binary it writes the dynamic-provider shim `pulumi-resource-pulumi-nodejs`,
# which Pulumi ships as a script inside the npm package rather than as a plugin.
set -euo pipefail

VERSION="v3.248.0"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache_root="${PULUMI_FLEIO_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-fleio}"
bin_dir="$cache_root/pulumi-$VERSION/bin"
say() { printf '[get-pulumi] %s\n' "$*" >&2; }

write_shim() {
  local dir="$1"
  [ -w "$dir" ] || return 0
  [ -x "$dir/pulumi-resource-pulumi-nodejs" ] && return 0
  cat > "$dir/pulumi-resource-pulumi-nodejs.tmp" <<'SHIM'
#!/usr/bin/env bash
# The dynamic-provider host resolves @pulumi/pulumi from the project directory (its
# working directory), walking up like node does; PULUMI_FLEIO_NODE_MODULES overrides.
set -euo pipefail
rel="@pulumi/pulumi/cmd/dynamic-provider/index.js"
if [ -n "${PULUMI_FLEIO_NODE_MODULES:-}" ] && [ -f "$PULUMI_FLEIO_NODE_MODULES/$rel" ]; then
  exec node "$PULUMI_FLEIO_NODE_MODULES/$rel" "$@"
fi
dir="$PWD"
while :; do
  if [ -f "$dir/node_modules/$rel" ]; then exec node "$dir/node_modules/$rel" "$@"; fi
  [ "$dir" = "/" ] && break
  dir="$(dirname "$dir")"
done
echo "pulumi-resource-pulumi-nodejs: no node_modules/$rel above $PWD; run npm install in the project" >&2
exit 1
SHIM
  chmod +x "$dir/pulumi-resource-pulumi-nodejs.tmp"
  mv "$dir/pulumi-resource-pulumi-nodejs.tmp" "$dir/pulumi-resource-pulumi-nodejs"
}

# 1. Already on PATH, at a version the Automation API accepts (>= ours).
if [ "${PULUMI_FLEIO_FORCE_BUILD:-}" != "1" ] && command -v pulumi >/dev/null 2>&1; then
  found="$(pulumi version 2>/dev/null || true)"
  if [[ "$found" =~ ^v3\.([0-9]+)\. ]] && [ "${BASH_REMATCH[1]}" -ge 248 ]; then
    dir="$(dirname "$(command -v pulumi)")"
    say "using pulumi $found on PATH ($dir)"
    write_shim "$dir" || true
    echo "$dir"
    exit 0
  fi
  say "ignoring pulumi on PATH ($found): need v3.248 or newer"
fi

# 2. Cached build.
if [ -x "$bin_dir/pulumi" ] && [ "$("$bin_dir/pulumi" version 2>/dev/null)" = "$VERSION" ]; then
  write_shim "$bin_dir"
  say "using cached pulumi $VERSION ($bin_dir)"
  echo "$bin_dir"
  exit 0
fi

# 3. Build from the Go modules pinned in scripts/pulumi-cli (go.mod + go.sum committed).
command -v go >/dev/null 2>&1 || { say "Go is needed to build the pulumi CLI and none is on PATH"; exit 1; }
mkdir -p "$bin_dir"
export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=mod
say "building pulumi $VERSION from Go modules into $bin_dir"
say "first time only: downloads ~1.5 GB of modules and compiles for 5-20 minutes on 2 cores"
start=$(date +%s)
( cd "$here/pulumi-cli"
  say "downloading modules…"
  go mod download
  say "compiling…"
  go build -trimpath -tags osusergo,grpcnotrace \
    -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$VERSION" \
    -o "$bin_dir/pulumi.tmp" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi )
mv "$bin_dir/pulumi.tmp" "$bin_dir/pulumi"
write_shim "$bin_dir"
say "built pulumi $("$bin_dir/pulumi" version) in $(( $(date +%s) - start ))s"
echo "$bin_dir"
