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
  // Two Rollouts each (keys name no Rollout): one updated successfully, one whose update was aborted.
  'step-plugin': [
    '2 x lifecycle | revision 1 | point | outcome none | reason NewReplicaSetCreated',
    '2 x lifecycle | revision 1 | point | outcome none | reason RolloutAddedToInformer',
    '2 x lifecycle | revision 1 | point | outcome none | reason RolloutNotCompleted',
    '2 x lifecycle | revision 1 | point | outcome none | reason RolloutUpdated',
    '6 x lifecycle | revision 1 | point | outcome none | reason ScalingReplicaSet',
    '2 x lifecycle | revision 1 | point | outcome succeeded | reason -',
    '2 x lifecycle | revision 1 | point | outcome succeeded | reason RolloutCompleted',
    'lifecycle | revision 2 | point | outcome aborted | reason RolloutAborted',
    '2 x lifecycle | revision 2 | point | outcome none | reason NewReplicaSetCreated',
    '2 x lifecycle | revision 2 | point | outcome none | reason RolloutNotCompleted',
    '2 x lifecycle | revision 2 | point | outcome none | reason RolloutUpdated',
    '4 x lifecycle | revision 2 | point | outcome none | reason ScalingReplicaSet',
    'lifecycle | revision 2 | point | outcome succeeded | reason RolloutCompleted',
    'lifecycle | revision 2 | region | outcome aborted | reason -',
    'lifecycle | revision 2 | region | outcome succeeded | reason -',
    'steps | revision 2 | point | outcome aborted | reason StepPluginTransition',
    'steps | revision 2 | point | outcome failed | reason StepPluginTransition',
    '2 x steps | revision 2 | point | outcome none | reason RolloutStepCompleted',
    '2 x steps | revision 2 | point | outcome succeeded | reason StepPluginTransition',
    'steps | revision 2 | region | outcome superseded | reason StepPluginTransition',
  ],
  // Revisions 1 and 2 of each Rollout started within one second: Events naming no revision go to revision 2.
  // The experiment controller created the failing Experiment's run twice (`<experiment>-web.1`): two runs.
  'experiment-step': [
    '2 x analysis | revision 2 | point | outcome failed | reason AnalysisRunFailed',
    'analysis | revision 2 | region | outcome succeeded | reason AnalysisRunSuccessful',
    '2 x lifecycle | revision 1 | point | outcome none | reason NewReplicaSetCreated',
    '2 x lifecycle | revision 1 | point | outcome none | reason RolloutNotCompleted',
    '2 x lifecycle | revision 1 | point | outcome none | reason RolloutUpdated',
    '6 x lifecycle | revision 1 | point | outcome none | reason ScalingReplicaSet',
    '2 x lifecycle | revision 1 | point | outcome succeeded | reason -',
    '2 x lifecycle | revision 1 | point | outcome succeeded | reason RolloutCompleted',
    'lifecycle | revision 2 | point | outcome aborted | reason RolloutAborted',
    '2 x lifecycle | revision 2 | point | outcome none | reason NewReplicaSetCreated',
    '2 x lifecycle | revision 2 | point | outcome none | reason RolloutAddedToInformer',
    '2 x lifecycle | revision 2 | point | outcome none | reason RolloutNotCompleted',
    '2 x lifecycle | revision 2 | point | outcome none | reason RolloutUpdated',
    // Each Rollout scaled its canary twice and its Experiment's template ReplicaSet up and down.
    '8 x lifecycle | revision 2 | point | outcome none | reason ScalingReplicaSet',
    'lifecycle | revision 2 | point | outcome succeeded | reason RolloutCompleted',
    'lifecycle | revision 2 | region | outcome aborted | reason -',
    'lifecycle | revision 2 | region | outcome succeeded | reason -',
    '2 x steps | revision 2 | point | outcome inProgress | reason TemplateProgressing',
    '2 x steps | revision 2 | point | outcome inProgress | reason TemplateRunning',
    '2 x steps | revision 2 | point | outcome none | reason RolloutStepCompleted',
    '2 x steps | revision 2 | point | outcome succeeded | reason TemplateSuccessful',
    'steps | revision 2 | region | outcome failed | reason ExperimentFailed',
    'steps | revision 2 | region | outcome succeeded | reason ExperimentSuccessful',
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

/**
 * The scenarios without pause steps, whose step entries the oracle derives whole (R6-R8; pauses are not derived): the
 * checks compare their steps category too (tests/e2e/plugin/testbed.ts).
 */
const STEP_SCENARIOS = ['step-plugin', 'experiment-step'];

for (const [scenario, expected] of Object.entries(EXPECTED)) {
  const compared = STEP_SCENARIOS.includes(scenario) ? 'lifecycle, analysis and step' : 'lifecycle and analysis';
  test(`${scenario}: the expected ${compared} entries`, () => {
    const entries = expectedEntries(observed(scenario));
    assert.deepEqual(
      summary(entries.filter((e) => e.category !== 'steps' || STEP_SCENARIOS.includes(scenario))),
      expected
    );
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

const ofRollout = (entries, rollout) => entries.filter((e) => e.rollout === rollout);
const steps = (entries) =>
  entries
    .filter((e) => e.category === 'steps')
    .map((e) => [e.kind, e.outcome ?? 'none', e.reason, (e.timeEnd - e.time) / 1000])
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

test('R6, R7: a plugin step that succeeded is one entry with its RolloutStepCompleted; the run terminated by the full promotion a region', () => {
  const o = observed('step-plugin');
  assert.deepEqual(steps(ofRollout(expectedEntries(o), 'step-plugin')), [
    ['point', 'none', 'RolloutStepCompleted', 0],
    ['point', 'succeeded', 'StepPluginTransition', 0],
    ['region', 'superseded', 'StepPluginTransition', 3],
  ]);
  // The statuses tell the same without the Events: the Events about them add no entry.
  const withoutTransitions = withEvents(o, (e) => e.reason !== 'StepPluginTransition');
  assert.deepEqual(
    steps(ofRollout(expectedEntries(withoutTransitions), 'step-plugin')),
    steps(ofRollout(expectedEntries(o), 'step-plugin'))
  );
});

test('R7: the failed run, then the abort of the step that had succeeded, each one entry', () => {
  const entries = ofRollout(expectedEntries(observed('step-plugin')), 'step-plugin-failure');
  assert.deepEqual(
    entries
      .filter((e) => e.reason === 'StepPluginTransition')
      .map((e) => [e.what, e.outcome])
      .sort(),
    [
      ['plugin step 2: Abort Successful', 'aborted'],
      ['plugin step 2: Run Successful', 'succeeded'],
      ['plugin step 3: Run Failed', 'failed'],
    ]
  );
});

test('R7: the transitions of an update whose statuses are gone are points of their own, outcome by phase', () => {
  const o = observed('step-plugin');
  const gone = {
    ...o,
    rollouts: o.rollouts.map((r) => ({ ...r, status: { ...r.status, canary: {} } })),
  };
  const transitions = (rollout) =>
    ofRollout(expectedEntries(gone), rollout)
      .filter((e) => e.reason === 'StepPluginTransition')
      .map((e) => [e.kind, e.outcome])
      .sort();
  assert.deepEqual(transitions('step-plugin'), [
    ['point', 'inProgress'],
    ['point', 'superseded'],
  ]);
  assert.deepEqual(transitions('step-plugin-failure'), [
    ['point', 'aborted'],
    ['point', 'failed'],
  ]);
  // Without the run it completed, the plugin step's RolloutStepCompleted is a point again.
  const completions = ofRollout(expectedEntries(gone), 'step-plugin').filter(
    (e) => e.reason === 'RolloutStepCompleted'
  );
  assert.equal(completions.length, 2);
});

test('R5, R8: an Experiment and its analysis are spans of its revision; its step completion and Events add none', () => {
  const o = observed('experiment-step');
  const entries = ofRollout(expectedEntries(o), 'experiment-step');
  const spans = entries
    .filter((e) => e.span && e.category !== 'lifecycle')
    .map((e) => [e.category, e.revision, e.reason]);
  assert.deepEqual(spans, [
    ['analysis', 2, 'AnalysisRunSuccessful'],
    ['steps', 2, 'ExperimentSuccessful'],
  ]);
  assert.deepEqual(
    entries.filter((e) => e.reason === 'RolloutStepCompleted').map((e) => e.what),
    ['Event RolloutStepCompleted: Rollout step 1/2 completed (setWeight: 50)']
  );
  const withoutExperimentEvents = withEvents(o, (e) => !/^(Experiment|AnalysisRun|Metric)/.test(e.reason));
  assert.deepEqual(
    ofRollout(expectedEntries(withoutExperimentEvents), 'experiment-step').filter((e) => e.span),
    entries.filter((e) => e.span)
  );
});

test('R8: a failed Experiment records no completion: its result Event ends it, without that it is a point', () => {
  const o = observed('experiment-step');
  const failed = (observations) =>
    ofRollout(expectedEntries(observations), 'experiment-step-failure')
      .filter((e) => e.reason === 'ExperimentFailed')
      .map((e) => [e.kind, e.outcome, (e.timeEnd - e.time) / 1000]);
  const experiment = o.experiments.find((e) => e.status.phase === 'Failed');
  assert.deepEqual(
    experiment.status.conditions.map((c) => c.reason),
    ['NewReplicaSetAvailable']
  );
  assert.deepEqual(failed(o), [['region', 'failed', 2]]);
  assert.deepEqual(failed({ ...o, events: [] }), [['point', 'failed', 0]]);
});

test('R9: the steps each revision reached', () => {
  const reached = (scenario) =>
    expectedRevisions(observed(scenario)).map((r) => `${r.rollout}#${r.revision} ${r.stepsReached ?? '-'}`);
  assert.deepEqual(reached('canary-promote'), ['canary-promote#1 -', 'canary-promote#2 4/4']);
  // Aborted while paused at step 2: only step 1 completed.
  assert.deepEqual(reached('canary-abort'), ['canary-abort#1 -', 'canary-abort#2 1/2']);
  // Its analysis ran at step 2 and failed.
  assert.deepEqual(reached('analysis-failure'), ['analysis-failure#1 -', 'analysis-failure#2 2/2']);
  assert.deepEqual(reached('bluegreen-promote'), ['bluegreen#1 -', 'bluegreen#2 -']);
  assert.deepEqual(reached('step-plugin'), [
    'step-plugin#1 -',
    'step-plugin#2 3/3',
    'step-plugin-failure#1 -',
    'step-plugin-failure#2 3/3',
  ]);
  assert.deepEqual(reached('experiment-step'), [
    'experiment-step#1 -',
    'experiment-step#2 2/2',
    'experiment-step-failure#1 -',
    'experiment-step-failure#2 2/2',
  ]);
});
