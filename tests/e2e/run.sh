#!/usr/bin/env bash
# npm run test:e2e: builds the test bed if needed, starts it from nothing, runs every real-stack check,
# stops it (also on failure or Ctrl-C), writes test-results/e2e-report.json and ends with the line
# "e2e: N passed, M failed". Exits non-zero if any check failed.
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

# One run per run directory at a time (a second one would stop the first one's test bed): the script re-runs
# itself under flock, which holds the lock without handing it to the processes the run starts (-o).
if [ "${ROLLOUT_LENS_RUN_LOCKED:-}" != "$ROLLOUT_LENS_RUN_DIR" ]; then
  mkdir -p "$(dirname "$ROLLOUT_LENS_RUN_DIR")"
  flock -n "$ROLLOUT_LENS_RUN_DIR.lock" true || echo "e2e: another run is using $ROLLOUT_LENS_RUN_DIR; waiting for it"
  export ROLLOUT_LENS_RUN_LOCKED=$ROLLOUT_LENS_RUN_DIR
  exec flock -o "$ROLLOUT_LENS_RUN_DIR.lock" bash "$REPO_ROOT/tests/e2e/run.sh" "$@"
fi

mkdir -p "$(dirname "$E2E_REPORT")"
rm -f "$E2E_REPORT"

# The Grafana stand-in and the browser load the plugin from dist/: build it unless the caller just did.
if [ "${E2E_SKIP_BUILD:-0}" != 1 ]; then
  npm run build > "$(dirname "$E2E_REPORT")/e2e-build.log" 2>&1 || {
    echo "e2e: npm run build failed, see $(dirname "$E2E_REPORT")/e2e-build.log"
    exit 1
  }
fi
START_LOG=$(dirname "$E2E_REPORT")/e2e-testbed-start.log

cleanup() {
  if [ "${E2E_KEEP:-0}" = 1 ]; then
    echo "e2e: test bed left running (E2E_KEEP=1); stop it with: ROLLOUT_LENS_RUN_DIR=$ROLLOUT_LENS_RUN_DIR bash tests/testbed/stop.sh"
  else
    bash tests/testbed/stop.sh --quiet || true
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

t0=$SECONDS
if bash tests/testbed/start.sh 2>&1 | tee "$START_LOG"; then
  node tests/e2e/testbed-check.mjs true "$ROLLOUT_LENS_RUN_DIR" "$START_LOG"
  node tests/e2e/main.mjs
else
  node tests/e2e/testbed-check.mjs false "$ROLLOUT_LENS_RUN_DIR" "$START_LOG"
  E2E_NOT_RUN="the test bed did not start (see testbed/start)" node tests/e2e/main.mjs
fi

# Later suites add their checks to the same report here.
bash tests/e2e/grafana-suite.sh   # Grafana stand-in: grafana/* checks; leaves <run dir>/grafana-url for later suites
bash tests/browser/run.sh          # browser/* checks: Chromium, the host page and dist/ against that server
node tests/scenes/run.mjs          # scenes/* checks: @grafana/scenes runs the bundled dashboards of dist/ there

# The plugin's own code (data source, timeline, tables, variables, health check) against the running test bed.
if [ -f "$ROLLOUT_LENS_RUN_DIR/apiserver-url" ]; then
  export E2E_PLUGIN_CHECKS=$(dirname "$E2E_REPORT")/plugin-checks.jsonl
  rm -f "$E2E_PLUGIN_CHECKS"
  if [ -f "$ROLLOUT_LENS_RUN_DIR/grafana-url" ]; then
    GRAFANA_URL=$(cat "$ROLLOUT_LENS_RUN_DIR/grafana-url")
    export GRAFANA_URL
  fi
  # after-event-expiry/ deletes the scenarios' Events, so it runs once everything else has read them.
  npx jest -c jest.e2e.config.js --runInBand --testPathIgnorePatterns '/after-event-expiry/'
  first=$?
  npx jest -c jest.e2e.config.js --runInBand after-event-expiry
  second=$?
  node tests/e2e/merge-checks.mjs "$E2E_REPORT" "$E2E_PLUGIN_CHECKS" plugin-suite $((first + second))
fi

# faults/*: the API server killed, stopped, throttled and restarted with other flags, the identity revoked, the
# Argo Rollouts CRDs deleted. They run after every suite that reads the main test bed.
bash tests/e2e/faults/run.sh

# demo/starts: `npm run demo -- --once` from nothing in a run directory of its own (a second test bed).
node tests/demo/starts.mjs

summary=$(node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const passed = r.checks.filter((c) => c.passed).length;
  console.log(`${passed} ${r.checks.length - passed}`);' "$E2E_REPORT" 2>/dev/null || echo "0 1")
read -r passed failed <<<"$summary"
echo "e2e: report $E2E_REPORT, $((SECONDS - t0)) s"
echo "e2e: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
