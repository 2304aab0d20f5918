#!/usr/bin/env bash
# Builds the browser app into dist/: flotilla-web in the size-first `wasm-app` profile,
# wasm-bindgen's ES-module glue in dist/pkg/, the static files from www/ (the documentation site
# www/docs/ into dist/docs/ and the lesson list to project www/lessons/ into dist/lessons/ among
# them), a wasm-opt -Oz pass and a size report; the exchange module (flotilla-exchange: export
# and import, which the app loads on first use) into dist/exchange/ the same way; the embed into
# dist/embed/ (scripts/build-embed.sh, with its own budget), which the docs pages load. The build
# fails at the end when the app's initial download or the exchange module (each wasm + JS, gzip)
# is over its budget, or the embed's build failed.
# Expects scripts/setup.sh to have run (pinned toolchains, wasm-bindgen CLI, npm's binaryen).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

# The app's download budget, gzip of wasm + JS as served (Zopfli, PRODUCT.md): the build fails above it.
# It is the initial download: the exchange module below is not part of it.
APP_GZIP_BUDGET_KIB=700
# The exchange module's budget, gzip of wasm + JS as served, fetched when the Export menu or the Import
# dialog first opens: the build fails above it too. Measured at 306.9 KiB (wasm 304.4 + JS 2.5):
# besides the writers and readers it carries its own copy of what the import validates with
# (scenario compile, cluster queries with regex-lite, assertions), which the app has as well.
EXCHANGE_GZIP_BUDGET_KIB=320

WASM_TARGET=wasm32-unknown-unknown
WASM_PROFILE=wasm-app
WASM_IN="$SHIPPED_TARGET_DIR/$WASM_TARGET/$WASM_PROFILE/flotilla_web.wasm"
# binaryen from npm (package.json): Debian's is too old for the wasm features rustc emits.
WASM_OPT=node_modules/binaryen/bin/wasm-opt
OUT=dist
WASM_OUT="$OUT/pkg/flotilla_web_bg.wasm"
JS_OUT="$OUT/pkg/flotilla_web.js"
# The exchange module; the app imports it from exchange/ beside pkg/ (web/src/exchange.rs).
EXCHANGE_IN="$SHIPPED_TARGET_DIR/$WASM_TARGET/$WASM_PROFILE/flotilla_exchange.wasm"
EXCHANGE_WASM_OUT="$OUT/exchange/flotilla_exchange_bg.wasm"
EXCHANGE_JS_OUT="$OUT/exchange/flotilla_exchange.js"

# Start from an empty dist/ so a failed build never leaves an old app behind for the tests to serve.
rm -rf "$OUT"
# What went over budget (the app, the exchange module) or failed (the embed's build, which checks
# its own budget): reported as it happens, failed at the end, so one build measures all three and
# dist/ is whole for a look at what went over.
over_budget=()

step "cargo +$SHIPPED_TOOLCHAIN build --profile $WASM_PROFILE -p flotilla-web --target $WASM_TARGET (std rebuilt, lib.sh's shipped_build)"
shipped_build flotilla-web || fail "cargo build of flotilla-web"
[ -f "$WASM_IN" ] || fail "expected $WASM_IN after the build (is flotilla-web a cdylib?)"

step "wasm-bindgen --target web into $OUT/pkg, its JS minified (terser)"
wasm-bindgen --target web --no-typescript --out-dir "$OUT/pkg" "$WASM_IN" || fail "wasm-bindgen"
if [ ! -f "$WASM_OUT" ] || [ ! -f "$JS_OUT" ]; then
  fail "wasm-bindgen did not write $WASM_OUT and $JS_OUT"
fi
minify_js "$JS_OUT"

step "copy www/ into $OUT/"
[ -f www/index.html ] || fail "www/index.html is missing"
cp -RL www/. "$OUT/" || fail "cp -RL www/. $OUT/"
# The documentation site ("Running Microservices on Amazon ECS") comes along from www/docs/ and is
# served at /docs/ beside the app; its embeds load /embed/flotilla-embed.js.
# The built-in lessons' files, fetched by the app when one is chosen (web/src/lesson_files.rs)
# rather than compiled into it (app size).
mkdir -p "$OUT/lessons" && cp core/lessons/*.json "$OUT/lessons/" || fail "copy core/lessons/ into $OUT/lessons/"
note "lessons: $(find "$OUT/lessons" -name '*.json' | wc -l) files in $OUT/lessons/"
# The lesson list instructors project (www/lessons/, served at /lessons/ beside those files) reads
# their ids, in the core's order, from index.json, written here from core/src/lessons/builtin.rs.
lesson_ids=$(grep -o '"\.\./\.\./lessons/[a-z0-9-]*\.json"' core/src/lessons/builtin.rs | sed 's|.*/||; s|\.json"||') || true
[ -n "$lesson_ids" ] || fail "no lesson ids found in core/src/lessons/builtin.rs"
for id in $lesson_ids; do
  [ -f "$OUT/lessons/$id.json" ] || fail "core/src/lessons/builtin.rs names $id, but $OUT/lessons/$id.json is missing"
done
printf '%s\n' $lesson_ids | awk 'BEGIN { printf "[" } { printf "%s\"%s\"", (NR > 1 ? ", " : ""), $0 } END { print "]" }' \
  >"$OUT/lessons/index.json" || fail "write $OUT/lessons/index.json"
[ -f "$OUT/lessons/index.html" ] || fail "expected $OUT/lessons/index.html (the lesson list to project, www/lessons/)"
note "lesson list to project: $OUT/lessons/index.html, $(wc -w <<<"$lesson_ids") lessons in $OUT/lessons/index.json"
# The built-in game days' files, fetched the same way (web/src/lesson_files.rs).
mkdir -p "$OUT/gamedays" && cp core/gamedays/*.json "$OUT/gamedays/" || fail "copy core/gamedays/ into $OUT/gamedays/"
note "game days: $(find "$OUT/gamedays" -name '*.json' | wc -l) files in $OUT/gamedays/"
# The built-in scenarios' files, fetched when the Library, a lesson or a game day names one; the
# app carries only the default's text (core/src/builtin.rs).
mkdir -p "$OUT/scenarios" && cp core/scenarios/*.json "$OUT/scenarios/" || fail "copy core/scenarios/ into $OUT/scenarios/"
note "built-in scenarios: $(find "$OUT/scenarios" -name '*.json' | wc -l) files in $OUT/scenarios/"
[ -f "$OUT/docs/index.html" ] || fail "expected $OUT/docs/index.html (the docs site in www/docs/)"
note "docs site: $(find "$OUT/docs" -name '*.html' | wc -l) pages in $OUT/docs/"

step "wasm-opt -Oz --converge"
[ -x "$WASM_OPT" ] || fail "$WASM_OPT is missing; run scripts/setup.sh (it installs npm's binaryen)"
# optimise FILE: wasm-opt in place, the same flags for the app and the exchange module.
# The --enable flags name the wasm features rustc emits by default; without them wasm-opt rejects
# the module. --converge repeats the passes while they still shrink it (-2.2 KiB gzip, ~20 s more);
# No --ignore-implicit-traps: it saved 1 KiB but broke the app (yew panicked "already borrowed"
# after the deploy panel's crash-rate field was filled; tests/e2e/taskdefs.test.mjs caught it).
optimise() {
  "$WASM_OPT" -Oz --converge --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "$1" -o "$1.opt" || fail "wasm-opt of $1"
  mv "$1.opt" "$1"
}
optimise "$WASM_OUT"
note "optimised with $("$WASM_OPT" --version)"

# size FILE: "N KiB raw, M KiB gzip" (FILE.gz as serve.sh sends it: Zopfli, lib.sh's gzip_best).
size() {
  local raw gz
  raw=$(wc -c <"$1")
  gz=$(gzip_best --print-bytes "$1")
  awk -v r="$raw" -v g="$gz" 'BEGIN { printf "%.1f KiB raw, %.1f KiB gzip", r / 1024, g / 1024 }'
}
step "size: wasm $(size "$WASM_OUT"); js $(size "$JS_OUT")"

gzip_bytes() {
  gzip_best --print-bytes "$1"
}
app_gzip_bytes=$(($(gzip_bytes "$WASM_OUT") + $(gzip_bytes "$JS_OUT")))
app_gzip_kib=$(awk -v b="$app_gzip_bytes" 'BEGIN { printf "%.1f", b / 1024 }')
step "size budget: app $app_gzip_kib KiB gzip (wasm + js), the initial download, budget $APP_GZIP_BUDGET_KIB KiB"
if [ "$app_gzip_bytes" -gt $((APP_GZIP_BUDGET_KIB * 1024)) ]; then
  over_budget+=("the app is $app_gzip_kib KiB gzip, over its budget of $APP_GZIP_BUDGET_KIB KiB (APP_GZIP_BUDGET_KIB in scripts/build-web.sh)")
  note "OVER BUDGET: ${over_budget[-1]}"
fi

# Export and import, loaded by the app on first use: the same profile and wasm-opt flags.
step "cargo +$SHIPPED_TOOLCHAIN build --profile $WASM_PROFILE -p flotilla-exchange --target $WASM_TARGET"
shipped_build flotilla-exchange || fail "cargo build of flotilla-exchange"
[ -f "$EXCHANGE_IN" ] || fail "expected $EXCHANGE_IN after the build (is flotilla-exchange a cdylib?)"
step "wasm-bindgen --target web into $OUT/exchange"
wasm-bindgen --target web --no-typescript --out-dir "$OUT/exchange" "$EXCHANGE_IN" \
  || fail "wasm-bindgen of flotilla-exchange"
if [ ! -f "$EXCHANGE_WASM_OUT" ] || [ ! -f "$EXCHANGE_JS_OUT" ]; then
  fail "wasm-bindgen did not write $EXCHANGE_WASM_OUT and $EXCHANGE_JS_OUT"
fi
minify_js "$EXCHANGE_JS_OUT"
step "wasm-opt -Oz --converge (exchange module)"
optimise "$EXCHANGE_WASM_OUT"
exchange_gzip_bytes=$(($(gzip_bytes "$EXCHANGE_WASM_OUT") + $(gzip_bytes "$EXCHANGE_JS_OUT")))
exchange_gzip_kib=$(awk -v b="$exchange_gzip_bytes" 'BEGIN { printf "%.1f", b / 1024 }')
note "wasm $(size "$EXCHANGE_WASM_OUT"); js $(size "$EXCHANGE_JS_OUT")"
step "exchange module $exchange_gzip_kib KiB gzip, loaded on first export or import (budget $EXCHANGE_GZIP_BUDGET_KIB KiB)"
if [ "$exchange_gzip_bytes" -gt $((EXCHANGE_GZIP_BUDGET_KIB * 1024)) ]; then
  over_budget+=("the exchange module is $exchange_gzip_kib KiB gzip, over its budget of $EXCHANGE_GZIP_BUDGET_KIB KiB (EXCHANGE_GZIP_BUDGET_KIB in scripts/build-web.sh)")
  note "OVER BUDGET: ${over_budget[-1]}"
fi

# The <flotilla-sandbox> embed beside the app, at dist/embed/, with its own budget (300 KiB).
step "build the embed (scripts/build-embed.sh)"
if ! bash scripts/build-embed.sh; then
  over_budget+=("scripts/build-embed.sh failed (its error is above)")
  note "FAILED: ${over_budget[-1]}"
fi

# What the server sends: FILE.gz beside every text and wasm file (serve.sh answers a client that
# accepts gzip with it and `Content-Encoding: gzip`), the size the budget above measures.
step "precompress dist/ (Zopfli gzip beside each .wasm .js .mjs .css .html .json .svg)"
mapfile -d '' files < <(find "$OUT" -type f \( -name '*.wasm' -o -name '*.js' -o -name '*.mjs' -o -name '*.css' \
  -o -name '*.html' -o -name '*.json' -o -name '*.svg' \) -print0)
gzip_best "${files[@]}"

step "size budgets: app, exchange module, embed"
if [ "${#over_budget[@]}" -gt 0 ] && [ "${FLOTILLA_PANIC_MESSAGES:-0}" = 1 ]; then
  note "not enforced for a build with panic messages (FLOTILLA_PANIC_MESSAGES=1)"
elif [ "${#over_budget[@]}" -gt 0 ]; then
  fail "$(printf '%s; ' "${over_budget[@]}" | sed 's/; $//')"
fi
