// Tests of the oracle's rules (oracle.mjs) on what the scenario drivers observed in a real run of the test bed
// (fixtures/<scenario>.json, written by tests/e2e/lib/observations.mjs). Run: npm run test:harness
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';

import { compareEntries, entryKey, expectedEntries, expectedRevisions } from './oracle.mjs';

const observed = (scenario) =>
  JSON.parse(fs.readFileSync(new URL(`fixtures/${scenario}.json`, import.meta.url), 'utf8'));

/** Keys with their counts, `n x key` when an entry occurs n > 1 times. */
function summary(entries) {
  const counts = new Map();
  entries.forEach((e) => counts.set(entryKey(e), (counts.get(entryKey(e)) ?? 0) + 1));
  return [...counts].map(([key, n]) => (n > 1 ? `${n} x ${key}` : key));
}

const withEvents = (o, keep) => ({ ...o, events: o.events.filter(keep) });
const isRolloutEvent = (reason) => (e) => e.involvedObject.kind === 'Rollout' && e.reason === reason;

/**
 * Every lifecycle and analysis entry of each recorded scenario, checked by hand against the Events it observed:
 * one span per revision, one point per lifecycle Event object, the rollback point, the restart, one entry per
 * AnalysisRun. A revision 1 that started and completed within one second is a point.
 */
const EXPECTED = {
  'canary-promote': [
    'lifecycle | revision 1 | point | outcome none | reason NewReplicaSetCreated',
    'lifecycle | revision 1 | point | outcome none | reason RolloutAddedToInformer',
    'lifecycle | revision 1 | point | outcome none | reason RolloutNotCompleted',
    'lifecycle | revision 1 | point | outcome none | reason RolloutUpdated',
    '5 x lifecycle | revision 1 | point | outcome none | reason ScalingReplicaSet',
    'lifecycle | revision 1 | point | outcome succeeded | reason -',
    'lifecycle | revision 1 | point | outcome succeeded | reason RolloutCompleted',
    'lifecycle | revision 2 | point | outcome none | reason NewReplicaSetCreated',
    'lifecycle | revision 2 | point | outcome none | reason RolloutNotCompleted',
    'lifecycle | revision 2 | point | outcome none | reason RolloutUpdated',
    '3 x lifecycle | revision 2 | point | outcome none | reason ScalingReplicaSet',
    'lifecycle | revision 2 | point | outcome succeeded | reason RolloutCompleted',
    'lifecycle | revision 2 | region | outcome succeeded | reason -',
  ],
  'canary-abort': [
    'lifecycle | revision 1 | point | outcome none | reason NewReplicaSetCreated',
    'lifecycle | revision 1 | point | outcome none | reason RolloutAddedToInformer',
    'lifecycle | revision 1 | point | outcome none | reason RolloutNotCompleted',
    'lifecycle | revision 1 | point | outcome none | reason RolloutUpdated',
    '3 x lifecycle | revision 1 | point | outcome none | reason ScalingReplicaSet',
    'lifecycle | revision 1 | point | outcome succeeded | reason RolloutCompleted',
    'lifecycle | revision 1 | region | outcome succeeded | reason -',
    'lifecycle | revision 2 | point | outcome aborted | reason RolloutAborted',
    'lifecycle | revision 2 | point | outcome none | reason NewReplicaSetCreated',
    'lifecycle | revision 2 | point | outcome none | reason RolloutNotCompleted',
    'lifecycle | revision 2 | point | outcome none | reason RolloutUpdated',
    '2 x lifecycle | revision 2 | point | outcome none | reason ScalingReplicaSet',
    'lifecycle | revision 2 | region | outcome aborted | reason -',
  ],
  'bluegreen-promote': [
    'lifecycle | revision 1 | point | outcome none | reason NewReplicaSetCreated',
    'lifecycle | revision 1 | point | outcome none | reason RolloutAddedToInformer',
    'lifecycle | revision 1 | point | outcome none | reason RolloutUpdated',
    '2 x lifecycle | revision 1 | point | outcome none | reason ScalingReplicaSet',
    'lifecycle | revision 1 | point | outcome succeeded | reason -',
    'lifecycle | revision 1 | point | outcome succeeded | reason RolloutCompleted',
    'lifecycle | revision 2 | point | outcome none | reason NewReplicaSetCreated',
    'lifecycle | revision 2 | point | outcome none | reason RolloutNotCompleted',
    'lifecycle | revision 2 | point | outcome none | reason RolloutUpdated',
    'lifecycle | revision 2 | point | outcome none | reason ScalingReplicaSet',
    'lifecycle | revision 2 | point | outcome succeeded | reason RolloutCompleted',
    'lifecycle | revision 2 | region | outcome succeeded | reason -',
  ],
  'analysis-success': [
    'analysis | revision 2 | region | outcome succeeded | reason AnalysisRunSuccessful',
    'lifecycle | revision 1 | point | outcome none | reason NewReplicaSetCreated',
    'lifecycle | revision 1 | point | outcome none | reason RolloutAddedToInformer',
    'lifecycle | revision 1 | point | outcome none | reason RolloutNotCompleted',
    'lifecycle | revision 1 | point | outcome none | reason RolloutUpdated',
    '3 x lifecycle | revision 1 | point | outcome none | reason ScalingReplicaSet',
    'lifecycle | revision 1 | point | outcome succeeded | reason RolloutCompleted',
    'lifecycle | revision 1 | region | outcome succeeded | reason -',
    'lifecycle | revision 2 | point | outcome none | reason NewReplicaSetCreated',
    'lifecycle | revision 2 | point | outcome none | reason RolloutNotCompleted',
    'lifecycle | revision 2 | point | outcome none | reason RolloutUpdated',
    '2 x lifecycle | revision 2 | point | outcome none | reason ScalingReplicaSet',
    'lifecycle | revision 2 | point | outcome succeeded | reason RolloutCompleted',
    'lifecycle | revision 2 | region | outcome succeeded | reason -',
  ],
  'analysis-failure': [
    'analysis | revision 2 | point | outcome failed | reason AnalysisRunFailed',
    'lifecycle | revision 1 | point | outcome none | reason NewReplicaSetCreated',
    'lifecycle | revision 1 | point | outcome none | reason RolloutAddedToInformer',
    'lifecycle | revision 1 | point | outcome none | reason RolloutNotCompleted',
    'lifecycle | revision 1 | point | outcome none | reason RolloutUpdated',
    '3 x lifecycle | revision 1 | point | outcome none | reason ScalingReplicaSet',
    'lifecycle | revision 1 | point | outcome succeeded | reason -',
    'lifecycle | revision 1 | point | outcome succeeded | reason RolloutCompleted',
    'lifecycle | revision 2 | point | outcome aborted | reason RolloutAborted',
    'lifecycle | revision 2 | point | outcome none | reason NewReplicaSetCreated',
    'lifecycle | revision 2 | point | outcome none | reason RolloutNotCompleted',
    'lifecycle | revision 2 | point | outcome none | reason RolloutUpdated',
    '2 x lifecycle | revision 2 | point | outcome none | reason ScalingReplicaSet',
    'lifecycle | revision 2 | region | outcome aborted | reason -',
  ],
  rollback: [
    'lifecycle | revision 1 | point | outcome none | reason NewReplicaSetCreated',
    'lifecycle | revision 1 | point | outcome none | reason RolloutAddedToInformer',
    'lifecycle | revision 1 | point | outcome none | reason RolloutNotCompleted',
    'lifecycle | revision 1 | point | outcome none | reason RolloutUpdated',
    '3 x lifecycle | revision 1 | point | outcome none | reason ScalingReplicaSet',
    'lifecycle | revision 1 | point | outcome succeeded | reason -',
    'lifecycle | revision 1 | point | outcome succeeded | reason RolloutCompleted',
    'lifecycle | revision 2 | point | outcome none | reason NewReplicaSetCreated',
    'lifecycle | revision 2 | point | outcome none | reason RolloutNotCompleted',
    'lifecycle | revision 2 | point | outcome none | reason RolloutUpdated',
    '4 x lifecycle | revision 2 | point | outcome none | reason ScalingReplicaSet',
    'lifecycle | revision 2 | point | outcome succeeded | reason RolloutCompleted',
    'lifecycle | revision 2 | region | outcome rolledBack | reason -',
    'lifecycle | revision 3 | point | outcome none | reason RolloutNotCompleted',
    'lifecycle | revision 3 | point | outcome none | reason RolloutUpdated',
    '2 x lifecycle | revision 3 | point | outcome none | reason ScalingReplicaSet',
    'lifecycle | revision 3 | point | outcome rolledBack | reason -',
    'lifecycle | revision 3 | point | outcome succeeded | reason RolloutCompleted',
    'lifecycle | revision 3 | region | outcome succeeded | reason -',
  ],
  restart: [
    'lifecycle | revision 1 | point | outcome none | reason -',
    'lifecycle | revision 1 | point | outcome none | reason NewReplicaSetCreated',
    'lifecycle | revision 1 | point | outcome none | reason RolloutAddedToInformer',
    'lifecycle | revision 1 | point | outcome none | reason RolloutNotCompleted',
    'lifecycle | revision 1 | point | outcome none | reason RolloutUpdated',
    'lifecycle | revision 1 | point | outcome none | reason ScalingReplicaSet',
    'lifecycle | revision 1 | point | outcome succeeded | reason -',
    'lifecycle | revision 1 | point | outcome succeeded | reason RolloutCompleted',
  ],
};

for (const [scenario, expected] of Object.entries(EXPECTED)) {
  test(`${scenario}: the expected lifecycle and analysis entries`, () => {
    assert.deepEqual(summary(expectedEntries(observed(scenario))), expected);
  });
}

test('R1: a revision that ended in a later second is a region, one that ended in the same second a point', () => {
  const entries = expectedEntries(observed('analysis-failure'));
  const spans = entries
    .filter((e) => e.reason === undefined)
    .map((e) => [e.revision, e.kind, (e.timeEnd - e.time) / 1000]);
  assert.deepEqual(spans, [
    [1, 'point', 0],
    [2, 'region', 3],
  ]);
});

test('R1: the revision before a rollback is rolled back, the rollback revision succeeded', () => {
  const revisions = expectedRevisions(observed('rollback')).map((r) => [r.revision, r.outcome, r.images]);
  assert.deepEqual(revisions, [
    [1, 'succeeded', ['example.test/app:1.0']],
    [2, 'rolledBack', ['example.test/app:2.0']],
    [3, 'succeeded', ['example.test/app:1.0']],
  ]);
});

test('R2: an abort recorded by an Event and by status.abortedAt is one entry; by status alone, still one', () => {
  const o = observed('canary-abort');
  const aborts = (entries) => entries.filter((e) => e.reason === 'RolloutAborted');
  assert.equal(aborts(expectedEntries(o)).length, 1);
  const statusOnly = aborts(expectedEntries(withEvents(o, (e) => !isRolloutEvent('RolloutAborted')(e))));
  assert.deepEqual(
    statusOnly.map((e) => [e.revision, e.kind, e.outcome, e.what]),
    [[2, 'point', 'aborted', 'abort recorded in status only']]
  );
  // The recorder wrote the abort twice (a second message): one fact, one entry.
  const again = o.events.find(isRolloutEvent('RolloutAborted'));
  const twice = { ...o, events: [...o.events, { ...again, name: 'again', message: `${again.message}: timed out` }] };
  assert.equal(aborts(expectedEntries(twice)).length, 1);
});

test('R2: an Event that names no revision belongs to the latest revision started at or before it', () => {
  const o = observed('canary-promote');
  const informer = (entries) => entries.find((e) => e.reason === 'RolloutAddedToInformer').revision;
  assert.equal(informer(expectedEntries(o)), 1);
  const later = o.events.map((e) =>
    isRolloutEvent('RolloutAddedToInformer')(e) ? { ...e, lastTimestamp: o.observedAt } : e
  );
  assert.equal(informer(expectedEntries({ ...o, events: later })), 2);
});

test('R5: an AnalysisRun is one entry; the Events about its start and result add none', () => {
  for (const scenario of ['analysis-success', 'analysis-failure']) {
    const o = observed(scenario);
    const analysis = (entries) => entries.filter((e) => e.category === 'analysis');
    const withoutAnalysisEvents = withEvents(o, (e) => !/^(AnalysisRun|Metric)/.test(e.reason));
    assert.equal(analysis(expectedEntries(o)).length, 1, scenario);
    assert.deepEqual(analysis(expectedEntries(o)), analysis(expectedEntries(withoutAnalysisEvents)), scenario);
  }
  const [failed] = expectedEntries(observed('analysis-failure')).filter((e) => e.category === 'analysis');
  assert.deepEqual([failed.revision, failed.kind, failed.outcome], [2, 'point', 'failed']);
  const [succeeded] = expectedEntries(observed('analysis-success')).filter((e) => e.category === 'analysis');
  assert.deepEqual([succeeded.revision, succeeded.kind, succeeded.outcome], [2, 'region', 'succeeded']);
});

test('R5: a running AnalysisRun is in progress until now', () => {
  const o = observed('analysis-success');
  const running = {
    ...o,
    analysisRuns: o.analysisRuns.map((r) => ({
      ...r,
      status: { ...r.status, phase: 'Running', completedAt: undefined },
    })),
  };
  const now = Date.parse(o.observedAt) + 60_000;
  const [run] = expectedEntries(running, now).filter((e) => e.category === 'analysis');
  assert.deepEqual([run.kind, run.outcome, run.timeEnd], ['region', 'inProgress', now]);
});

test('compareEntries: what is missing and what is extra, counted as multisets', () => {
  const a = { category: 'lifecycle', revision: 1, kind: 'point', reason: 'ScalingReplicaSet' };
  const b = { category: 'analysis', revision: 2, kind: 'region', outcome: 'failed', reason: 'AnalysisRunFailed' };
  const { missing, extra } = compareEntries([a, a, b], [a, { ...b, kind: 'point' }]);
  assert.deepEqual(missing, [a, b]);
  assert.deepEqual(extra, [{ ...b, kind: 'point' }]);
  assert.deepEqual(compareEntries([a, b], [b, a]), { missing: [], extra: [] });
});

test('R1 once the Events are gone: the stable ReplicaSet completed, a reused one is placed at its completion', () => {
  const withoutEvents = (scenario) => expectedEntries({ ...observed(scenario), events: [] });
  const spans = (entries) => summary(entries.filter((e) => e.category === 'lifecycle'));
  // Revision 1 of canary-abort is still the stable one: it completed; revision 2 was aborted (status.abortedAt).
  assert.deepEqual(spans(withoutEvents('canary-abort')), [
    'lifecycle | revision 1 | region | outcome succeeded | reason -',
    'lifecycle | revision 2 | point | outcome aborted | reason RolloutAborted',
    'lifecycle | revision 2 | region | outcome aborted | reason -',
  ]);
  // Revision 3 reused revision 1's ReplicaSet: no start is recorded, it is placed at its completion, where revision 2
  // (rolled back) ends.
  const rollback = withoutEvents('rollback');
  assert.deepEqual(spans(rollback), [
    'lifecycle | revision 1 | region | outcome superseded | reason -',
    'lifecycle | revision 2 | region | outcome rolledBack | reason -',
    'lifecycle | revision 3 | point | outcome rolledBack | reason -',
    'lifecycle | revision 3 | point | outcome succeeded | reason -',
  ]);
  const completed = Date.parse(
    observed('rollback').rollouts[0].status.conditions.find((c) => c.type === 'Completed').lastTransitionTime
  );
  const two = rollback.find((e) => e.revision === 2 && e.outcome === 'rolledBack');
  assert.equal(two.timeEnd, completed);
  // Nothing an Event told is left: no point with a reason but the abort status records.
  assert.deepEqual(
    withoutEvents('canary-promote').filter((e) => e.reason),
    []
  );
});
