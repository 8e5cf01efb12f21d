#!/usr/bin/env bash
# npm run test:e2e: builds the plugin, starts the test bed from nothing, runs every runner of
# tests/e2e/expected-checks.json, stops the test bed (also on failure or Ctrl-C), and completes
# test-results/e2e-report.json with tests/e2e/finalize.mjs: a missing check id, a runner that exits non-zero and a
# check that timed out are failed checks. Ends with "e2e: N passed, M failed" and a line saying how many checks
# involved only real components; exits non-zero unless every check passed.
#
# Environment: ROLLOUT_LENS_CACHE, ROLLOUT_LENS_EVENT_TTL (see tests/testbed/start.sh),
#   ROLLOUT_LENS_RUN_DIR (default $ROLLOUT_LENS_CACHE/run-e2e), ROLLOUT_LENS_RECORD_DIR (fixtures output,
#   default test-results/recorded), E2E_ONLY (regex of check ids), E2E_KEEP=1 (leave the test bed running),
#   E2E_SKIP_BUILD=1 (use the dist/ already built).
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
REPO_ROOT=$PWD

export ROLLOUT_LENS_CACHE=${ROLLOUT_LENS_CACHE:-$HOME/.cache/rollout-lens}
export ROLLOUT_LENS_RUN_DIR=${ROLLOUT_LENS_RUN_DIR:-$ROLLOUT_LENS_CACHE/run-e2e}
export ROLLOUT_LENS_RECORD_DIR=${ROLLOUT_LENS_RECORD_DIR:-$REPO_ROOT/test-results/recorded}
export E2E_REPORT=${E2E_REPORT:-$REPO_ROOT/test-results/e2e-report.json}
RESULTS=$(dirname "$E2E_REPORT")
export E2E_RUNNERS=$RESULTS/e2e-runners.jsonl E2E_LOG_DIR=$RESULTS/e2e-logs
# shellcheck source=tests/e2e/lib/runner.sh
. tests/e2e/lib/runner.sh

# One run per run directory at a time (a second one would stop the first one's test bed): the script re-runs
# itself under flock, which holds the lock without handing it to the processes the run starts (-o).
if [ "${ROLLOUT_LENS_RUN_LOCKED:-}" != "$ROLLOUT_LENS_RUN_DIR" ]; then
  mkdir -p "$(dirname "$ROLLOUT_LENS_RUN_DIR")"
  flock -n "$ROLLOUT_LENS_RUN_DIR.lock" true || echo "e2e: another run is using $ROLLOUT_LENS_RUN_DIR; waiting for it"
  export ROLLOUT_LENS_RUN_LOCKED=$ROLLOUT_LENS_RUN_DIR
  exec flock -o "$ROLLOUT_LENS_RUN_DIR.lock" bash "$REPO_ROOT/tests/e2e/run.sh" "$@"
fi

mkdir -p "$RESULTS"
rm -rf "$E2E_REPORT" "$E2E_RUNNERS" "$E2E_LOG_DIR" "$RESULTS"/e2e-plugin-*.jsonl "$RESULTS"/e2e-jest-*.json

finish() {
  echo "e2e: report $E2E_REPORT, $((SECONDS - t0)) s"
  node tests/e2e/finalize.mjs "$E2E_REPORT" "$E2E_RUNNERS"
}

t0=$SECONDS
# The Grafana stand-in and the browser load the plugin from dist/: build it unless the caller just did.
if [ "${E2E_SKIP_BUILD:-0}" != 1 ]; then
  mkdir -p "$E2E_LOG_DIR"
  npm run build >"$E2E_LOG_DIR/build.log" 2>&1
  code=$?
  if [ "$code" -ne 0 ]; then
    echo "e2e: npm run build failed, see $E2E_LOG_DIR/build.log"
    record_runner build "$code" $((SECONDS - t0)) "$E2E_LOG_DIR/build.log"
    finish
    exit 1
  fi
fi
START_LOG=$RESULTS/e2e-testbed-start.log

cleanup() {
  if [ "${E2E_KEEP:-0}" = 1 ]; then
    echo "e2e: test bed left running (E2E_KEEP=1); stop it with: ROLLOUT_LENS_RUN_DIR=$ROLLOUT_LENS_RUN_DIR bash tests/testbed/stop.sh"
  else
    bash tests/testbed/stop.sh --quiet || true
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if bash tests/testbed/start.sh 2>&1 | tee "$START_LOG"; then
  run_runner testbed node tests/e2e/testbed-check.mjs true "$ROLLOUT_LENS_RUN_DIR" "$START_LOG"
  run_runner scenarios node tests/e2e/main.mjs
else
  run_runner testbed node tests/e2e/testbed-check.mjs false "$ROLLOUT_LENS_RUN_DIR" "$START_LOG"
  E2E_NOT_RUN="the test bed did not start (see testbed/start)" run_runner scenarios node tests/e2e/main.mjs
fi

# Each runner records its exit status (tests/e2e/lib/runner.sh); a new runner is one more line here and one more
# entry in tests/e2e/expected-checks.json.
run_runner grafana bash tests/e2e/grafana-suite.sh # Grafana stand-in: grafana/*; leaves <run dir>/grafana-url
run_runner browser bash tests/browser/run.sh       # browser/*: Chromium, the host page and dist/ against that server
run_runner scenes node tests/scenes/run.mjs        # scenes/*: @grafana/scenes runs the dashboards of dist/ there

# The plugin's own code (data source, timeline, tables, variables, health check) against the running test bed.
if [ -f "$ROLLOUT_LENS_RUN_DIR/grafana-url" ]; then
  GRAFANA_URL=$(cat "$ROLLOUT_LENS_RUN_DIR/grafana-url")
  export GRAFANA_URL
fi
# jest_runner <runner> <jest arguments...>: one jest run of tests/e2e/plugin/ and the merge of its checks.
jest_runner() {
  local name=$1
  shift
  local checks=$RESULTS/e2e-plugin-$name.jsonl results=$RESULTS/e2e-jest-$name.json
  run_runner "$name" env E2E_PLUGIN_CHECKS="$checks" \
    npx jest -c jest.e2e.config.js --runInBand --json --outputFile "$results" "$@"
  node tests/e2e/merge-checks.mjs "$E2E_REPORT" "$E2E_RUNNERS" "$name" "$checks" "$results"
}
# after-event-expiry/ deletes the scenarios' Events, so it runs once everything else has read them.
jest_runner plugin-suite --testPathIgnorePatterns '/after-event-expiry/'
jest_runner plugin-after-event-expiry after-event-expiry

# faults/*: the API server killed, stopped, throttled and restarted with other flags, the identity revoked, the
# Argo Rollouts CRDs deleted. They run after every suite that reads the main test bed.
run_runner faults bash tests/e2e/faults/run.sh

# demo/starts: `npm run demo` from nothing in a run directory of its own (a second test bed), its page, SIGTERM.
run_runner demo node tests/demo/starts.mjs

finish
