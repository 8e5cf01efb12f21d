#!/usr/bin/env bash
# The grafana/* checks against the STAND-IN for Grafana's server (tests/grafana-stand-in; Grafana itself cannot
# be built here, see docs/testing.md). Called by tests/e2e/run.sh once the test bed is up:
#   1. tests/e2e/grafana-setup.mjs writes the provisioning (from provisioning/) and an over-privileged token;
#   2. tests/grafana-stand-in/start.sh starts the stand-in and writes <run dir>/grafana-url (it keeps running
#      until tests/testbed/stop.sh, so later suites can use it);
#   3. tests/e2e/grafana.mjs runs the HTTP-level grafana/* checks and merges them into $E2E_REPORT.
# Environment: ROLLOUT_LENS_RUN_DIR (required), E2E_REPORT, E2E_ONLY, E2E_NOT_RUN (the test bed did not start).
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
: "${ROLLOUT_LENS_RUN_DIR:?ROLLOUT_LENS_RUN_DIR must name the run directory of the test bed}"

if [ -n "${E2E_NOT_RUN:-}" ]; then
  node tests/e2e/grafana.mjs
elif node tests/e2e/grafana-setup.mjs && bash tests/grafana-stand-in/start.sh; then
  node tests/e2e/grafana.mjs
else
  E2E_NOT_RUN="the Grafana stand-in did not start (see logs/grafana-stand-in.log in the run directory)" \
    node tests/e2e/grafana.mjs
fi
