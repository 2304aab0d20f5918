#!/usr/bin/env bash
# What `make test` runs: setup, then every check in order (fmt, clippy native and wasm, native tests,
# flotilla-core without its `discovery` feature as the embed builds it, wasm tests in headless
# Chromium, exports validated by botocore and cfn-lint, release build, end-to-end tests with
# Playwright against dist/).
# Every step runs even when an earlier one failed; each step's output is also saved to
# test-output/logs/. Test counts are summed from the runners' own summary lines; a step that fails
# without reporting failed tests (fmt, clippy, a build error) counts as 1 failed, and a test step
# that runs no test at all also counts as 1 failed, so nothing is skipped silently.
# The last line is always "N passed, M failed"; the exit status is non-zero when M > 0.
set -uo pipefail # no -e: a failing step is counted, not fatal
cd "$(dirname "$0")/.." || exit 1
. scripts/lib.sh

WASM_TARGET=wasm32-unknown-unknown
LOG_DIR=test-output/logs
E2E_PORT="${FLOTILLA_E2E_PORT:-8081}"
E2E_TIMEOUT_S=900 # bound on the whole end-to-end step; each test has its own smaller timeout

rm -rf "$LOG_DIR"
mkdir -p "$LOG_DIR"
# Ctrl-C stops the whole run, not just the current step.
trap 'echo; echo "interrupted" >&2; exit 130' INT TERM

total_passed=0
total_failed=0
step_count=0
summary=()

# run_step KIND ID TITLE COMMAND...
#   KIND check: no test counts; a non-zero exit counts as 1 failed.
#   KIND cargo: sums libtest / wasm-bindgen-test lines "test result: ok. N passed; M failed; K ignored".
#   KIND node:  reads node --test's TAP footer "# pass N", "# fail N", "# cancelled N", "# skipped N".
#   KIND plain: reads a closing "N passed, M failed" line (tests/tools/*.py print one).
run_step() {
  local kind="$1" id="$2" title="$3"
  shift 3
  step_count=$((step_count + 1))
  local log
  log="$LOG_DIR/$(printf '%02d' "$step_count")-$id.log"

  echo
  echo "==> [$step_count] $title"
  "$@" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}

  local passed=0 failed=0 skipped=0 why=""
  case "$kind" in
    cargo) read -r passed failed skipped < <(count_cargo "$log") ;;
    node) read -r passed failed skipped < <(count_node "$log") ;;
    plain) read -r passed failed skipped < <(count_plain "$log") ;;
  esac
  if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
    failed=1
    why="exit status $rc"
  elif [ "$kind" != check ] && [ "$rc" -eq 0 ] && [ $((passed + failed)) -eq 0 ]; then
    failed=1
    why="ran no tests"
  fi

  total_passed=$((total_passed + passed))
  total_failed=$((total_failed + failed))

  local verdict=ok detail=""
  [ "$failed" -eq 0 ] || verdict=FAIL
  [ "$kind" = check ] || detail="$passed passed / $failed failed"
  [ "$skipped" -eq 0 ] || detail="$detail / $skipped SKIPPED (house style: no ignored tests)"
  [ -z "$why" ] || detail="${detail:+$detail; }$why"
  summary+=("$(printf '    %-4s  %-40s %s' "$verdict" "$title" "$detail" | sed 's/ *$//')")
  echo "--> [$step_count] $verdict${detail:+ ($detail)}; log: $log"
}

# count_cargo LOG: "passed failed ignored" summed over every "test result:" line.
count_cargo() {
  sed 's/\x1b\[[0-9;]*m//g' "$1" | awk '
    /test result: / {
      for (i = 2; i <= NF; i++) {
        if ($i ~ /^passed;?$/) p += $(i - 1)
        if ($i ~ /^failed;?$/) f += $(i - 1)
        if ($i ~ /^ignored;?$/) s += $(i - 1)
      }
    }
    END { print p + 0, f + 0, s + 0 }'
}

# count_node LOG: "passed failed skipped" from the TAP footer (cancelled tests count as failed).
count_node() {
  sed 's/\x1b\[[0-9;]*m//g' "$1" | awk '
    /^# pass [0-9]+$/ { p += $3 }
    /^# fail [0-9]+$/ { f += $3 }
    /^# cancelled [0-9]+$/ { f += $3 }
    /^# (skipped|todo) [0-9]+$/ { s += $3 }
    END { print p + 0, f + 0, s + 0 }'
}

# count_plain LOG: "passed failed 0" from the last "N passed, M failed" line.
count_plain() {
  sed 's/\x1b\[[0-9;]*m//g' "$1" | awk '
    /^[0-9]+ passed, [0-9]+ failed$/ { p = $1; f = $3 }
    END { print p + 0, f + 0, 0 }'
}

# run_exports: export every scenario the repository holds (built-ins in core/scenarios/, the
# export corpus in tests/export/, the scenario corpus in tests/corpus/) and validate the results
# with botocore and cfn-lint from .venv/.
run_exports() {
  cargo build --quiet -p flotilla-cli || return 1
  .venv/bin/python tests/tools/validate_exports.py target/debug/flotilla \
    core/scenarios/*.json tests/export/*.json tests/corpus/*.json tests/discovery/*.json
}

# run_e2e: serve dist/ on $E2E_PORT, run node --test tests/e2e/, stop the server. A subshell, so
# its EXIT trap stops the server however the step ends (failure, timeout or Ctrl-C).
run_e2e() (
  local url="http://127.0.0.1:$E2E_PORT/" server_pid=""
  # shellcheck disable=SC2317 # called by the EXIT trap
  stop_server() {
    if [ -n "$server_pid" ]; then
      kill "$server_pid" 2>/dev/null
      wait "$server_pid" 2>/dev/null
    fi
    server_pid=""
  }
  trap stop_server EXIT

  if port_open "$E2E_PORT"; then
    echo "error: port $E2E_PORT is already in use; stop that server or set FLOTILLA_E2E_PORT"
    return 1
  fi
  bash scripts/serve.sh "$E2E_PORT" >"$LOG_DIR/e2e-server.log" 2>&1 &
  server_pid=$!
  local tries=0
  until port_open "$E2E_PORT"; do
    tries=$((tries + 1))
    if ! kill -0 "$server_pid" 2>/dev/null || [ "$tries" -gt 50 ]; then
      echo "error: the test server did not start on $url; its log:"
      cat "$LOG_DIR/e2e-server.log"
      return 1
    fi
    sleep 0.2
  done
  echo "serving dist/ at $url (server log: $LOG_DIR/e2e-server.log)"
  # TAP reporter explicitly: the footer we count is the same whether or not stdout is a terminal.
  # --foreground keeps node in our process group, so Ctrl-C reaches it (and Playwright closes
  # Chromium) instead of leaving it running behind us.
  FLOTILLA_URL="$url" timeout --foreground "$E2E_TIMEOUT_S" node --test --test-reporter=tap tests/e2e/
)

run_step check setup "setup: toolchain, wasm-bindgen" bash scripts/setup.sh
run_step check setup-test "setup: chromium, playwright-core" bash scripts/setup-test.sh
run_step check fmt "cargo fmt --check" cargo fmt --all --check
# flotilla-web only targets wasm32, so it is linted (and tested) for that target alone.
# flotilla-exchange ships as wasm and is tested natively, so it is linted for both.
run_step check clippy-native "clippy (native)" \
  cargo clippy --workspace --exclude flotilla-web --all-targets -- -D warnings
# The embed builds flotilla-core without its `discovery` feature (features unify across the
# workspace, so the steps above build it with), so that build is linted and tested on its own.
run_step check clippy-core-without-discovery "clippy (flotilla-core without discovery)" \
  cargo clippy -p flotilla-core --no-default-features --all-targets -- -D warnings
run_step check clippy-wasm "clippy (wasm32, flotilla-web, flotilla-embed, flotilla-exchange)" \
  cargo clippy -p flotilla-web -p flotilla-embed -p flotilla-exchange --target "$WASM_TARGET" --all-targets -- -D warnings
# --no-fail-fast: a failing test binary must not hide the counts of the ones after it.
run_step cargo test-native "cargo test (native)" \
  cargo test --workspace --exclude flotilla-web --no-fail-fast
# Regex stays on here: the query language's snapshot tests use `=~`.
run_step cargo test-core-without-discovery "cargo test (flotilla-core without discovery)" \
  cargo test -p flotilla-core --no-default-features --features regex --lib --no-fail-fast
# wasm-bindgen-test-runner drives Chromium through ChromeDriver; it reads browser flags from
# webdriver.json in its working directory (web/ under cargo test); the variable makes that explicit.
run_step cargo test-wasm "cargo test (wasm32, headless Chromium)" \
  env CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  CHROMEDRIVER=/usr/bin/chromedriver \
  WASM_BINDGEN_TEST_WEBDRIVER_JSON="$PWD/web/webdriver.json" \
  cargo test -p flotilla-web --target "$WASM_TARGET" --no-fail-fast
run_step plain exports "exports (botocore, cfn-lint)" run_exports
run_step check build-web "build-web (release wasm into dist/)" bash scripts/build-web.sh
run_step node e2e "end-to-end (Playwright, dist/)" run_e2e

echo
echo "==> summary (logs in $LOG_DIR/)"
printf '%s\n' "${summary[@]}"
echo "$total_passed passed, $total_failed failed"
[ "$total_failed" -eq 0 ]
