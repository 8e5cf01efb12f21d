// Tests of the verdict of a real-stack run (finalize.mjs) and of the component vocabulary. Run: npm run test:harness
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';

import { againstList, onlyRealComponents, TEST_BED } from './components.mjs';
import { closingLines, finalize, indexManifest } from './finalize.mjs';

const MANIFEST = {
  runners: {
    scenarios: { runs: 'node tests/e2e/main.mjs', checks: ['scenario/a', 'scenario/b'] },
    'plugin-suite': { runs: 'jest', checks: ['tables/x', 'annotations/y'] },
  },
};
const passed = (id, against = TEST_BED) => ({ id, passed: true, durationMs: 1, against: [...against], details: {} });
const failed = (id, against = TEST_BED) => ({ id, passed: false, durationMs: 1, against: [...against], details: {} });
const ok = [
  { runner: 'scenarios', exitCode: 0, seconds: 1 },
  { runner: 'plugin-suite', exitCode: 0, seconds: 1 },
];
const byId = (checks) => Object.fromEntries(checks.map((c) => [c.id, c]));

test('every id of the manifest present and passed, every runner exited 0: all pass, nothing added', () => {
  const checks = [passed('scenario/a'), passed('scenario/b'), passed('tables/x'), passed('annotations/y')];
  const { checks: result, summary } = finalize({ checks, manifest: MANIFEST, runs: ok });
  assert.deepEqual(
    result.map((c) => c.id),
    ['annotations/y', 'scenario/a', 'scenario/b', 'tables/x']
  );
  assert.equal(summary.failed, 0);
  assert.equal(summary.passed, 4);
});

test('a missing id is a failed check that says which runner did not produce it and how that runner ended', () => {
  const checks = [passed('scenario/a'), passed('tables/x'), passed('annotations/y')];
  const { checks: result, summary } = finalize({ checks, manifest: MANIFEST, runs: ok });
  const missing = byId(result)['scenario/b'];
  assert.equal(missing.passed, false);
  assert.equal(missing.details.error, 'not run: runner scenarios exited with 0 without recording it');
  assert.equal(missing.details.runner, 'scenarios');
  assert.deepEqual(missing.against, []);
  assert.equal(summary.failed, 1);
});

test('a runner that exited non-zero adds runner/<name>, and its missing ids carry its exit code and problems', () => {
  const runs = [
    { runner: 'scenarios', exitCode: 0 },
    { runner: 'plugin-suite', exitCode: 1, seconds: 3, logTail: ['TypeError: x is undefined'] },
    { runner: 'plugin-suite', problems: ['tests/e2e/plugin/tables.e2e.test.ts did not run: SyntaxError'] },
  ];
  const checks = [passed('scenario/a'), passed('scenario/b'), failed('annotations/y')];
  const { checks: result } = finalize({ checks, manifest: MANIFEST, runs });
  const ids = byId(result);
  assert.equal(
    ids['tables/x'].details.error,
    'not run: runner plugin-suite exited with 1 without recording it: ' +
      'tests/e2e/plugin/tables.e2e.test.ts did not run: SyntaxError'
  );
  assert.equal(ids['tables/x'].details.exitCode, 1);
  const runner = ids['runner/plugin-suite'];
  assert.equal(runner.passed, false);
  assert.equal(runner.details.error, 'runner plugin-suite exited with 1');
  assert.deepEqual(runner.details.failedChecksItRecorded, ['annotations/y']);
  assert.deepEqual(runner.details.logTail, ['TypeError: x is undefined']);
  assert.equal(ids['runner/scenarios'], undefined);
});

test('a runner that never recorded an exit status fails, and so does every id it should have produced', () => {
  const { checks: result } = finalize({
    checks: [passed('scenario/a'), passed('scenario/b')],
    manifest: MANIFEST,
    runs: [{ runner: 'scenarios', exitCode: 0 }],
  });
  const ids = byId(result);
  assert.equal(
    ids['runner/plugin-suite'].details.error,
    'runner plugin-suite did not run (it recorded no exit status)'
  );
  assert.match(ids['tables/x'].details.error, /^not run: runner plugin-suite did not run/);
  assert.match(ids['annotations/y'].details.error, /^not run: runner plugin-suite did not run/);
});

test('with E2E_ONLY, only the ids it matches are expected', () => {
  const { checks: result, summary } = finalize({
    checks: [passed('tables/x')],
    manifest: MANIFEST,
    runs: ok,
    only: /^tables\//,
  });
  assert.deepEqual(
    result.map((c) => c.id),
    ['tables/x']
  );
  assert.equal(summary.failed, 0);
});

test('a check the manifest does not list, and a runner it does not know, fail manifest/unlisted-checks', () => {
  const checks = ['scenario/a', 'scenario/b', 'tables/x', 'annotations/y', 'faults/new'].map((id) => passed(id));
  const runs = [...ok, { runner: 'faults', exitCode: 0 }];
  const { checks: result } = finalize({ checks, manifest: MANIFEST, runs });
  const unlisted = byId(result)['manifest/unlisted-checks'];
  assert.equal(unlisted.passed, false);
  assert.deepEqual(unlisted.details.checks, ['faults/new']);
  assert.deepEqual(unlisted.details.runners, ['faults']);
  assert.equal(byId(result)['faults/new'].passed, true);
});

test('a check with an unknown component or no "against" fails and keeps what it recorded', () => {
  const checks = [
    { ...passed('scenario/a'), against: ['kube-apiserver', 'grafana-real'] },
    { id: 'scenario/b', passed: true, durationMs: 1, details: { rows: 3 } },
    passed('tables/x'),
    passed('annotations/y'),
  ];
  const ids = byId(finalize({ checks, manifest: MANIFEST, runs: ok }).checks);
  assert.equal(ids['scenario/a'].passed, false);
  assert.match(ids['scenario/a'].details.error, /unknown component "grafana-real"/);
  assert.deepEqual(ids['scenario/a'].details.recordedAgainst, ['kube-apiserver', 'grafana-real']);
  assert.equal(ids['scenario/b'].passed, false);
  assert.match(ids['scenario/b'].details.error, /"against" must list the components/);
  assert.equal(ids['scenario/b'].details.rows, 3);
});

test('the closing lines count passes, failures and the checks that involved only real components', () => {
  const checks = [
    passed('scenario/a'),
    passed('scenario/b', ['grafana-stand-in', 'kube-apiserver']),
    failed('tables/x', ['proxy-stand-in', ...TEST_BED]),
    passed('annotations/y', ['chromium', 'browser-host', 'grafana-ui']),
  ];
  const { summary } = finalize({ checks, manifest: MANIFEST, runs: ok });
  assert.deepEqual(closingLines(summary), [
    'e2e: 3 passed, 1 failed',
    'e2e: 1 of 4 checks involved only real components (1 of them passed); ' +
      'checks with a stand-in: grafana-stand-in 1, proxy-stand-in 1, browser-host 1',
  ]);
});

test('the manifest refuses an id listed twice, a reserved id and a runner without checks', () => {
  assert.throws(
    () => indexManifest({ runners: { a: { checks: ['x/1'] }, b: { checks: ['x/1'] } } }),
    /x\/1 is listed for runners a and b/
  );
  assert.throws(() => indexManifest({ runners: { a: { checks: ['runner/a'] } } }), /cannot be a check id/);
  assert.throws(() => indexManifest({ runners: { a: { checks: [] } } }), /lists no checks/);
  assert.throws(() => indexManifest({ runners: {} }), /no runners/);
});

test('the repository manifest is valid and lists each id once', () => {
  const manifest = JSON.parse(fs.readFileSync(new URL('../expected-checks.json', import.meta.url), 'utf8'));
  const runnerOf = indexManifest(manifest);
  assert.ok(runnerOf.size > 0);
  assert.equal(runnerOf.get('testbed/start'), 'testbed');
});

test('the vocabulary: unknown names are errors, stand-ins are never "only real"', () => {
  assert.deepEqual(againstList(['kwok', 'kube-apiserver', 'kwok']), ['kube-apiserver', 'kwok']);
  assert.throws(() => againstList(['kube-apiserver', 'kubeapiserver']), /unknown component "kubeapiserver"/);
  assert.throws(() => againstList([]), /must list the components/);
  assert.throws(() => againstList(undefined), /must list the components/);
  assert.equal(onlyRealComponents([...TEST_BED, 'chromium', 'grafana-ui', 'grafana-scenes']), true);
  for (const standIn of ['grafana-stand-in', 'proxy-stand-in', 'browser-host']) {
    assert.equal(onlyRealComponents([...TEST_BED, standIn]), false, standIn);
  }
  assert.equal(onlyRealComponents([]), false);
});
