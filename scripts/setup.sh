#!/usr/bin/env bash
# Installs what building Flotilla needs: the pinned Rust toolchain (rustfmt, clippy, wasm32 target),
# the wasm-bindgen CLI of exactly the version the crates pin, and the npm packages (binaryen's
# wasm-opt, which build-web.sh runs). Idempotent: a second run only checks.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

WASM_TARGET=wasm32-unknown-unknown

toolchain="$(pinned_toolchain)"
step "Rust toolchain ${toolchain:-?} with rustfmt, clippy and the $WASM_TARGET target"
[ -n "$toolchain" ] || fail "no 'channel = \"...\"' line in rust-toolchain.toml"
command -v rustup >/dev/null || fail "rustup is not on PATH; install rustup first"
# RUSTUP_AUTO_INSTALL=0 on these machines: rust-toolchain.toml alone installs nothing, so do it here.
if ! rustup toolchain list | grep -q "^$toolchain-"; then
  rustup toolchain install "$toolchain" --profile minimal -c rustfmt,clippy -t "$WASM_TARGET" \
    || fail "rustup toolchain install $toolchain"
else
  # The toolchain may exist without the extras (e.g. installed by hand with another profile).
  installed="$(rustup component list --toolchain "$toolchain" --installed)"
  for component in rustfmt clippy; do
    if ! grep -q "^$component-" <<<"$installed"; then
      rustup component add --toolchain "$toolchain" "$component" || fail "rustup component add $component"
    fi
  done
  if ! grep -q "^rust-std-$WASM_TARGET\$" <<<"$installed"; then
    rustup target add --toolchain "$toolchain" "$WASM_TARGET" || fail "rustup target add $WASM_TARGET"
  fi
fi
note "$(rustc --version)"

step "Rust toolchain $SHIPPED_TOOLCHAIN with rust-src (the shipped wasm's build, scripts/lib.sh)"
install_shipped_toolchain
note "$(rustc "+$SHIPPED_TOOLCHAIN" --version)"

version="$(pinned_wasm_bindgen)"
step "wasm-bindgen CLI ${version:-?} (must equal the wasm-bindgen crate pin)"
[ -n "$version" ] || fail "no 'wasm-bindgen = \"=X.Y.Z\"' line in Cargo.toml"
# wasm-bindgen and wasm-bindgen-test-runner come from the same package; check both.
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $version" ] \
  || ! wasm-bindgen-test-runner --version 2>/dev/null | grep -qF "$version"; then
  note "installing wasm-bindgen-cli $version with cargo (about 4 minutes on a fresh machine)"
  # No --locked: the registry mirror here lacks one dependency version from the CLI's lockfile.
  cargo install wasm-bindgen-cli --version "$version" || fail "cargo install wasm-bindgen-cli --version $version"
  [ "$(wasm-bindgen --version 2>/dev/null)" = "wasm-bindgen $version" ] \
    || fail "installed, but 'wasm-bindgen --version' does not print $version (is $CARGO_BIN_DIR first on PATH?)"
fi
note "$(command -v wasm-bindgen): $(wasm-bindgen --version)"

step "npm packages (binaryen's wasm-opt and terser for build-web.sh)"
install_npm_packages
note "$(node_modules/binaryen/bin/wasm-opt --version)"

step "PyPI package zopfli in .venv/ (the precompressed files build-web.sh writes and measures)"
install_venv_pins scripts/build-requirements.txt
note "$(.venv/bin/python -m pip freeze 2>/dev/null | grep -i '^zopfli==')"
