// Tests of how a jest runner's results become checks (jest-checks.mjs). Run: npm run test:harness
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { jestChecks } from './jest-checks.mjs';

const line = (id, passed, extra = {}) =>
  JSON.stringify({ id, passed, durationMs: 5, against: ['kube-apiserver'], details: {}, ...extra });
const file = (name, assertionResults, extra = {}) => ({
  name: `/repo/${name}`,
  status: assertionResults.some((t) => t.status === 'failed') ? 'failed' : 'passed',
  assertionResults,
  ...extra,
});
const result = (title, status, failureMessages = []) => ({ title, status, failureMessages, duration: 7 });
const byId = (checks) => Object.fromEntries(checks.map((c) => [c.id, c]));

test('recorded checks are kept as they are', () => {
  const { checks, problems } = jestChecks({
    lines: [line('tables/x', true), line('tables/y', false)],
    jestResults: { testResults: [file('t.ts', [result('tables/x', 'passed'), result('tables/y', 'failed', ['x'])])] },
    relativeTo: '/repo',
  });
  assert.deepEqual(
    checks.map((c) => [c.id, c.passed]),
    [
      ['tables/x', true],
      ['tables/y', false],
    ]
  );
  assert.deepEqual(problems, []);
});

test("a test jest failed before its body ran (a failing beforeAll) becomes a failed check with jest's message", () => {
  const { checks } = jestChecks({
    lines: [],
    jestResults: {
      testResults: [
        file('t.ts', [
          result('tables/x', 'failed', ['\u001b[31mError: no test bed\u001b[39m\n    at beforeAll (t.ts:3)']),
        ]),
      ],
    },
  });
  const x = byId(checks)['tables/x'];
  assert.equal(x.passed, false);
  assert.equal(x.details.error, "jest failed it before or outside the check's body: Error: no test bed");
  assert.deepEqual(x.against, []);
});

test('a record that says passed cannot outvote jest, nor a later write of the same id', () => {
  const { checks } = jestChecks({
    lines: [line('a/late', false), line('a/late', true), line('a/jest', true)],
    jestResults: { testResults: [file('t.ts', [result('a/jest', 'failed', ['thrown: Exceeded timeout of 5000 ms'])])] },
  });
  const ids = byId(checks);
  assert.equal(ids['a/late'].passed, false);
  assert.equal(ids['a/jest'].passed, false);
  assert.equal(
    ids['a/jest'].details.error,
    'the check recorded a pass, but jest failed it: thrown: Exceeded timeout of 5000 ms'
  );
});

test('a test file that could not run, and results that are not checks, are problems of the runner', () => {
  const { checks, problems } = jestChecks({
    lines: ['{"id":"x/1","passed":true}', 'not json', '{"passed":true}'],
    jestResults: {
      testResults: [
        file('tests/e2e/plugin/broken.e2e.test.ts', [], {
          status: 'failed',
          testExecError: { message: 'check x/2: unknown component "grafana-real" in "against"' },
        }),
      ],
    },
    relativeTo: '/repo',
  });
  assert.deepEqual(
    checks.map((c) => c.id),
    ['x/1']
  );
  assert.deepEqual(problems, [
    'line 2 of the check results is not JSON: not json',
    'line 3 of the check results is not a check: {"passed":true}',
    'tests/e2e/plugin/broken.e2e.test.ts did not run: check x/2: unknown component "grafana-real" in "against"',
  ]);
});

test('no jest results at all is a problem, never a pass', () => {
  const { checks, problems } = jestChecks({ lines: [] });
  assert.deepEqual(checks, []);
  assert.deepEqual(problems, ['jest wrote no results (it did not start, or it crashed)']);
});
