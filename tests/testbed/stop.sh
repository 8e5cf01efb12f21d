#!/usr/bin/env bash
# Stops exactly the processes start.sh started, using the PID files of the run directory. A PID is only
# signalled when it still runs the binary recorded next to it, so a stale PID file (after a crash or a reboot)
# never hits an unrelated process. Safe to run when nothing is running.
#
#   bash tests/testbed/stop.sh [--quiet]
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

RUN_DIR=$(realpath -m "${ROLLOUT_LENS_RUN_DIR:-$ROLLOUT_LENS_CACHE/run}")
mkdir -p "$(dirname "$RUN_DIR")"
guard_run_dir "$RUN_DIR"
QUIET=0
[ "${1:-}" = --quiet ] && QUIET=1
say() { [ "$QUIET" = 1 ] || log "$@"; }

PIDS=$RUN_DIR/pids

# pid_of NAME: prints the PID if the recorded process is still alive and still runs the recorded binary.
pid_of() { recorded_pid "$PIDS" "$1"; }

# Dependents first, etcd last. Other suites register their own processes the same way, as pids/<name>.pid
# + <name>.exe (e.g. the Grafana stand-in): those are stopped first.
CORE="argo-rollouts kwok kube-scheduler kube-controller-manager kube-apiserver etcd"
EXTRA=""
for f in "$PIDS"/*.pid; do
  [ -f "$f" ] || continue
  name=$(basename "$f" .pid)
  case " $CORE " in *" $name "*) ;; *) EXTRA="$EXTRA $name" ;; esac
done
for name in $EXTRA $CORE; do
  if pid=$(pid_of "$name"); then
    kill -TERM "$pid" 2>/dev/null || true
    kill -CONT "$pid" 2>/dev/null || true   # a process stopped with SIGSTOP (tests/testbed/apiserver.sh) handles TERM only once continued
    for _ in $(seq 1 50); do
      alive "$pid" || break
      sleep 0.2
    done
    if alive "$pid"; then
      say "$name (pid $pid) did not stop within 10 s: SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    say "$name stopped (pid $pid)"
  elif [ -f "$PIDS/$name.pid" ]; then
    say "$name: not running (stale PID file)"
  fi
  rm -f "$PIDS/$name.pid" "$PIDS/$name.exe" "$PIDS/$name.args"
done
# A process of this run whose PID file was lost (e.g. a crash between start and writing the file): same
# binaries from the cache, and the run directory on its command line. Also a step plugin the Argo Rollouts
# controller started and left behind: its binary is the controller's copy in the run directory.
for proc in /proc/[0-9]*; do
  pid=${proc#/proc/}
  exe=$(readlink "$proc/exe" 2>/dev/null) || continue
  case ${exe% (deleted)} in "$CACHE_BIN"/*|"$RUN_DIR"/*) ;; *) continue ;; esac
  tr '\0' ' ' < "$proc/cmdline" 2>/dev/null | grep -qF -- "$RUN_DIR/" || continue
  say "stopping $(basename "${exe% (deleted)}") (pid $pid): not in a PID file, but started for $RUN_DIR"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do alive "$pid" || break; sleep 0.2; done
  alive "$pid" && kill -KILL "$pid" 2>/dev/null
done
say "test bed stopped"
