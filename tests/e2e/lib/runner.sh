# Sourced by tests/e2e/run.sh. run_runner <name> <command...> runs one runner of tests/e2e/expected-checks.json:
# its output goes to the terminal and to $E2E_LOG_DIR/<name>.log, and its exit status is appended to $E2E_RUNNERS
# (JSON lines), where tests/e2e/finalize.mjs turns a non-zero exit, or a runner that never ran, into a failed check
# runner/<name>. Returns the runner's exit status.
run_runner() {
  local name=$1
  shift
  local log=$E2E_LOG_DIR/$name.log
  local started=$SECONDS
  mkdir -p "$E2E_LOG_DIR" "$(dirname "$E2E_RUNNERS")"
  "$@" 2>&1 | tee "$log"
  local code=${PIPESTATUS[0]}
  record_runner "$name" "$code" $((SECONDS - started)) "$log"
  return "$code"
}

# record_runner <name> <exit code> <seconds> <log file>
record_runner() {
  node -e '
    const [runner, exitCode, seconds, log, file] = process.argv.slice(1);
    require("fs").appendFileSync(file, JSON.stringify({ runner, exitCode: Number(exitCode), seconds: Number(seconds), log }) + "\n");
  ' "$1" "$2" "$3" "$4" "$E2E_RUNNERS"
}
