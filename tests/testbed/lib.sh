# Shared helpers for the test bed scripts. Source it; do not execute it.
# shellcheck shell=bash

TESTBED_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$TESTBED_DIR/../.." && pwd)
# shellcheck source=versions.env
. "$TESTBED_DIR/versions.env"

ROLLOUT_LENS_CACHE=${ROLLOUT_LENS_CACHE:-$HOME/.cache/rollout-lens}
CACHE_BIN=$ROLLOUT_LENS_CACHE/bin
CACHE_WORK=$ROLLOUT_LENS_CACHE/work

K8S_BIN_DIR=$CACHE_BIN/kubernetes-v$K8S_VERSION
ETCD_BIN_DIR=$CACHE_BIN/etcd-v$ETCD_VERSION
KWOK_BIN_DIR=$CACHE_BIN/kwok-v$KWOK_VERSION
ARGO_BIN_DIR=$CACHE_BIN/argo-rollouts-v$ARGO_ROLLOUTS_VERSION
# Argo Rollouts' e2e step plugin, built from the same release as the controller.
ARGO_STEP_PLUGIN_BIN_DIR=$CACHE_BIN/argo-step-plugin-v$ARGO_ROLLOUTS_VERSION

log() { printf '[testbed %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# Go settings shared by every build: static binaries, writable module cache.
go_env() {
  export CGO_ENABLED=0
  export GOFLAGS=-modcacherw
  export GOWORK=off
  export GOTOOLCHAIN=${GOTOOLCHAIN:-local}
}

# Prints a field ("Dir", "GoMod", ...) of `go mod download -json <module@version>`.
mod_field() {
  go mod download -json "$1" | sed -n "s/^[[:space:]]*\"$2\": \"\\(.*\\)\",*\$/\\1/p"
}

# Refuses to touch a run directory that a running tests/e2e/run.sh holds (it sets ROLLOUT_LENS_RUN_LOCKED
# to the directory it locked, so its own start.sh/stop.sh pass). The lock is only held while this script runs;
# started processes do not inherit it (see start_proc in start.sh).
guard_run_dir() {
  local dir=$1
  if [ -n "${ROLLOUT_LENS_RUN_LOCKED:-}" ] && [ "$(realpath -m "$ROLLOUT_LENS_RUN_LOCKED")" = "$dir" ]; then
    return 0
  fi
  exec 8>"$dir.lock"
  flock -n 8 || die "$dir is in use by a running tests/e2e/run.sh; set ROLLOUT_LENS_RUN_DIR to another directory"
  export ROLLOUT_LENS_RUN_LOCKED=$dir   # for the scripts this one calls (start.sh runs stop.sh)
}

# recorded_pid PIDS_DIR NAME: prints the PID of pids/NAME.pid if that process is still alive and still runs the
# binary recorded in pids/NAME.exe, so that a stale PID file never leads to signalling an unrelated process.
recorded_pid() {
  local dir=$1 name=$2 pid exe actual
  [ -f "$dir/$name.pid" ] || return 1
  pid=$(cat "$dir/$name.pid"); exe=$(cat "$dir/$name.exe" 2>/dev/null || true)
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  actual=$(readlink "/proc/$pid/exe" 2>/dev/null) || return 1
  actual=${actual% (deleted)}
  [ -n "$exe" ] && [ "$actual" = "$exe" ] || return 1
  printf '%s\n' "$pid"
}

# alive PID: running and not a zombie waiting to be reaped.
alive() {
  kill -0 "$1" 2>/dev/null || return 1
  [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]
}
