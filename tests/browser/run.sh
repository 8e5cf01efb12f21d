#!/usr/bin/env bash
# The browser/* checks (tests/browser/run.mjs): Debian's Chromium loads the built dist/ in the host page, which
# talks to the Grafana server that tests/e2e/grafana-suite.sh started (the stand-in; its URL is in
# <run dir>/grafana-url). Called by tests/e2e/run.sh after that suite; merges into $E2E_REPORT.
# Environment: ROLLOUT_LENS_RUN_DIR (required), E2E_REPORT, E2E_ONLY, E2E_NOT_RUN (the test bed did not start).
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
: "${ROLLOUT_LENS_RUN_DIR:?ROLLOUT_LENS_RUN_DIR must name the run directory of the test bed}"
url_file=$ROLLOUT_LENS_RUN_DIR/grafana-url

if [ -n "${E2E_NOT_RUN:-}" ]; then
  BROWSER_NOT_RUN="$E2E_NOT_RUN" node tests/browser/run.mjs
elif [ ! -s "$url_file" ]; then
  BROWSER_NOT_RUN="no Grafana server: $url_file is missing (see the grafana/* checks)" node tests/browser/run.mjs
elif [ ! -x "${CHROMIUM:-/usr/bin/chromium}" ]; then
  BROWSER_NOT_RUN="${CHROMIUM:-/usr/bin/chromium} is missing (bash tests/testbed/prereqs.sh installs Debian's chromium)" \
    node tests/browser/run.mjs
else
  GRAFANA_URL=$(cat "$url_file") node tests/browser/run.mjs
fi
