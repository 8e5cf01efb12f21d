#!/usr/bin/env bash
# The faults/* checks (tests/e2e/faults/faults.e2e.test.ts): real faults of the running test bed seen through the
# plugin and the Grafana stand-in's data source proxy. Called by tests/e2e/run.sh after every suite that reads the
# main test bed, since these checks restart and stop the API server and finally delete the Argo Rollouts CRDs.
# Environment: ROLLOUT_LENS_RUN_DIR (required), E2E_REPORT, E2E_ONLY (regex of check ids), GRAFANA_URL (default:
# <run dir>/grafana-url).
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../../.."
: "${ROLLOUT_LENS_RUN_DIR:?ROLLOUT_LENS_RUN_DIR must name the run directory of the test bed}"
export E2E_REPORT=${E2E_REPORT:-$PWD/test-results/e2e-report.json}
export E2E_PLUGIN_CHECKS=$(dirname "$E2E_REPORT")/fault-checks.jsonl
rm -f "$E2E_PLUGIN_CHECKS"
if [ -z "${GRAFANA_URL:-}" ] && [ -f "$ROLLOUT_LENS_RUN_DIR/grafana-url" ]; then
  GRAFANA_URL=$(cat "$ROLLOUT_LENS_RUN_DIR/grafana-url")
fi
export GRAFANA_URL

# With E2E_ONLY naming none of these checks, the suite has nothing to do.
if [ -n "${E2E_ONLY:-}" ] && ! grep -o "'faults/[a-z-]*'" tests/e2e/faults/faults.e2e.test.ts | tr -d "'" | grep -Eq -- "$E2E_ONLY"; then
  exit 0
fi

# jest's own results join the checks' (tests/e2e/merge-checks.mjs): a test file that did not run is named for the ids
# it leaves missing. Checks whose id E2E_ONLY does not match are skipped (tests/e2e/plugin/checks.ts).
results=$(dirname "$E2E_REPORT")/e2e-jest-faults.json
rm -f "$results"
if [ -f "$ROLLOUT_LENS_RUN_DIR/apiserver-url" ] && [ -n "${GRAFANA_URL:-}" ]; then
  npx jest -c jest.e2e.config.js --runInBand --testMatch '<rootDir>/tests/e2e/faults/**/*.e2e.test.ts' \
    --json --outputFile "$results"
  status=$?
else
  echo "faults: no test bed or no Grafana stand-in (GRAFANA_URL); the faults/* checks cannot run"
  status=1
fi
node tests/e2e/merge-checks.mjs "$E2E_REPORT" "${E2E_RUNNERS:-$(dirname "$E2E_REPORT")/e2e-runners.jsonl}" faults \
  "$E2E_PLUGIN_CHECKS" "$results"
exit "$status"
