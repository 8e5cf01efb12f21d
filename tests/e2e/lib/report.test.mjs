// Tests of the Node check registry (report.mjs). Run: npm run test:harness
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { CheckFailure, Report } from './report.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

test('a check that outlives its time fails once, and what it does later is discarded', async () => {
  const report = new Report();
  let finishedLate = false;
  const result = await report.run(
    'x/slow',
    async () => {
      await sleep(300);
      finishedLate = true;
      return { late: true };
    },
    { against: ['kube-apiserver'], timeoutMs: 50 }
  );
  assert.equal(result.passed, false);
  assert.match(result.details.error, /check x\/slow timed out after 0.05 s/);
  await sleep(400);
  assert.equal(finishedLate, true);
  assert.deepEqual(
    report.checks.map((c) => [c.id, c.passed, c.details.late]),
    [['x/slow', false, undefined]]
  );
});

test('every check records what it ran against; an unknown component is refused before it runs', async () => {
  const report = new Report();
  const passed = await report.run('x/ok', () => ({ rows: 1 }), { against: ['grafana-stand-in', 'etcd'] });
  assert.deepEqual(passed.against, ['etcd', 'grafana-stand-in']);
  const failed = await report.run(
    'x/fails',
    () => {
      throw new CheckFailure('wrong', { seen: 2 });
    },
    { against: ['kube-apiserver'] }
  );
  assert.deepEqual([failed.passed, failed.details], [false, { seen: 2, error: 'wrong' }]);
  await assert.rejects(() => report.run('x/unknown', () => ({}), { against: ['grafana-server'] }), /unknown component/);
  assert.throws(() => report.register('x/none', () => ({})), /"against" must list the components/);
});
