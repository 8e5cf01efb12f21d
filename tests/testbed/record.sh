#!/usr/bin/env bash
# Re-records tests/fixtures/recorded/<scenario>/ from the real test bed: starts it, runs the scenarios,
# saves each passing scenario's Events, Rollouts, ReplicaSets, AnalysisRuns and Experiments (List JSON as
# the API returns it, managedFields stripped) with versions.json, and stops it.
#
#   bash tests/testbed/record.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
export ROLLOUT_LENS_RECORD_DIR=$PWD/tests/fixtures/recorded
export E2E_ONLY=${E2E_ONLY:-^scenario/}
export E2E_REPORT=${E2E_REPORT:-$PWD/test-results/record-report.json}
exec bash tests/e2e/run.sh
