#!/usr/bin/env bash
# Installs what the browser tests need: Debian's Chromium and ChromeDriver (used by both
# wasm-bindgen-test-runner and Playwright) and the npm packages playwright-core and axe-core (accessibility checks), also installed by
# setup.sh with binaryen; and the export
# validators botocore and cfn-lint from PyPI into .venv/ (pinned in tests/tools/requirements.txt).
# Idempotent.
# Never runs `npx playwright install`: browser downloads by test tools fail on these machines.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

step "Chromium and ChromeDriver from Debian"
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  as_root=()
  [ "$(id -u)" = 0 ] || as_root=(sudo)
  "${as_root[@]}" apt-get update || fail "apt-get update"
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver \
    || fail "apt-get install -y chromium chromium-driver"
fi
# The two must be the same major version or ChromeDriver refuses to start the browser.
# (Debian's /usr/bin/chromium wrapper prints a harmless shell warning to stderr; drop it.)
note "$(/usr/bin/chromium --version 2>/dev/null); $(/usr/bin/chromedriver --version | cut -d' ' -f1-2)"

step "npm packages (playwright-core, axe-core, binaryen)"
install_npm_packages
note "playwright-core $(node -p 'require("./node_modules/playwright-core/package.json").version'), axe-core $(node -p 'require("./node_modules/axe-core/package.json").version')"

step "PyPI packages botocore and cfn-lint in .venv/"
install_venv_pins tests/tools/requirements.txt
note "$(.venv/bin/python -m pip freeze 2>/dev/null | grep -iE '^(botocore|cfn-lint)==' | tr '\n' ' ')"
