#!/usr/bin/env bash
# Builds the <flotilla-sandbox> embed into dist/embed/: flotilla-embed (embed/) in the size-first
# `wasm-app` profile, wasm-bindgen's glue in dist/embed/pkg/, the element's script from
# www/embed/ (copied with the rest of www/ by build-web.sh, or here when run alone), a wasm-opt
# -Oz pass, a size report, and a failing check when the embed (wasm + both scripts, gzip as served) is
# over its budget. build-web.sh calls it, so `make run` serves /embed/ beside the app.
#
# Why a separate cdylib with a hand-written web-sys renderer. Measured 2026-12-06: a minimal
# cdylib calling parse_scenario, Session::new / run_until / seek and World::describe, built as a
# standalone crate with this workspace's Cargo.lock and `wasm-app` profile, wasm-bindgen, wasm-opt
# -Oz, gzip -9 of wasm + glue JS. Each line adds one thing to the first; the difference is its
# cost (the same code built as a workspace member measured 230.5 KiB for the first line and
# 289.0 for Yew, +58.5: the costs agree within a few KiB, the base does not, unexplained):
#   flotilla-core alone (parse, compile, world, session, trace words)     198.2 KiB
#   + Yew 0.23 (one function component, csr)                              241.9 KiB  (+43.7)
#   + a web-sys list renderer instead                                     201.8 KiB  (+3.6)
#   + serde-wasm-bindgen straight into core types (Vec<Op> in and out)   224.6 KiB  (+26.4: a
#     second copy of the Action deserializer; the embed converts JS values to serde_json::Value
#     with serde-wasm-bindgen and reuses the core's path-keeping deserializer instead)
#   + flotilla-app's share link (miniz_oxide's compressor)                207.8 KiB  (+9.6; the
#     embed writes the same format as stored DEFLATE blocks: -8.7 KiB measured on the embed)
#   + export (CloudFormation YAML/JSON, ECS bundle)                       222.2 KiB  (+24.0)
#   + import (AWS documents)                                              214.4 KiB  (+16.2)
#   + counterfactuals                                                     210.9 KiB  (+12.7)
#   + snapshots (postcard)                                                243.1 KiB  (+44.9)
#   regex-lite (cluster-query =~), measured on the embed itself           -21.3 KiB when left out
#   service discovery and traffic (issue 11), on the embed itself          -75.4 KiB when left out
#     (2026-12: 336.7 KiB with it, 261.3 without; main before issue 11 was 257.9)
# Export, import, counterfactuals and snapshots cost nothing unless called (LTO drops them), so
# they need no feature flag; regex-lite is reached from every scenario parse, so flotilla-core
# has a default `regex` feature that the embed turns off (a `=~` constraint is then a typed
# error pointing to the full app). Discovery and traffic are reached from every scenario parse
# and every world step, so they are flotilla-core's default `discovery` feature, off here too
# (a scenario with a load balancer or traffic is refused at that member's path). serde_json and serde_path_to_error stay: the scenario loader
# is built on them. Yew does not fit: 230 + 58 leaves nothing for four views, the JS API and the
# assertion badges under 300 KiB. The embed as built: 261.3 KiB (wasm 249.4 + glue 5.9 +
# element script 6.0), assertion badges included.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

# The embed's download budget, gzip of wasm + JS as served (Zopfli; issue 12): the build fails above it.
EMBED_GZIP_BUDGET_KIB=300

WASM_TARGET=wasm32-unknown-unknown
WASM_PROFILE=wasm-app
WASM_IN="$SHIPPED_TARGET_DIR/$WASM_TARGET/$WASM_PROFILE/flotilla_embed.wasm"
WASM_OPT=node_modules/binaryen/bin/wasm-opt
OUT=dist/embed
WASM_OUT="$OUT/pkg/flotilla_embed_bg.wasm"
GLUE_OUT="$OUT/pkg/flotilla_embed.js"
ELEMENT_OUT="$OUT/flotilla-embed.js"

step "cargo +$SHIPPED_TOOLCHAIN build --profile $WASM_PROFILE -p flotilla-embed --target $WASM_TARGET (lib.sh's shipped_build)"
shipped_build flotilla-embed || fail "cargo build of flotilla-embed"
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

# The bytes served: FILE.gz written beside FILE (Zopfli, a gzip stream; lib.sh's gzip_best).
gzip_bytes() {
  gzip_best --print-bytes "$1"
}
kib() {
  awk -v b="$1" 'BEGIN { printf "%.1f", b / 1024 }'
}
wasm_gz=$(gzip_bytes "$WASM_OUT")
glue_gz=$(gzip_bytes "$GLUE_OUT")
element_gz=$(gzip_bytes "$ELEMENT_OUT")
embed_gz=$((wasm_gz + glue_gz + element_gz))
step "size budget: embed $(kib "$embed_gz") KiB gzip (wasm $(kib "$wasm_gz") + glue $(kib "$glue_gz") + element $(kib "$element_gz")), budget $EMBED_GZIP_BUDGET_KIB KiB"
if [ "$embed_gz" -gt $((EMBED_GZIP_BUDGET_KIB * 1024)) ] && [ "${FLOTILLA_PANIC_MESSAGES:-0}" = 1 ]; then
  note "over budget, as a build with panic messages is (FLOTILLA_PANIC_MESSAGES=1)"
elif [ "$embed_gz" -gt $((EMBED_GZIP_BUDGET_KIB * 1024)) ]; then
  fail "the embed is $(kib "$embed_gz") KiB gzip, over its budget of $EMBED_GZIP_BUDGET_KIB KiB (EMBED_GZIP_BUDGET_KIB in scripts/build-embed.sh)"
fi

# FILE.gz beside each file, as build-web.sh does for dist/ (a fresh .gz is kept there), so a
# build of the embed alone never leaves a stale .gz for serve.sh to send.
step "precompress $OUT/ (Zopfli gzip beside each .wasm .js .json .ts)"
mapfile -d '' files < <(find "$OUT" -type f \( -name '*.wasm' -o -name '*.js' -o -name '*.json' -o -name '*.ts' \) -print0)
gzip_best "${files[@]}"
