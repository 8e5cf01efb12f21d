// The verdict of a real-stack run, from what the runners recorded: the checks in the report, the expected-checks
// manifest (tests/e2e/expected-checks.json) and each runner's exit status. Pure: data in, data out.
//
// - every id of the manifest (matching E2E_ONLY, when set) that no runner recorded becomes a failed check
//   "not run: <why>", the why naming its runner, its exit code and what the runner said went wrong;
// - a runner that exited non-zero, or never recorded an exit status, adds the failed check `runner/<name>`;
// - a passed check with an unknown or missing `against` fails; checks not in the manifest fail `manifest/unlisted-checks`.
import { againstList, COMPONENTS, isStandIn, onlyRealComponents } from './components.mjs';

export const RUNNER_PREFIX = 'runner/';
export const UNLISTED_ID = 'manifest/unlisted-checks';
const RUNNER_NAME = /^[a-z0-9][a-z0-9-]*$/;

/**
 * Checks the manifest's shape and returns, per check id, the runner expected to produce it.
 * Throws on a malformed manifest, an id listed twice, or an id the finalizer reserves for itself.
 */
export function indexManifest(manifest) {
  const runners = manifest?.runners;
  if (!runners || typeof runners !== 'object' || Object.keys(runners).length === 0) {
    throw new Error('the manifest has no runners');
  }
  const runnerOf = new Map();
  for (const [name, runner] of Object.entries(runners)) {
    if (!RUNNER_NAME.test(name)) {
      throw new Error(`runner name ${JSON.stringify(name)}: use lower case letters, digits and dashes`);
    }
    if (!Array.isArray(runner?.checks) || runner.checks.length === 0) {
      throw new Error(`runner ${name} lists no checks`);
    }
    for (const id of runner.checks) {
      if (typeof id !== 'string' || id === '' || id.startsWith(RUNNER_PREFIX) || id === UNLISTED_ID) {
        throw new Error(`runner ${name}: ${JSON.stringify(id)} cannot be a check id`);
      }
      if (runnerOf.has(id)) {
        throw new Error(`check ${id} is listed for runners ${runnerOf.get(id)} and ${name}`);
      }
      runnerOf.set(id, name);
    }
  }
  return runnerOf;
}

/** Exit statuses by runner; several records of one runner add up (exit status, then what a merger found). */
function statusesByRunner(runs) {
  const byRunner = new Map();
  for (const run of runs) {
    const status = byRunner.get(run.runner) ?? { runner: run.runner, problems: [] };
    if (run.exitCode !== undefined) {
      status.exitCode = run.exitCode;
      status.seconds = run.seconds;
      status.logTail = run.logTail;
      status.log = run.log;
    }
    status.problems.push(...(run.problems ?? []));
    byRunner.set(run.runner, status);
  }
  return byRunner;
}

function runnerState(name, status) {
  if (!status || status.exitCode === undefined) {
    return `runner ${name} did not run (it recorded no exit status)`;
  }
  return `runner ${name} exited with ${status.exitCode}`;
}

function notRun(id, name, runs, status) {
  const problems = status?.problems ?? [];
  const why = `${runnerState(name, status)} without recording it${problems.length ? `: ${problems.join('; ')}` : ''}`;
  return {
    id,
    passed: false,
    durationMs: 0,
    against: [],
    details: { error: `not run: ${why}`, runner: name, runs, exitCode: status?.exitCode ?? null },
  };
}

function runnerCheck(name, runs, status, checks) {
  const failedChecks = checks.filter((c) => !c.passed && c.details?.runner !== name).map((c) => c.id);
  const details = {
    error: runnerState(name, status),
    runs,
    exitCode: status?.exitCode ?? null,
    seconds: status?.seconds,
    problems: status?.problems?.length ? status.problems : undefined,
    failedChecksItRecorded: failedChecks,
    log: status?.log,
    logTail: status?.logTail,
  };
  return { id: `${RUNNER_PREFIX}${name}`, passed: false, durationMs: 0, against: [], details };
}

/** A passed check whose `against` is missing or names an unknown component fails: it cannot say what it proved. */
function withValidAgainst(check) {
  if (!check.passed) {
    return check;
  }
  try {
    return { ...check, against: againstList(check.against, `check ${check.id}`) };
  } catch (err) {
    return {
      ...check,
      passed: false,
      against: [],
      details: {
        ...check.details,
        error: err.message,
        recordedAgainst: check.against ?? null,
        recordedPassed: check.passed,
      },
    };
  }
}

/**
 * @param {{checks: object[], manifest: object, runs: object[], only?: RegExp}} input
 *   checks: as recorded in the report; runs: [{runner, exitCode?, seconds?, log?, logTail?, problems?}];
 *   only: E2E_ONLY (then only the manifest ids it matches are expected).
 * @returns {{checks: object[], summary: object}} every check of the final report (sorted by id) and the counts.
 */
export function finalize({ checks, manifest, runs, only }) {
  const runnerOf = indexManifest(manifest);
  const statuses = statusesByRunner(runs ?? []);
  const result = checks.map(withValidAgainst);
  const recorded = new Set(result.map((c) => c.id));

  for (const [id, name] of runnerOf) {
    if (!recorded.has(id) && (!only || only.test(id))) {
      result.push(notRun(id, name, manifest.runners[name].runs, statuses.get(name)));
    }
  }
  const runnerNames = [...new Set([...Object.keys(manifest.runners), ...statuses.keys()])];
  for (const name of runnerNames) {
    const status = statuses.get(name);
    if (status?.exitCode !== 0) {
      const own = result.filter((c) => runnerOf.get(c.id) === name);
      result.push(runnerCheck(name, manifest.runners[name]?.runs ?? '(not in the manifest)', status, own));
    }
  }
  const unlisted = result
    .map((c) => c.id)
    .filter((id) => !runnerOf.has(id) && !id.startsWith(RUNNER_PREFIX) && id !== UNLISTED_ID);
  const unknownRunners = [...statuses.keys()].filter((name) => !Object.hasOwn(manifest.runners, name));
  if (unlisted.length > 0 || unknownRunners.length > 0) {
    result.push({
      id: UNLISTED_ID,
      passed: false,
      durationMs: 0,
      against: [],
      details: {
        error: 'checks or runners that tests/e2e/expected-checks.json does not list: add them there',
        checks: unlisted,
        runners: unknownRunners,
      },
    });
  }
  result.sort((a, b) => a.id.localeCompare(b.id));
  return { checks: result, summary: summarize(result) };
}

/** Counts for the closing lines: passed, failed, and how many checks involved only real components. */
export function summarize(checks) {
  const passed = checks.filter((c) => c.passed).length;
  const standIns = {};
  for (const c of checks) {
    for (const name of c.against ?? []) {
      if (isStandIn(name)) {
        standIns[name] = (standIns[name] ?? 0) + 1;
      }
    }
  }
  const onlyReal = checks.filter((c) => onlyRealComponents(c.against));
  return {
    passed,
    failed: checks.length - passed,
    total: checks.length,
    onlyReal: onlyReal.length,
    onlyRealPassed: onlyReal.filter((c) => c.passed).length,
    standIns,
  };
}

/** The two closing lines of npm run test:e2e. */
export function closingLines(summary) {
  const standIns = Object.keys(COMPONENTS)
    .filter((name) => summary.standIns[name])
    .map((name) => `${name} ${summary.standIns[name]}`);
  return [
    `e2e: ${summary.passed} passed, ${summary.failed} failed`,
    `e2e: ${summary.onlyReal} of ${summary.total} checks involved only real components ` +
      `(${summary.onlyRealPassed} of them passed)` +
      (standIns.length ? `; checks with a stand-in: ${standIns.join(', ')}` : ''),
  ];
}
