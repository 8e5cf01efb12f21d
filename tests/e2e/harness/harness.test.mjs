// The harness proves it can fail: real runners (jest with tests/e2e/plugin/checks.ts, a Node runner) go through
// tests/e2e/lib/runner.sh, tests/e2e/merge-checks.mjs and tests/e2e/finalize.mjs as in npm run test:e2e, and a
// crashed runner, a failing beforeAll, a timed-out check, a file that does not load and a missing id each end as a
// failed check. Run: npm run test:harness
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

const MANIFEST = {
  runners: {
    'harness-jest': {
      runs: 'jest tests/e2e/harness/fixtures/*.harness.ts',
      checks: [
        'harness/passes',
        'harness/after-failing-before-all',
        'harness/times-out',
        'harness/slow-neighbour',
        'harness/claims-a-real-grafana',
      ],
    },
    'harness-crash': {
      runs: 'node tests/e2e/harness/fixtures/crashing-runner.mjs',
      checks: ['harness/crash-would-record'],
    },
    'harness-silent': { runs: 'node -e ""', checks: ['harness/never-written'] },
  },
};

/** Runs the fixtures the way tests/e2e/run.sh runs its runners; returns the final report and the run's output. */
function runHarness() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-harness-'));
  const files = {
    report: path.join(dir, 'e2e-report.json'),
    runners: path.join(dir, 'e2e-runners.jsonl'),
    manifest: path.join(dir, 'expected-checks.json'),
    checks: path.join(dir, 'e2e-plugin-harness-jest.jsonl'),
    jest: path.join(dir, 'e2e-jest-harness-jest.json'),
  };
  fs.writeFileSync(files.manifest, JSON.stringify(MANIFEST));
  const script = `
    . tests/e2e/lib/runner.sh
    run_runner harness-jest env E2E_PLUGIN_CHECKS="$CHECKS" node_modules/.bin/jest -c jest.e2e.config.js \\
      --testMatch '<rootDir>/tests/e2e/harness/fixtures/*.harness.ts' --json --outputFile "$JEST"
    node tests/e2e/merge-checks.mjs "$REPORT" "$E2E_RUNNERS" harness-jest "$CHECKS" "$JEST"
    run_runner harness-crash node tests/e2e/harness/fixtures/crashing-runner.mjs
    run_runner harness-silent node -e ""
    node tests/e2e/finalize.mjs "$REPORT" "$E2E_RUNNERS" "$MANIFEST"
  `;
  const run = spawnSync('bash', ['-c', script], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: {
      ...process.env,
      E2E_ONLY: '',
      E2E_RUNNERS: files.runners,
      E2E_LOG_DIR: path.join(dir, 'logs'),
      REPORT: files.report,
      MANIFEST: files.manifest,
      CHECKS: files.checks,
      JEST: files.jest,
    },
  });
  const report = JSON.parse(fs.readFileSync(files.report, 'utf8'));
  const lines = fs
    .readFileSync(files.checks, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
  return { run, report, lines, checks: Object.fromEntries(report.checks.map((c) => [c.id, c])) };
}

test('crashes, a failing beforeAll, a timeout, a file that does not load and a missing id all fail the run', () => {
  const { run, checks, lines } = runHarness();
  assert.equal(run.status, 1, run.stdout + run.stderr);

  assert.equal(checks['harness/passes'].passed, true);
  assert.deepEqual(checks['harness/passes'].against, ['kube-apiserver']);
  assert.equal(checks['harness/slow-neighbour'].passed, true);

  // beforeAll failed: the body never ran, jest's message is the check's error.
  const beforeAll = checks['harness/after-failing-before-all'];
  assert.equal(beforeAll.passed, false);
  assert.match(
    beforeAll.details.error,
    /jest failed it before or outside the check's body: Error: the test bed is not there/
  );

  // Timed out: failed once, with what was set before the time was up; the late success wrote nothing.
  const timedOut = checks['harness/times-out'];
  assert.equal(timedOut.passed, false);
  assert.match(timedOut.details.error, /check harness\/times-out timed out after 0.3 s/);
  assert.equal(timedOut.details.timedOut, true);
  assert.equal(timedOut.details.before, 'set before the time was up');
  assert.equal(timedOut.details.after, undefined);
  assert.equal(timedOut.details.late, undefined);
  assert.deepEqual(
    lines.filter((l) => l.id === 'harness/times-out').map((l) => l.passed),
    [false]
  );

  // A file that did not load (an unknown component): its id is not run, and the why says what jest said.
  const notLoaded = checks['harness/claims-a-real-grafana'];
  assert.equal(notLoaded.passed, false);
  assert.match(
    notLoaded.details.error,
    /^not run: runner harness-jest exited with 1 without recording it: .*unknown-component\.harness\.ts did not run: check harness\/claims-a-real-grafana: unknown component "grafana-server"/
  );
  assert.equal(checks['runner/harness-jest'].passed, false);

  // The Node runner that threw before merging: its runner check and its id.
  const crash = checks['runner/harness-crash'];
  assert.equal(crash.passed, false);
  assert.equal(crash.details.error, 'runner harness-crash exited with 1');
  assert.ok(crash.details.logTail.some((l) => l.includes('the runner crashed before its checks ran')));
  assert.equal(
    checks['harness/crash-would-record'].details.error,
    'not run: runner harness-crash exited with 1 without recording it'
  );

  // A runner that exited 0 without recording its id.
  assert.equal(
    checks['harness/never-written'].details.error,
    'not run: runner harness-silent exited with 0 without recording it'
  );
  assert.equal(checks['runner/harness-silent'], undefined);

  const closing = run.stdout.trim().split('\n').slice(-2);
  assert.deepEqual(closing, [
    'e2e: 2 passed, 7 failed',
    'e2e: 3 of 9 checks involved only real components (2 of them passed)',
  ]);
});
