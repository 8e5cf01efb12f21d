#!/usr/bin/env bash
# npm run demo: the plugin against a real Kubernetes API server and Argo Rollouts controller on this machine, with
# demo rollouts that keep updating themselves. Builds what is missing (the plugin, the test bed's binaries; both
# cached), starts the test bed (tests/testbed/), creates the rollouts of deploy/compose/demo-rollouts.yaml in
# namespace `demo`, starts the Grafana stand-in when the repository has one, prints how to look at it, and runs
# until Ctrl-C, stopping everything it started.
#
#   npm run demo                 # runs until interrupted
#   npm run demo -- --once       # (or DEMO_ONCE=1) comes up, does one quick update round, verifies, stops, exits
#
# Environment: ROLLOUT_LENS_CACHE (default $HOME/.cache/rollout-lens), DEMO_RUN_DIR (default
# $ROLLOUT_LENS_CACHE/run-demo), DEMO_UPDATE_SECONDS (default 180), DEMO_PROMOTE_SECONDS (default 30).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
REPO_ROOT=$PWD

ONCE=${DEMO_ONCE:-0}
for arg in "$@"; do
  case $arg in
    --once) ONCE=1 ;;
    *) echo "usage: npm run demo [-- --once]" >&2; exit 2 ;;
  esac
done

export ROLLOUT_LENS_CACHE=${ROLLOUT_LENS_CACHE:-$HOME/.cache/rollout-lens}
RUN_DIR=${DEMO_RUN_DIR:-$ROLLOUT_LENS_CACHE/run-demo}
export ROLLOUT_LENS_RUN_DIR=$RUN_DIR
t0=$SECONDS
say() { printf '[demo %s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }

DRIVER_PID=
cleanup() {
  local code=$?
  trap - EXIT INT TERM
  if [ -n "$DRIVER_PID" ] && kill -0 "$DRIVER_PID" 2>/dev/null; then
    kill -TERM "$DRIVER_PID" 2>/dev/null || true
    wait "$DRIVER_PID" 2>/dev/null || true
  fi
  if [ -d "$RUN_DIR/pids" ]; then
    say "stopping the test bed and Grafana stand-in"
    bash tests/testbed/stop.sh --quiet || true
  fi
  exit "$code"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say "1/5 prerequisites (Debian packages, Go, Node)"
bash tests/testbed/prereqs.sh

say "2/5 the plugin (dist/)"
if [ -f dist/plugin.json ] && [ -z "$(find src package.json -newer dist/plugin.json -type f -print -quit)" ]; then
  say "    dist/ is up to date"
else
  [ -d node_modules ] || npm ci --no-audit --no-fund
  npm run build --silent
fi

say "3/5 the test bed's binaries (built once into $ROLLOUT_LENS_CACHE/bin; the first build takes 8-16 min)"
bash tests/testbed/build.sh

say "4/5 starting the test bed in $RUN_DIR"
bash tests/testbed/start.sh

GRAFANA_STAND_IN=0
if [ -f tests/grafana-stand-in/start.sh ]; then
  # The repository's own provisioning: the app, and the data source that reads its URL, token and CA from the
  # environment (provisioning/datasources/argo-rollouts.yaml), pointed at the test bed with the plugin's
  # read-only identity from deploy/.
  G=$RUN_DIR/grafana
  mkdir -p "$G/provisioning"
  cp -r provisioning/plugins provisioning/datasources "$G/provisioning/"
  {
    printf 'ROLLOUT_LENS_API_SERVER_URL=%q\n' "$(cat "$RUN_DIR/apiserver-url")"
    printf 'ROLLOUT_LENS_CLUSTER_NAME=%q\n' demo
    printf 'ROLLOUT_LENS_TOKEN=%q\n' "$(cat "$RUN_DIR/plugin-token")"
    printf 'ROLLOUT_LENS_CA_CERT=%q\n' "$(cat "$RUN_DIR/ca.crt")"
  } > "$G/stand-in.env"
  chmod 600 "$G/stand-in.env"
  bash tests/grafana-stand-in/start.sh
  GRAFANA_STAND_IN=1
fi

say "5/5 creating the demo rollouts in namespace demo"
if [ "$ONCE" = 1 ]; then
  node scripts/demo/driver.mjs "$RUN_DIR" --once
  say "the demo came up and answered in $((SECONDS - t0)) s ($RUN_DIR/demo-status.json)"
  exit 0
fi

node scripts/demo/driver.mjs "$RUN_DIR" &
DRIVER_PID=$!
for _ in $(seq 1 300); do
  [ -f "$RUN_DIR/demo-status.json" ] && break
  kill -0 "$DRIVER_PID" 2>/dev/null || { wait "$DRIVER_PID"; exit 1; }
  sleep 1
done

API=$(cat "$RUN_DIR/apiserver-url")
cat <<EOF

Rollout Lens demo is running ($((SECONDS - t0)) s to start). Rollouts checkout, catalog (canary) and payments
(blue-green) in namespace demo get a new image every ${DEMO_UPDATE_SECONDS:-180} s.

EOF
if [ "$GRAFANA_STAND_IN" = 1 ]; then
  cat <<EOF
  Grafana stand-in (an HTTP API that behaves like Grafana's for plugins; Grafana itself cannot be built here):
    $(cat "$RUN_DIR/grafana-url")   login admin / $(cat "$RUN_DIR/grafana-admin-password")
    data source proxy: $(cat "$RUN_DIR/grafana-url")/api/datasources/proxy/uid/argo-rollouts/kube/apis/argoproj.io/v1alpha1/namespaces/demo/rollouts

EOF
fi
cat <<EOF
  To use your own Grafana (12.3 or newer) on this machine:
    1. copy dist/ to <Grafana plugins directory>/rolloutlens-argorollouts-app and allow the unsigned plugin:
         GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS=rolloutlens-argorollouts-app,rolloutlens-argorollouts-datasource
    2. provision provisioning/plugins/apps.yaml and provisioning/datasources/argo-rollouts.yaml (Grafana imports
       the app's dashboards itself when the app is enabled), starting Grafana with:
         ROLLOUT_LENS_API_SERVER_URL=$API
         ROLLOUT_LENS_CLUSTER_NAME=demo
         ROLLOUT_LENS_TOKEN="\$(cat $RUN_DIR/plugin-token)"
         ROLLOUT_LENS_CA_CERT="\$(cat $RUN_DIR/ca.crt)"
    3. open Dashboards -> "Argo Rollouts overview".

  kubectl: $ROLLOUT_LENS_CACHE/bin/kubernetes-v*/kubectl --kubeconfig $RUN_DIR/admin.kubeconfig -n demo get rollouts
  Logs: $RUN_DIR/logs/. Press Ctrl-C to stop the demo and everything it started.
EOF
wait "$DRIVER_PID"
