#!/usr/bin/env bash
# npm run demo: the plugin against a real Kubernetes API server and Argo Rollouts controller on this machine, with
# demo rollouts that keep updating themselves, shown on the bundled dashboards by Grafana's dashboard library
# (@grafana/scenes) outside Grafana. Builds what is missing (the plugin, the test bed's binaries; both cached),
# starts the test bed (tests/testbed/), the Grafana stand-in (tests/grafana-stand-in/) and the scenes page
# (tests/scenes/), creates the rollouts of deploy/compose/demo-rollouts.yaml in namespace `demo`, prints the
# dashboard's URL, and runs until Ctrl-C or SIGTERM, stopping everything it started.
#
#   npm run demo                 # runs until interrupted
#   npm run demo -- --once       # (or DEMO_ONCE=1) comes up, does one quick update round, verifies, stops, exits
#
# Environment: ROLLOUT_LENS_CACHE (default $HOME/.cache/rollout-lens), DEMO_RUN_DIR (default
# $ROLLOUT_LENS_CACHE/run-demo), DEMO_UPDATE_SECONDS (default 180), DEMO_PROMOTE_SECONDS (default 30),
# DEMO_PORT (port of the dashboard page, default a free one).
# Writes <run dir>/demo-url: the overview dashboard's URL, once everything is up.
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

# Every process this script starts is its descendant (the test bed's daemons and the Grafana stand-in detach, and
# tests/testbed/stop.sh stops them by their PID files). A signal reaches only this script when it is sent to it
# alone (SIGTERM from a supervisor), so the cleanup signals the descendants itself. Long steps run in the
# background and are waited for, so that a signal is handled at once rather than when the step ends.
descendants() {
  local child
  for child in $(pgrep -P "$1" || true); do
    printf '%s\n' "$child"
    descendants "$child"
  done
}
# any_alive PID...: one of them runs (a zombie waiting to be reaped does not count).
any_alive() {
  local pid
  for pid in "$@"; do
    [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || echo gone)" != gone ] &&
      [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" != Z ] && return 0
  done
  return 1
}
cleanup() {
  local code=$? pids
  trap - EXIT INT TERM
  pids=$(descendants $$)
  if [ -n "$pids" ]; then
    # shellcheck disable=SC2086
    kill -TERM $pids 2>/dev/null || true
    for _ in $(seq 1 50); do
      # shellcheck disable=SC2086
      any_alive $pids || break
      sleep 0.2
    done
    # shellcheck disable=SC2086
    kill -KILL $pids 2>/dev/null || true
  fi
  if [ -d "$RUN_DIR/pids" ]; then
    say "stopping the test bed, the Grafana stand-in and the dashboard page"
    bash tests/testbed/stop.sh --quiet || true
  fi
  exit "$code"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
step() {
  "$@" &
  wait "$!"
}

say "1/6 prerequisites (Debian packages, Go, Node)"
step bash tests/testbed/prereqs.sh

say "2/6 the plugin (dist/)"
if [ -f dist/plugin.json ] && [ -z "$(find src package.json -newer dist/plugin.json -type f -print -quit)" ]; then
  say "    dist/ is up to date"
else
  [ -d node_modules ] || step npm ci --no-audit --no-fund
  step npm run build --silent
fi

say "3/6 the test bed's binaries (built once into $ROLLOUT_LENS_CACHE/bin; the first build takes 8-16 min)"
step bash tests/testbed/build.sh

say "4/6 starting the test bed in $RUN_DIR"
step bash tests/testbed/start.sh

say "5/6 the Grafana stand-in and the dashboard page"
# The repository's own provisioning: the app, and the data source that reads its URL, token and CA from the
# environment (provisioning/datasources/argo-rollouts.yaml), pointed at the test bed with the plugin's read-only
# identity from deploy/.
G=$RUN_DIR/grafana
rm -rf "$G/provisioning"
mkdir -p "$G/provisioning"
cp -r provisioning/plugins provisioning/datasources "$G/provisioning/"
{
  printf 'ROLLOUT_LENS_API_SERVER_URL=%q\n' "$(cat "$RUN_DIR/apiserver-url")"
  printf 'ROLLOUT_LENS_CLUSTER_NAME=%q\n' demo
  printf 'ROLLOUT_LENS_TOKEN=%q\n' "$(cat "$RUN_DIR/plugin-token")"
  printf 'ROLLOUT_LENS_CA_CERT=%q\n' "$(cat "$RUN_DIR/ca.crt")"
} > "$G/stand-in.env"
chmod 600 "$G/stand-in.env"
step bash tests/grafana-stand-in/start.sh

NODE_BIN=$(readlink -f "$(command -v node)")
rm -f "$RUN_DIR/scenes-url"
nohup "$NODE_BIN" tests/scenes/serve.mjs "$RUN_DIR" "${DEMO_PORT:-0}" > "$RUN_DIR/logs/scenes-page.log" 2>&1 < /dev/null &
printf '%s\n' "$!" > "$RUN_DIR/pids/scenes-page.pid"
printf '%s\n' "$NODE_BIN" > "$RUN_DIR/pids/scenes-page.exe"
for _ in $(seq 1 600); do
  [ -s "$RUN_DIR/scenes-url" ] && break
  kill -0 "$(cat "$RUN_DIR/pids/scenes-page.pid")" 2>/dev/null ||
    { tail -n 20 "$RUN_DIR/logs/scenes-page.log" >&2; say "the dashboard page did not start"; exit 1; }
  sleep 0.1
done
[ -s "$RUN_DIR/scenes-url" ] || { say "the dashboard page did not start within 60 s"; exit 1; }
DASHBOARD_URL="$(cat "$RUN_DIR/scenes-url")/d/rolloutlens-overview?var-datasource=argo-rollouts&var-namespace=demo&var-rollout=\$__all&from=now-30m&to=now&refresh=10s"

say "6/6 creating the demo rollouts in namespace demo"
if [ "$ONCE" = 1 ]; then
  step node scripts/demo/driver.mjs "$RUN_DIR" --once
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
printf '%s\n' "$DASHBOARD_URL" > "$RUN_DIR/demo-url"

API=$(cat "$RUN_DIR/apiserver-url")
cat <<EOF

Rollout Lens demo is running ($((SECONDS - t0)) s to start). Rollouts checkout, catalog (canary) and payments
(blue-green) in namespace demo get a new image every ${DEMO_UPDATE_SECONDS:-180} s.

  Open the "Argo Rollouts overview" dashboard, live (the last 30 minutes, refreshed every 10 s):
    $DASHBOARD_URL
  This page is Grafana's dashboard library (@grafana/scenes) outside Grafana: it runs the plugin's bundled
  dashboards with the built plugin from dist/, through the Grafana stand-in's data source proxy; the "Rollout
  detail" button opens the detail dashboard. It is not Grafana (Grafana itself cannot be built here).

  Grafana stand-in (an HTTP API that behaves like Grafana's for plugins):
    $(cat "$RUN_DIR/grafana-url")   login admin / $(cat "$RUN_DIR/grafana-admin-password")

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
  Logs: $RUN_DIR/logs/. Press Ctrl-C (or send SIGTERM) to stop the demo and everything it started.
EOF
wait "$DRIVER_PID"
