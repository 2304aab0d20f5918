# Shared helpers for scripts/*.sh: step banners, failure messages, PATH and version look-ups.
# Sourced, not executed; callers have already cd'ed to the repository root.
# shellcheck shell=bash

# cargo install puts binaries here; a non-login shell (CI) may not have it on PATH yet.
CARGO_BIN_DIR="${CARGO_HOME:-$HOME/.cargo}/bin"
case ":$PATH:" in
  *":$CARGO_BIN_DIR:"*) ;;
  *) PATH="$CARGO_BIN_DIR:$PATH"; export PATH ;;
esac

CURRENT_STEP=""

# step "description": one-line banner; remembered so `fail` can name the step.
step() {
  CURRENT_STEP="$1"
  echo "==> $1"
}

# note "text": an indented detail line under the current banner.
note() {
  echo "    $1"
}

# fail "why": print which step failed and why, then exit non-zero.
fail() {
  echo "error: step '${CURRENT_STEP:-?}' failed: $1" >&2
  exit 1
}

# port_open PORT: true when something accepts connections on 127.0.0.1:PORT (bash's /dev/tcp,
# so no curl needed).
port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# The toolchain channel pinned in rust-toolchain.toml (e.g. 1.95.0).
pinned_toolchain() {
  sed -n 's/^channel *= *"\([^"]*\)".*/\1/p' rust-toolchain.toml
}

# The exact wasm-bindgen version pinned in the root Cargo.toml (`wasm-bindgen = "=X.Y.Z"`).
pinned_wasm_bindgen() {
  sed -n 's/^wasm-bindgen *= *"=\([0-9][0-9.]*\)".*/\1/p' Cargo.toml
}

# install_npm_packages: `npm ci` (or `npm install` without a lockfile) when any devDependency of
# package.json is missing from node_modules/ or at another version than pinned. Idempotent.
install_npm_packages() {
  command -v npm >/dev/null || fail "npm is not on PATH; install Node.js 20 or newer"
  # Installs when any devDependency is missing or at another version than package.json pins.
  local missing
  missing="$(node -e '
    const wanted = require("./package.json").devDependencies;
    const off = Object.entries(wanted).filter(([name, version]) => {
      try { return require(`./node_modules/${name}/package.json`).version !== version; } catch { return true; }
    });
    console.log(off.map(([name]) => name).join(" "));
  ')"
  if [ -n "$missing" ]; then
    note "installing: $missing"
    if [ -f package-lock.json ]; then
      npm ci --no-audit --no-fund || fail "npm ci"
    else
      npm install --no-audit --no-fund || fail "npm install"
    fi
  fi
}

# venv_has_pins REQUIREMENTS: true when .venv/ has every `name==version` line of the file.
venv_has_pins() {
  [ -x .venv/bin/python ] || return 1
  local frozen
  frozen="$(.venv/bin/python -m pip freeze 2>/dev/null)" || return 1
  grep -v '^#' "$1" | grep . | while read -r pin; do
    grep -qix "$pin" <<<"$frozen" || return 1
  done
}

# install_venv_pins REQUIREMENTS: pip-installs the file into .venv/ (made if missing) unless every
# pin is already there. Idempotent.
install_venv_pins() {
  command -v python3 >/dev/null || fail "python3 is not on PATH; install Python 3.9 or newer"
  if ! venv_has_pins "$1"; then
    [ -x .venv/bin/python ] || python3 -m venv .venv || fail "python3 -m venv .venv"
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$1" \
      || fail "pip install -r $1"
  fi
}

# gzip_best [--print-bytes] FILE...: FILE.gz beside each (Zopfli; scripts/gzip_best.py), the
# files serve.sh sends; with --print-bytes, their summed size.
gzip_best() {
  [ -x .venv/bin/python ] || fail ".venv/ is missing; run scripts/setup.sh (it installs Zopfli there)"
  .venv/bin/python scripts/gzip_best.py "$@" || fail "gzip_best.py $*"
}

# The toolchain the shipped wasm (app, exchange module, embed) is built with: a pinned nightly,
# because only a nightly rebuilds the standard library (-Zbuild-std) with the immediate-abort
# panic strategy and the size-first std features. That drops every panic message, location and
# formatting path from the wasm: -43 KiB gzip on the app (793.7 -> 749.9 KB gzip -9 on the
# issue-11 build), which its 700 KiB budget needs. Everything else (clippy, tests, the wasm tests
# in Chromium) stays on the stable toolchain of rust-toolchain.toml. The std sources come with
# the rust-src component; no wasm32 rust-std of the nightly is needed (the mirror has none).
SHIPPED_TOOLCHAIN=nightly-2026-05-19

# install_shipped_toolchain: rustup-installs SHIPPED_TOOLCHAIN with rust-src unless present.
install_shipped_toolchain() {
  if ! rustup toolchain list | grep -q "^$SHIPPED_TOOLCHAIN-"; then
    rustup toolchain install "$SHIPPED_TOOLCHAIN" --profile minimal -c rust-src \
      || fail "rustup toolchain install $SHIPPED_TOOLCHAIN --profile minimal -c rust-src (the shipped wasm is built with it)"
  elif ! rustup component list --toolchain "$SHIPPED_TOOLCHAIN" --installed | grep -q "^rust-src"; then
    rustup component add --toolchain "$SHIPPED_TOOLCHAIN" rust-src \
      || fail "rustup component add --toolchain $SHIPPED_TOOLCHAIN rust-src"
  fi
}

# Where shipped builds go: their own target directory, so they never invalidate the stable
# toolchain's wasm32 builds that clippy and the wasm tests use (different flags, different std).
SHIPPED_TARGET_DIR="${CARGO_TARGET_DIR:-target}/shipped"

# shipped_build PACKAGE: `cargo build` of PACKAGE for wasm32 in the size-first wasm-app profile
# with SHIPPED_TOOLCHAIN, std rebuilt with panic=immediate-abort (a panic is a wasm trap, shown
# as "RuntimeError: unreachable" in the console; the e2e harness fails on it as on any page
# error) and std's optimize_for_size. FLOTILLA_PANIC_MESSAGES=1 builds with the stable
# toolchain instead, panic messages included, for chasing a trap (over the size budgets).
shipped_build() {
  if [ "${FLOTILLA_PANIC_MESSAGES:-0}" = 1 ]; then
    note "FLOTILLA_PANIC_MESSAGES=1: stable toolchain, panic messages kept (larger than shipped)"
    CARGO_TARGET_DIR="$SHIPPED_TARGET_DIR" cargo build --profile wasm-app -p "$1" --target wasm32-unknown-unknown
    return
  fi
  install_shipped_toolchain
  RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort" CARGO_TARGET_DIR="$SHIPPED_TARGET_DIR" \
    cargo "+$SHIPPED_TOOLCHAIN" build --profile wasm-app -p "$1" --target wasm32-unknown-unknown \
    -Zbuild-std=std,panic_abort -Zbuild-std-features=optimize_for_size
}

# minify_js FILE...: terser (npm, package.json) in place, as ES modules: exports and imports keep
# their names and property names are never mangled, so wasm-bindgen's import object still
# matches the wasm's imports. The app's glue: 10.8 -> 7.5 KB gzip.
minify_js() {
  local terser=node_modules/.bin/terser
  [ -x "$terser" ] || fail "$terser is missing; run scripts/setup.sh (it installs npm's terser)"
  local file
  for file in "$@"; do
    "$terser" "$file" --module --compress --mangle -o "$file.min" || fail "terser $file"
    mv "$file.min" "$file"
  done
}
