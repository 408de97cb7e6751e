#!/usr/bin/env bash
# Generates SDKs for the native plugin's schema with Pulumi's own code generators
# (scripts/gen-sdk/main.go; `pulumi package gen-sdk` would need each language's host
# plugin, which the Go module proxy here refuses), and with --check compiles them:
#   bash scripts/gen-sdk.sh [--check] [out dir, default .state/sdks]   (after npm run build)
# The Go program is built once into the cache, like the CLI (a few minutes the first time).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
check=0
if [ "${1:-}" = "--check" ]; then check=1; shift; fi
out="${1:-$root/.state/sdks}"
cache_root="${PULUMI_FLEIO_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-fleio}"
key="$(cat "$here/gen-sdk/go.mod" "$here/gen-sdk/go.sum" "$here/gen-sdk/main.go" | sha256sum | cut -c1-12)"
bin="$cache_root/gen-sdk-$key/gen-sdk"
say() { printf '[gen-sdk] %s\n' "$*" >&2; }

if [ ! -x "$bin" ]; then
  say "building the generator (pkg/v3 v3.248.0 codegen) into $(dirname "$bin")"
  mkdir -p "$(dirname "$bin")"
  ( cd "$here/gen-sdk" && GOFLAGS=-mod=mod GOTOOLCHAIN=local CGO_ENABLED=0 go build -trimpath -o "$bin.tmp" . )
  mv "$bin.tmp" "$bin"
fi

rm -rf "$out"
mkdir -p "$out"
node -e 'const s=require(process.argv[1]).packageSchema(require(process.argv[2]).version);process.stdout.write(JSON.stringify(s,null,2))' \
  "$root/dist/provider/plugin/schema.js" "$root/package.json" > "$out/schema.json"
for lang in nodejs python go; do "$bin" "$out/schema.json" "$lang" "$out/$lang" >&2; done
version="$(node -p 'require(process.argv[1]).version' "$root/package.json")"

# Packaging the generators leave out: Go's go.mod, and a README for each of the two SDKs
# (pyproject.toml reads README.md from beside it). Texts: scripts/gen-sdk/README-*.md.
printf 'module github.com/pulumi-fleio/sdk/go\n\ngo 1.25\n\nrequire github.com/pulumi/pulumi/sdk/v3 v3.248.0\n' > "$out/go/go.mod"
for lang in python go; do sed "s/@VERSION@/$version/g" "$here/gen-sdk/README-$lang.md" > "$out/$lang/README.md"; done

if [ "$check" = 1 ]; then
  say "python: py_compile"
  ( cd "$out/python" && python3 -m py_compile $(find . -name '*.py') )
  say "nodejs: tsc --noEmit (with this repository's @pulumi/pulumi)"
  ln -sfn "$root/node_modules" "$out/nodejs/node_modules"
  ( cd "$out/nodejs" && "$root/node_modules/.bin/tsc" -p tsconfig.json --noEmit )
  say "python: pyproject.toml names the package, its version and its README"
  python3 - "$out/python/pyproject.toml" "$version" <<'PY'
import sys, tomllib
p = tomllib.load(open(sys.argv[1], "rb"))["project"]
assert p["name"] == "pulumi_fleio" and p["version"] == sys.argv[2] and p["readme"] == "README.md", p
PY
  test -s "$out/python/README.md"
  say "go: go build (sdk/v3 v3.248.0) with the shipped go.mod"
  test -s "$out/go/README.md"
  grep -q '^module github.com/pulumi-fleio/sdk/go$' "$out/go/go.mod"
  ( cd "$out/go" && GOFLAGS=-mod=mod GOTOOLCHAIN=local go build ./... )
  say "all three compile"
fi
echo "$out"
