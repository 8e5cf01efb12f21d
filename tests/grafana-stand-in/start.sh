#!/usr/bin/env bash
# Starts the STAND-IN for Grafana's server (server.mjs) on 127.0.0.1 with a free port. Grafana itself cannot be
# built here: the Go module proxy refuses the AGPL module github.com/grafana/grafana (docs/testing.md). The
# stand-in implements the data source proxy, plugin loading, provisioning and dashboard import rules of Grafana
# that the plugin depends on, each named after the Grafana code it follows; see server.mjs.
#
#   ROLLOUT_LENS_RUN_DIR=<run dir> bash tests/grafana-stand-in/start.sh
#
# Expects <run dir>/grafana/provisioning/ (written by tests/e2e/grafana-setup.mjs) and optionally
# <run dir>/grafana/stand-in.env (variables the provisioning files expand). Mounts the repository's dist/ as the
# plugin `rolloutlens-argorollouts-app` (build it first: npm run build) and allows unsigned loading of both ids.
# Writes into the run directory:
#   grafana-url                     http://127.0.0.1:<port>
#   grafana-admin-password          password of the basic-auth login `admin` (org role Admin)
#   grafana-viewer-password         password of the basic-auth login `viewer` (org role Viewer)
#   grafana/plugins/, grafana/forward.log (one JSON line per proxied request), logs/grafana-stand-in.log
#   pids/grafana-stand-in.{pid,exe} so that tests/testbed/stop.sh stops it
set -euo pipefail
REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
RUN_DIR=$(realpath -m "${ROLLOUT_LENS_RUN_DIR:?ROLLOUT_LENS_RUN_DIR must name the run directory of a started test bed}")
APP_ID=rolloutlens-argorollouts-app
DS_ID=rolloutlens-argorollouts-datasource
G=$RUN_DIR/grafana
log() { printf '[grafana-stand-in %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

[ -f "$REPO_ROOT/dist/plugin.json" ] && [ -f "$REPO_ROOT/dist/datasource/plugin.json" ] ||
  { log "ERROR: dist/ is not built (npm run build)"; exit 1; }
[ -d "$G/provisioning" ] || { log "ERROR: $G/provisioning missing (node tests/e2e/grafana-setup.mjs)"; exit 1; }

mkdir -p "$G/plugins" "$RUN_DIR/logs" "$RUN_DIR/pids"
ln -sfn "$REPO_ROOT/dist" "$G/plugins/$APP_ID"
rm -f "$RUN_DIR/grafana-url" "$G/forward.log"
for user in admin viewer; do
  [ -f "$RUN_DIR/grafana-$user-password" ] || openssl rand -hex 16 > "$RUN_DIR/grafana-$user-password"
  chmod 600 "$RUN_DIR/grafana-$user-password"
done

NODE_BIN=$(readlink -f "$(command -v node)")
(
  if [ -f "$G/stand-in.env" ]; then set -a; . "$G/stand-in.env"; set +a; fi
  export GF_SERVER_HTTP_ADDR=127.0.0.1 GF_SERVER_HTTP_PORT=0
  export GF_SECURITY_ADMIN_USER=admin GF_SECURITY_ADMIN_PASSWORD
  GF_SECURITY_ADMIN_PASSWORD=$(cat "$RUN_DIR/grafana-admin-password")
  export GRAFANA_STAND_IN_VIEWER_PASSWORD
  GRAFANA_STAND_IN_VIEWER_PASSWORD=$(cat "$RUN_DIR/grafana-viewer-password")
  export GF_PATHS_PLUGINS=$G/plugins GF_PATHS_PROVISIONING=$G/provisioning
  export GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS=$APP_ID,$DS_ID
  export GRAFANA_STAND_IN_URL_FILE=$RUN_DIR/grafana-url GRAFANA_STAND_IN_FORWARD_LOG=$G/forward.log
  exec nohup "$NODE_BIN" "$REPO_ROOT/tests/grafana-stand-in/server.mjs" > "$RUN_DIR/logs/grafana-stand-in.log" 2>&1 < /dev/null
) &
pid=$!
printf '%s\n' "$pid" > "$RUN_DIR/pids/grafana-stand-in.pid"
printf '%s\n' "$NODE_BIN" > "$RUN_DIR/pids/grafana-stand-in.exe"

for _ in $(seq 1 100); do
  if [ -s "$RUN_DIR/grafana-url" ] && curl -fsS "$(cat "$RUN_DIR/grafana-url")/api/health" > /dev/null 2>&1; then
    log "Grafana stand-in (not Grafana) ready at $(cat "$RUN_DIR/grafana-url") (pid $pid, log $RUN_DIR/logs/grafana-stand-in.log)"
    exit 0
  fi
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
log "ERROR: the Grafana stand-in did not start; last log lines:"
tail -n 30 "$RUN_DIR/logs/grafana-stand-in.log" >&2 || true
kill -TERM "$pid" 2>/dev/null || true
exit 1
