#!/usr/bin/env bash
# The scenes/* checks (tests/scenes/run.mjs) against the Grafana stand-in that tests/e2e/grafana-suite.sh started
# (<run dir>/grafana-url). Called by tests/e2e/run.sh after the browser/* checks; merges into $E2E_REPORT.
# Environment: ROLLOUT_LENS_RUN_DIR (required), E2E_REPORT, E2E_ONLY, E2E_NOT_RUN (the test bed did not start).
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
: "${ROLLOUT_LENS_RUN_DIR:?ROLLOUT_LENS_RUN_DIR must name the run directory of the test bed}"
url_file=$ROLLOUT_LENS_RUN_DIR/grafana-url

if [ -n "${E2E_NOT_RUN:-}" ]; then
  SCENES_NOT_RUN="$E2E_NOT_RUN" node tests/scenes/run.mjs
elif [ ! -s "$url_file" ]; then
  SCENES_NOT_RUN="no Grafana server: $url_file is missing (see the grafana/* checks)" node tests/scenes/run.mjs
elif [ ! -x "${CHROMIUM:-/usr/bin/chromium}" ]; then
  SCENES_NOT_RUN="${CHROMIUM:-/usr/bin/chromium} is missing (bash tests/testbed/prereqs.sh installs Debian's chromium)" \
    node tests/scenes/run.mjs
else
  GRAFANA_URL=$(cat "$url_file") node tests/scenes/run.mjs
fi
