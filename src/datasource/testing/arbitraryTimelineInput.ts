/**
 * Generated inputs of `buildTimeline` for property tests: Rollouts, ReplicaSets, AnalysisRuns and Events of three
 * Rollouts over one day, with the reasons, messages and status fields the timeline reads, and junk among them.
 */
import fc from 'fast-check';

import type { TimelineInput } from '../timeline/types';

export const DAY_START = Date.parse('2026-11-20T00:00:00Z');
export const DAY_END = Date.parse('2026-11-21T00:00:00Z');

const REASONS = [
  'RolloutUpdated',
  'NewReplicaSetCreated',
  'RolloutNotCompleted',
  'ScalingReplicaSet',
  'RolloutCompleted',
  'RolloutAborted',
  'RolloutPaused',
  'RolloutResumed',
  'RolloutStepCompleted',
  'SkipSteps',
  'AnalysisRunRunning',
  'AnalysisRunFailed',
  'AnalysisRunSuccessful',
  'MetricFailed',
  'TrafficWeightUpdated',
  'SwitchService',
  'TrafficRoutingError',
  'ExperimentCreated',
  'Updated VirtualService',
  'SomethingUnknown',
];

const ROLLOUTS = ['web', 'web-api', 'cart'];
const HASHES = ['aaa', 'bbb', 'ccc', 'ddd'];

const timestamp = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .integer({ min: DAY_START - 3_600_000, max: DAY_END + 3_600_000 })
      .map((t) => new Date(t).toISOString()),
  },
  { weight: 1, arbitrary: fc.constantFrom('0001-01-01T00:00:00Z', '', 'not a time', '2026-13-45T99:00:00Z') },
  { weight: 1, arbitrary: fc.constant(undefined) }
);

const message = fc.oneof(
  fc.integer({ min: 1, max: 6 }).map((n) => `Rollout updated to revision ${n}`),
  fc
    .tuple(fc.constantFrom(...HASHES), fc.integer({ min: 1, max: 6 }))
    .map(([h, n]) => `Created ReplicaSet web-${h} (revision ${n})`),
  fc
    .integer({ min: 1, max: 6 })
    .map((n) => `Rollout completed update to revision ${n} (aaa): Completed all 2 canary steps`),
  fc.integer({ min: 1, max: 6 }).map((n) => `Rollout aborted update to revision ${n}`),
  fc
    .tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 100 }))
    .map(([i, n, w]) => `Rollout step ${i}/${n} completed (setWeight: ${w})`),
  fc.constantFrom(
    'Rollout is paused (CanaryPauseStep)',
    'Rollout is resumed',
    'Rollback to stable ReplicaSets',
    "Step Analysis Run 'web-aaa-2-1' Status New: 'Failed' Previous: 'Running'",
    "Metric 'error-rate' Completed. Result: Failed",
    'Analysis Completed. Result: Failed',
    '(combined from similar events): Traffic weight updated from 20 to 40'
  ),
  fc.string()
);

const event = fc.record(
  {
    metadata: fc.record(
      { name: fc.option(fc.string({ maxLength: 8 }), { nil: undefined }), namespace: fc.constant('ns') },
      { requiredKeys: [] }
    ),
    involvedObject: fc.record({
      apiVersion: fc.constantFrom('argoproj.io/v1alpha1', 'apps/v1', undefined),
      kind: fc.constantFrom('Rollout', 'AnalysisRun', 'Experiment', 'Deployment', 'Pod'),
      name: fc.oneof(fc.constantFrom(...ROLLOUTS, 'web-aaa-2-1', 'web-bbb-3-pre'), fc.string({ maxLength: 6 })),
      namespace: fc.constant('ns'),
    }),
    reason: fc.oneof(
      { weight: 5, arbitrary: fc.constantFrom(...REASONS) },
      { weight: 1, arbitrary: fc.string({ maxLength: 10 }) }
    ),
    message,
    type: fc.constantFrom('Normal', 'Warning', undefined),
    firstTimestamp: timestamp,
    lastTimestamp: timestamp,
    count: fc.oneof(fc.integer({ min: -2, max: 5 }), fc.constantFrom(1e12, Number.NaN, 2.5, undefined)),
  },
  { requiredKeys: ['involvedObject', 'reason'] }
);

const condition = fc.record({
  type: fc.constantFrom('Progressing', 'Completed', 'Paused', 'InvalidSpec', 'Available'),
  status: fc.constantFrom('True', 'False', 'Unknown'),
  reason: fc.constantFrom(
    'RolloutAborted',
    'RolloutRetry',
    'RolloutResumed',
    'ProgressDeadlineExceeded',
    'NewReplicaSetAvailable',
    'RolloutPaused'
  ),
  message: fc.string({ maxLength: 10 }),
  lastTransitionTime: timestamp,
});

const revisionAnnotation = fc.oneof(fc.integer({ min: 1, max: 6 }).map(String), fc.constantFrom('x', '-1', ''));

const rollout = fc.record({
  metadata: fc.record({
    name: fc.constantFrom(...ROLLOUTS),
    namespace: fc.constant('ns'),
    annotations: fc.record({ 'rollout.argoproj.io/revision': revisionAnnotation }),
  }),
  spec: fc.record({
    paused: fc.boolean(),
    strategy: fc.oneof(
      fc.record({
        canary: fc.record({
          steps: fc.array(fc.record({ setWeight: fc.integer({ min: 0, max: 100 }) }), { maxLength: 4 }),
        }),
      }),
      fc.constant({ blueGreen: {} })
    ),
  }),
  status: fc.record(
    {
      phase: fc.constantFrom('Healthy', 'Progressing', 'Paused', 'Degraded'),
      abort: fc.boolean(),
      abortedAt: timestamp,
      restartedAt: timestamp,
      currentPodHash: fc.constantFrom(...HASHES),
      stableRS: fc.constantFrom(...HASHES),
      pauseConditions: fc.array(
        fc.record({ reason: fc.constantFrom('CanaryPauseStep', 'BlueGreenPause'), startTime: timestamp }),
        { maxLength: 2 }
      ),
      conditions: fc.array(condition, { maxLength: 4 }),
    },
    { requiredKeys: [] }
  ),
});

const replicaSet = fc.record({
  metadata: fc.record({
    name: fc.tuple(fc.constantFrom(...ROLLOUTS), fc.constantFrom(...HASHES)).map(([r, h]) => `${r}-${h}`),
    namespace: fc.constant('ns'),
    creationTimestamp: timestamp,
    labels: fc.record({ 'rollouts-pod-template-hash': fc.constantFrom(...HASHES) }),
    annotations: fc.record(
      {
        'rollout.argoproj.io/revision': revisionAnnotation,
        'rollout.argoproj.io/revision-history': fc
          .array(fc.integer({ min: 1, max: 6 }), { maxLength: 3 })
          .map((a) => a.join(',')),
      },
      { requiredKeys: ['rollout.argoproj.io/revision'] }
    ),
    ownerReferences: fc.constantFrom(...ROLLOUTS).map((name) => [{ kind: 'Rollout', name }]),
  }),
  spec: fc.record({
    template: fc.record({
      spec: fc.record({ containers: fc.array(fc.record({ image: fc.string({ maxLength: 8 }) }), { maxLength: 2 }) }),
    }),
  }),
});

const analysisRun = fc.record({
  metadata: fc.record({
    name: fc.constantFrom('web-aaa-2-1', 'web-bbb-3-pre', 'cart-ccc-1', 'orphan'),
    namespace: fc.constant('ns'),
    creationTimestamp: timestamp,
    annotations: fc.record({ 'rollout.argoproj.io/revision': revisionAnnotation }, { requiredKeys: [] }),
    ownerReferences: fc.option(
      fc.constantFrom(...ROLLOUTS).map((name) => [{ kind: 'Rollout', name }]),
      { nil: undefined }
    ),
  }),
  status: fc.record(
    {
      phase: fc.constantFrom('Running', 'Successful', 'Failed', 'Error', 'Inconclusive', 'Pending', ''),
      startedAt: timestamp,
      completedAt: timestamp,
      metricResults: fc.array(
        fc.record({ name: fc.string({ maxLength: 5 }), phase: fc.constantFrom('Failed', 'Successful') }),
        { maxLength: 2 }
      ),
    },
    { requiredKeys: [] }
  ),
});

const junk = fc.oneof(fc.constant(null), fc.integer(), fc.string(), fc.constant({}), fc.anything());

function listOf<T>(arbitrary: fc.Arbitrary<T>) {
  return fc.array(fc.oneof({ weight: 6, arbitrary }, { weight: 1, arbitrary: junk }), { maxLength: 12 });
}

const range = fc
  .tuple(fc.integer({ min: DAY_START - 7_200_000, max: DAY_END }), fc.integer({ min: 0, max: 30 * 3_600_000 }))
  .map(([from, length]) => ({ from, to: from + length }));

export const timelineInput: fc.Arbitrary<TimelineInput> = fc
  .record({
    events: listOf(event),
    rollouts: listOf(rollout),
    replicaSets: listOf(replicaSet),
    analysisRuns: listOf(analysisRun),
    experiments: listOf(fc.anything()),
    range,
    now: fc.integer({ min: DAY_START, max: DAY_END + 3_600_000 }),
    cluster: fc.constantFrom('prod', ''),
  })
  .map((value) => value as unknown as TimelineInput);
