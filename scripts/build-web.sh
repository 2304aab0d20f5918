#!/usr/bin/env bash
# Builds the browser app into dist/: release wasm of flotilla-web, wasm-bindgen's ES-module glue in
# dist/pkg/, the static files from www/, an optional wasm-opt pass, and a one-line size report.
# Expects scripts/setup.sh to have run (pinned toolchain and wasm-bindgen CLI).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

WASM_TARGET=wasm32-unknown-unknown
WASM_IN="${CARGO_TARGET_DIR:-target}/$WASM_TARGET/release/flotilla_web.wasm"
OUT=dist
WASM_OUT="$OUT/pkg/flotilla_web_bg.wasm"
JS_OUT="$OUT/pkg/flotilla_web.js"

# Start from an empty dist/ so a failed build never leaves an old app behind for the tests to serve.
rm -rf "$OUT"

step "cargo build --release -p flotilla-web --target $WASM_TARGET"
cargo build --release -p flotilla-web --target "$WASM_TARGET" || fail "cargo build of flotilla-web"
[ -f "$WASM_IN" ] || fail "expected $WASM_IN after the build (is flotilla-web a cdylib?)"

step "wasm-bindgen --target web into $OUT/pkg"
wasm-bindgen --target web --no-typescript --out-dir "$OUT/pkg" "$WASM_IN" || fail "wasm-bindgen"
if [ ! -f "$WASM_OUT" ] || [ ! -f "$JS_OUT" ]; then
  fail "wasm-bindgen did not write $WASM_OUT and $JS_OUT"
fi

step "copy www/ into $OUT/"
[ -f www/index.html ] || fail "www/index.html is missing"
cp -R www/. "$OUT/" || fail "cp -R www/. $OUT/"

step "wasm-opt -Os (optional)"
if command -v wasm-opt >/dev/null; then
  # Optional: an old binaryen may reject wasm features that rustc now emits by default; then keep
  # the unoptimised file rather than failing the build.
  if wasm-opt -Os "$WASM_OUT" -o "$WASM_OUT.opt"; then
    mv "$WASM_OUT.opt" "$WASM_OUT"
    note "optimised with $(wasm-opt --version)"
  else
    rm -f "$WASM_OUT.opt"
    note "warning: wasm-opt failed; keeping the unoptimised wasm"
  fi
else
  note "wasm-opt not found; skipped (apt-get install binaryen to enable)"
fi

# size FILE: "N KiB raw, M KiB gzip" (gzip -9, as a server would send it).
size() {
  local raw gz
  raw=$(wc -c <"$1")
  gz=$(gzip -9 -c "$1" | wc -c)
  awk -v r="$raw" -v g="$gz" 'BEGIN { printf "%.1f KiB raw, %.1f KiB gzip", r / 1024, g / 1024 }'
}
step "size: wasm $(size "$WASM_OUT"); js $(size "$JS_OUT")"
