#!/usr/bin/env bash
# Builds the <flotilla-sandbox> embed into dist/embed/: flotilla-embed (embed/) in the size-first
# `wasm-app` profile, wasm-bindgen's glue in dist/embed/pkg/, the element's script from
# www/embed/ (copied with the rest of www/ by build-web.sh, or here when run alone), a wasm-opt
# -Oz pass, a size report, and a failing check when the embed (wasm + both scripts, gzip -9) is
# over its budget. build-web.sh calls it, so `make run` serves /embed/ beside the app.
#
# Why a separate cdylib with a hand-written web-sys renderer (measured 2026-12-06 on a minimal
# cdylib calling Session::new / run_until / seek / World::describe, `--profile wasm-app`, then
# wasm-opt -Oz, gzip -9 of wasm + glue JS; each line is the whole build, the difference is the
# cost of what was added):
#   flotilla-core alone (parse, compile, world, session, trace words)     230.5 KiB
#   + Yew 0.23 (one function component, csr)                              289.0 KiB  (+58.5)
#   + a web-sys list renderer instead                                     234.1 KiB  (+3.6)
#   + serde-wasm-bindgen (Op in and out)                                  SWB_FIGURE
#   + flotilla-app's share link (miniz_oxide deflate)                     SHARE_FIGURE
#   + export (CloudFormation YAML/JSON, ECS bundle)                       EXPORT_FIGURE
#   + import (AWS documents)                                              IMPORT_FIGURE
#   + counterfactuals                                                     CF_FIGURE
#   + snapshots (postcard)                                                SNAPSHOT_FIGURE
# serde_json and regex-lite are not optional: the scenario loader reads JSON, and placement
# constraints are cluster-query expressions matched with regex-lite. Modules the embed does not
# call cost nothing (LTO drops them), so flotilla-core needs no feature flags for the embed;
# Yew does not fit beside the core under 300 KiB with room for four views.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

# The embed's download budget, gzip -9 of wasm + JS (issue 12): the build fails above it.
EMBED_GZIP_BUDGET_KIB=300

WASM_TARGET=wasm32-unknown-unknown
WASM_PROFILE=wasm-app
WASM_IN="${CARGO_TARGET_DIR:-target}/$WASM_TARGET/$WASM_PROFILE/flotilla_embed.wasm"
WASM_OPT=node_modules/binaryen/bin/wasm-opt
OUT=dist/embed
WASM_OUT="$OUT/pkg/flotilla_embed_bg.wasm"
GLUE_OUT="$OUT/pkg/flotilla_embed.js"
ELEMENT_OUT="$OUT/flotilla-embed.js"

step "cargo build --profile $WASM_PROFILE -p flotilla-embed --target $WASM_TARGET"
cargo build --profile "$WASM_PROFILE" -p flotilla-embed --target "$WASM_TARGET" \
  || fail "cargo build of flotilla-embed"
[ -f "$WASM_IN" ] || fail "expected $WASM_IN after the build"

step "wasm-bindgen --target web into $OUT/pkg"
rm -rf "$OUT/pkg"
wasm-bindgen --target web --no-typescript --out-dir "$OUT/pkg" "$WASM_IN" || fail "wasm-bindgen"
[ -f "$WASM_OUT" ] && [ -f "$GLUE_OUT" ] || fail "wasm-bindgen did not write $WASM_OUT and $GLUE_OUT"

step "copy www/embed/ into $OUT/"
cp -R www/embed/. "$OUT/" || fail "cp -R www/embed/. $OUT/"

step "copy core/scenarios/*.json into $OUT/scenarios/ (the built-in scenarios, for pages to embed)"
mkdir -p "$OUT/scenarios"
cp core/scenarios/*.json "$OUT/scenarios/" || fail "cp core/scenarios/*.json"

step "wasm-opt -Oz (embed)"
[ -x "$WASM_OPT" ] || fail "$WASM_OPT is missing; run scripts/setup.sh (it installs npm's binaryen)"
"$WASM_OPT" -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  "$WASM_OUT" -o "$WASM_OUT.opt" || fail "wasm-opt"
mv "$WASM_OUT.opt" "$WASM_OUT"

gzip_bytes() {
  gzip -9 -c "$1" | wc -c
}
kib() {
  awk -v b="$1" 'BEGIN { printf "%.1f", b / 1024 }'
}
wasm_gz=$(gzip_bytes "$WASM_OUT")
glue_gz=$(gzip_bytes "$GLUE_OUT")
element_gz=$(gzip_bytes "$ELEMENT_OUT")
embed_gz=$((wasm_gz + glue_gz + element_gz))
step "size budget: embed $(kib "$embed_gz") KiB gzip (wasm $(kib "$wasm_gz") + glue $(kib "$glue_gz") + element $(kib "$element_gz")), budget $EMBED_GZIP_BUDGET_KIB KiB"
if [ "$embed_gz" -gt $((EMBED_GZIP_BUDGET_KIB * 1024)) ]; then
  fail "the embed is $(kib "$embed_gz") KiB gzip, over its budget of $EMBED_GZIP_BUDGET_KIB KiB (EMBED_GZIP_BUDGET_KIB in scripts/build-embed.sh)"
fi

# FILE.gz beside each file, as build-web.sh does for dist/ (it runs again there; harmless), so a
# build of the embed alone never leaves a stale .gz for serve.sh to send.
step "precompress $OUT/ (gzip -9 beside each .wasm .js .json .ts)"
find "$OUT" -type f \( -name '*.wasm' -o -name '*.js' -o -name '*.json' -o -name '*.ts' \) \
  -exec gzip -9 -k -f {} + || fail "gzip of $OUT/"
