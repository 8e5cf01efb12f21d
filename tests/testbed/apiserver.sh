#!/usr/bin/env bash
# Faults of the test bed's kube-apiserver, for tests that check how clients live through them. It acts only on
# the kube-apiserver that tests/testbed/start.sh recorded in <run dir>/pids/ (kube-apiserver.pid, .exe, .args),
# and only while that PID still runs the recorded binary (the rule of stop.sh).
#
#   bash tests/testbed/apiserver.sh kill                 # SIGKILL: the API server is gone at once
#   bash tests/testbed/apiserver.sh start [--flag=value ...]
#                                                        # starts it again with the recorded flags, each --flag=value
#                                                        # given replacing the recorded one (or added); waits for /readyz
#   bash tests/testbed/apiserver.sh restart [--flag=value ...]   # kill, then start
#   bash tests/testbed/apiserver.sh pause                # SIGSTOP: connections are accepted, nothing is answered
#   bash tests/testbed/apiserver.sh resume               # SIGCONT
#
# Prints one line of JSON: {"action", "pid", "seconds"} (seconds until ready for start and restart).
# Environment: ROLLOUT_LENS_RUN_DIR (the test bed's run directory), ROLLOUT_LENS_CACHE.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

RUN_DIR=$(realpath -m "${ROLLOUT_LENS_RUN_DIR:-$ROLLOUT_LENS_CACHE/run}")
guard_run_dir "$RUN_DIR"
PIDS=$RUN_DIR/pids
NAME=kube-apiserver
action=${1:-}
shift || true

[ -f "$PIDS/$NAME.exe" ] && [ -f "$PIDS/$NAME.args" ] || die "no kube-apiserver recorded in $PIDS (start the test bed first)"
BIN=$(cat "$PIDS/$NAME.exe")

running_pid() {
  recorded_pid "$PIDS" "$NAME" || die "the recorded kube-apiserver is not running (or its PID now runs another binary)"
}

kill_apiserver() {
  local pid
  pid=$(running_pid)
  kill -KILL "$pid"
  for _ in $(seq 1 100); do
    alive "$pid" || break
    sleep 0.1
  done
  alive "$pid" && die "kube-apiserver (pid $pid) still runs after SIGKILL"
  printf '%s\n' "$pid"
}

# The recorded arguments with each override --flag=value in place of the recorded --flag=..., or appended.
arguments() {
  local -a args overrides=("$@")
  mapfile -t args < "$PIDS/$NAME.args"
  local i o flag replaced
  for o in "${overrides[@]}"; do
    [[ $o == --*=* ]] || die "override $o is not of the form --flag=value"
    flag=${o%%=*}
    replaced=0
    for i in "${!args[@]}"; do
      if [[ ${args[$i]} == "$flag="* ]]; then
        args[$i]=$o
        replaced=1
      fi
    done
    [ "$replaced" = 1 ] || args+=("$o")
  done
  printf '%s\n' "${args[@]}"
}

start_apiserver() {
  recorded_pid "$PIDS" "$NAME" >/dev/null && die "kube-apiserver is already running"
  local -a args
  mapfile -t args < <(arguments "$@")
  local t0=$SECONDS url token
  url=$(cat "$RUN_DIR/apiserver-url")
  token=$(cat "$RUN_DIR/admin-token")
  printf '\n--- restarted by tests/testbed/apiserver.sh at %s\n' "$(date -u +%FT%TZ)" >> "$RUN_DIR/logs/$NAME.log"
  nohup "$BIN" "${args[@]}" >> "$RUN_DIR/logs/$NAME.log" 2>&1 < /dev/null 8>&- 9>&- &
  local pid=$!
  printf '%s\n' "$pid" > "$PIDS/$NAME.pid"
  printf '%s\n' "${args[@]}" > "$PIDS/$NAME.args"
  local started
  started=$(date +%s.%N)
  until [ "$(curl -sS --max-time 2 --cacert "$RUN_DIR/ca.crt" -H "Authorization: Bearer $token" "$url/readyz" 2>/dev/null)" = ok ]; do
    alive "$pid" || die "kube-apiserver exited during its start; see $RUN_DIR/logs/$NAME.log"
    [ $((SECONDS - t0)) -lt 120 ] || die "kube-apiserver not ready 120 s after its start"
    sleep 0.2
  done
  printf '%s %s\n' "$pid" "$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')"
}

case $action in
  kill)
    pid=$(kill_apiserver)
    printf '{"action":"kill","pid":%s}\n' "$pid"
    ;;
  start)
    started=$(start_apiserver "$@")
    read -r pid seconds <<<"$started"
    printf '{"action":"start","pid":%s,"seconds":%s}\n' "$pid" "$seconds"
    ;;
  restart)
    kill_apiserver >/dev/null
    started=$(start_apiserver "$@")
    read -r pid seconds <<<"$started"
    printf '{"action":"restart","pid":%s,"seconds":%s}\n' "$pid" "$seconds"
    ;;
  pause | resume)
    pid=$(running_pid)
    kill "-$([ "$action" = pause ] && echo STOP || echo CONT)" "$pid"
    printf '{"action":"%s","pid":%s}\n' "$action" "$pid"
    ;;
  *)
    die "usage: apiserver.sh kill | start [--flag=value ...] | restart [--flag=value ...] | pause | resume"
    ;;
esac
