# Flotilla's two commands: `make run` (build the browser app and serve it) and `make test`
# (every check: fmt, clippy, native tests, wasm tests in headless Chromium, end-to-end tests).
# The work lives in scripts/*.sh; these targets only name it.

PORT ?= 8080

.PHONY: run test setup setup-test build-web serve

## Install the toolchain if needed, build dist/ and serve it at http://127.0.0.1:$(PORT)/.
# One recipe rather than prerequisites, so `make -j run` cannot serve before the build is done.
run:
	@bash scripts/setup.sh
	@bash scripts/build-web.sh
	@bash scripts/serve.sh $(PORT)

## Run every check; the last line printed is "N passed, M failed".
test:
	@bash scripts/test.sh

## Install the pinned Rust toolchain and the matching wasm-bindgen CLI (idempotent).
setup:
	@bash scripts/setup.sh

## Install Chromium, ChromeDriver and playwright-core for the browser tests (idempotent).
setup-test:
	@bash scripts/setup-test.sh

## Build the release wasm app into dist/.
build-web:
	@bash scripts/build-web.sh

## Serve dist/ (already built) at http://127.0.0.1:$(PORT)/.
serve:
	@bash scripts/serve.sh $(PORT)
