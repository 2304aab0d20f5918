#!/usr/bin/env bash
# Builds the browser app into dist/: flotilla-web in the size-first `wasm-app` profile,
# wasm-bindgen's ES-module glue in dist/pkg/, the static files from www/ (the documentation site
# www/docs/ into dist/docs/ and the lesson list to project www/lessons/ into dist/lessons/ among
# them), a wasm-opt -Oz pass, a size report, and a failing check
# when the app (wasm + JS, gzip) is over its budget; then the embed into dist/embed/
# (scripts/build-embed.sh, with its own budget), which the docs pages load.
# Expects scripts/setup.sh to have run (pinned toolchains, wasm-bindgen CLI, npm's binaryen and terser).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

# The app's download budget, gzip of wasm + JS as served (Zopfli, PRODUCT.md): the build fails above it.
APP_GZIP_BUDGET_KIB=700

WASM_TARGET=wasm32-unknown-unknown
WASM_PROFILE=wasm-app
WASM_IN="$SHIPPED_TARGET_DIR/$WASM_TARGET/$WASM_PROFILE/flotilla_web.wasm"
# binaryen from npm (package.json): Debian's is too old for the wasm features rustc emits.
WASM_OPT=node_modules/binaryen/bin/wasm-opt
OUT=dist
WASM_OUT="$OUT/pkg/flotilla_web_bg.wasm"
JS_OUT="$OUT/pkg/flotilla_web.js"

# Start from an empty dist/ so a failed build never leaves an old app behind for the tests to serve.
rm -rf "$OUT"

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
# The --enable flags name the wasm features rustc emits by default; without them wasm-opt rejects
# the module. --converge repeats the passes while they still shrink it (-2.2 KiB gzip, ~20 s more);
# No --ignore-implicit-traps: it saved 1 KiB but broke the app (yew panicked "already borrowed"
# after the deploy panel's crash-rate field was filled; tests/e2e/taskdefs.test.mjs caught it).
"$WASM_OPT" -Oz --converge --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  "$WASM_OUT" -o "$WASM_OUT.opt" || fail "wasm-opt"
mv "$WASM_OUT.opt" "$WASM_OUT"
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
step "size budget: app $app_gzip_kib KiB gzip (wasm + js), budget $APP_GZIP_BUDGET_KIB KiB"
if [ "$app_gzip_bytes" -gt $((APP_GZIP_BUDGET_KIB * 1024)) ] && [ "${FLOTILLA_PANIC_MESSAGES:-0}" = 1 ]; then
  note "over budget, as a build with panic messages is (FLOTILLA_PANIC_MESSAGES=1)"
elif [ "$app_gzip_bytes" -gt $((APP_GZIP_BUDGET_KIB * 1024)) ]; then
  fail "the app is $app_gzip_kib KiB gzip, over its budget of $APP_GZIP_BUDGET_KIB KiB (APP_GZIP_BUDGET_KIB in scripts/build-web.sh)"
fi

# The <flotilla-sandbox> embed beside the app, at dist/embed/, with its own budget (300 KiB).
step "build the embed (scripts/build-embed.sh)"
bash scripts/build-embed.sh || fail "scripts/build-embed.sh"

# What the server sends: FILE.gz beside every text and wasm file (serve.sh answers a client that
# accepts gzip with it and `Content-Encoding: gzip`), the size the budget above measures.
step "precompress dist/ (Zopfli gzip beside each .wasm .js .mjs .css .html .json .svg)"
mapfile -d '' files < <(find "$OUT" -type f \( -name '*.wasm' -o -name '*.js' -o -name '*.mjs' -o -name '*.css' \
  -o -name '*.html' -o -name '*.json' -o -name '*.svg' \) -print0)
gzip_best "${files[@]}"
