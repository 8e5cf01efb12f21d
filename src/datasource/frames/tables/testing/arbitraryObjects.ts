/**
 * fast-check generators of what a cluster could hand the plugin: objects shaped like Rollouts, ReplicaSets,
 * AnalysisRuns, Experiments and Events, where any field may instead hold any JSON value (a string for a list, null
 * for an object, a number for a time), and lists where any item may be no object at all. Only imported by tests.
 */
import fc from 'fast-check';

const anyJson = fc.jsonValue({ maxDepth: 2 });

/** The expected shape most of the time, any JSON value sometimes. */
function maybe<T>(expected: fc.Arbitrary<T>): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 4, arbitrary: expected }, { weight: 1, arbitrary: anyJson });
}

const NAMES = ['web', 'web-api', 'web2', 'cart'];
const name = fc.oneof(fc.constantFrom(...NAMES), fc.string({ maxLength: 6 }));
const namespace = fc.constantFrom('ns', 'other', '');
const uid = fc.constantFrom('u-web', 'u-web-api', 'u-cart', 'u-exp', 'u-run');
const time = fc.oneof(
  fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2026, 11, 31) }).map((t) => new Date(t).toISOString()),
  fc.constantFrom('0001-01-01T00:00:00Z', '', 'yesterday', '2026-13-45T99:00:00Z')
);
const phase = fc.constantFrom(
  'Healthy',
  'Progressing',
  'Paused',
  'Degraded',
  'Running',
  'Successful',
  'Failed',
  'Error',
  'Inconclusive',
  'Pending',
  'Exploded'
);
const stringMap = fc.dictionary(
  fc.constantFrom(
    'app',
    'team',
    'rollout.argoproj.io/revision',
    'rollouts-pod-template-hash',
    'rollout-type',
    'step-index',
    'argo-rollouts.argoproj.io/controller-instance-id'
  ),
  maybe(
    fc.oneof(fc.constantFrom('1', '2', 'web', 'Step', 'Background', 'aaa', 'bbb', '-1'), fc.string({ maxLength: 4 }))
  ),
  { maxKeys: 4 }
);

const ownerReference = fc.record(
  {
    kind: maybe(fc.constantFrom('Rollout', 'Experiment', 'ReplicaSet')),
    name: maybe(name),
    uid: maybe(uid),
    controller: maybe(fc.boolean()),
  },
  { requiredKeys: [] }
);

const metadata = fc.record(
  {
    name: maybe(name),
    namespace: maybe(namespace),
    uid: maybe(uid),
    generation: maybe(fc.integer({ min: 0, max: 5 })),
    creationTimestamp: maybe(time),
    labels: maybe(stringMap),
    annotations: maybe(stringMap),
    ownerReferences: maybe(fc.array(maybe(ownerReference), { maxLength: 3 })),
  },
  { requiredKeys: [] }
);

const condition = fc.record(
  {
    type: maybe(fc.constantFrom('Progressing', 'Paused', 'InvalidSpec', 'Available', 'Completed')),
    status: maybe(fc.constantFrom('True', 'False', 'Unknown')),
    reason: maybe(fc.constantFrom('RolloutAborted', 'ProgressDeadlineExceeded', 'NewReplicaSetAvailable')),
    message: maybe(fc.string({ maxLength: 8 })),
    lastTransitionTime: maybe(time),
  },
  { requiredKeys: [] }
);

const containers = maybe(
  fc.array(maybe(fc.record({ image: maybe(fc.string({ maxLength: 8 })) }, { requiredKeys: [] })), { maxLength: 3 })
);
const podTemplate = maybe(
  fc.record({ spec: maybe(fc.record({ containers }, { requiredKeys: [] })) }, { requiredKeys: [] })
);

const step = fc.record(
  {
    setWeight: maybe(fc.integer({ min: -10, max: 150 })),
    pause: maybe(
      fc.record({ duration: maybe(fc.oneof(fc.integer(), fc.constantFrom('30s', 'abc'))) }, { requiredKeys: [] })
    ),
    analysis: maybe(fc.record({}, { requiredKeys: [] })),
  },
  { requiredKeys: [] }
);

const rolloutSpec = fc.record(
  {
    replicas: maybe(fc.integer({ min: 0, max: 10 })),
    paused: maybe(fc.boolean()),
    revisionHistoryLimit: maybe(fc.integer({ min: 0, max: 20 })),
    restartAt: maybe(time),
    template: podTemplate,
    strategy: maybe(
      fc.oneof(
        fc.record({
          canary: maybe(
            fc.record(
              { steps: maybe(fc.array(maybe(step), { maxLength: 5 })), trafficRouting: maybe(fc.constant({})) },
              { requiredKeys: [] }
            )
          ),
        }),
        fc.record({ blueGreen: maybe(fc.record({ activeService: maybe(fc.string()) }, { requiredKeys: [] })) })
      )
    ),
  },
  { requiredKeys: [] }
);

const rolloutStatus = fc.record(
  {
    phase: maybe(phase),
    message: maybe(fc.string({ maxLength: 8 })),
    observedGeneration: maybe(fc.constantFrom('0', '1', '2', 'abc')),
    currentPodHash: maybe(fc.constantFrom('aaa', 'bbb')),
    stableRS: maybe(fc.constantFrom('aaa', 'bbb')),
    currentStepIndex: maybe(fc.integer({ min: -2, max: 9 })),
    abort: maybe(fc.boolean()),
    abortedAt: maybe(time),
    controllerPause: maybe(fc.boolean()),
    replicas: maybe(fc.integer({ min: 0, max: 10 })),
    readyReplicas: maybe(fc.integer({ min: 0, max: 10 })),
    availableReplicas: maybe(fc.integer({ min: 0, max: 10 })),
    updatedReplicas: maybe(fc.integer({ min: 0, max: 10 })),
    pauseConditions: maybe(
      fc.array(maybe(fc.record({ reason: maybe(fc.string()), startTime: maybe(time) }, { requiredKeys: [] })), {
        maxLength: 2,
      })
    ),
    conditions: maybe(fc.array(maybe(condition), { maxLength: 3 })),
    canary: maybe(
      fc.record(
        {
          weights: maybe(fc.record({ canary: maybe(fc.record({ weight: maybe(fc.integer({ min: 0, max: 100 })) })) })),
        },
        { requiredKeys: [] }
      )
    ),
    blueGreen: maybe(fc.record({ activeSelector: maybe(fc.constantFrom('aaa', 'bbb')) }, { requiredKeys: [] })),
  },
  { requiredKeys: [] }
);

/** Any JSON value, or nothing at all, where a list item should be an object. */
const notAnObject = fc.oneof(
  fc.constant(null),
  fc.constant(undefined),
  fc.integer(),
  fc.string({ maxLength: 4 }),
  fc.array(anyJson, { maxLength: 2 })
);

function listOf(object: fc.Arbitrary<unknown>): fc.Arbitrary<unknown[]> {
  return fc.array(fc.oneof({ weight: 6, arbitrary: object }, { weight: 1, arbitrary: notAnObject }), { maxLength: 8 });
}

export const rolloutObject = fc.record(
  { kind: fc.constant('Rollout'), metadata: maybe(metadata), spec: maybe(rolloutSpec), status: maybe(rolloutStatus) },
  { requiredKeys: [] }
);

export const replicaSetObject = fc.record(
  {
    metadata: maybe(metadata),
    spec: maybe(
      fc.record({ replicas: maybe(fc.integer({ min: 0, max: 5 })), template: podTemplate }, { requiredKeys: [] })
    ),
    status: maybe(
      fc.record({ replicas: maybe(fc.integer()), availableReplicas: maybe(fc.integer()) }, { requiredKeys: [] })
    ),
  },
  { requiredKeys: [] }
);

const measurement = fc.record(
  { phase: maybe(phase), finishedAt: maybe(time), value: maybe(fc.string()) },
  { requiredKeys: [] }
);
const metricResult = fc.record(
  {
    name: maybe(fc.constantFrom('error-rate', 'latency')),
    phase: maybe(phase),
    message: maybe(fc.string({ maxLength: 8 })),
    measurements: maybe(fc.array(maybe(measurement), { maxLength: 3 })),
  },
  { requiredKeys: [] }
);

export const analysisRunObject = fc.record(
  {
    metadata: maybe(metadata),
    spec: maybe(fc.record({ terminate: maybe(fc.boolean()) }, { requiredKeys: [] })),
    status: maybe(
      fc.record(
        {
          phase: maybe(phase),
          message: maybe(fc.string({ maxLength: 8 })),
          startedAt: maybe(time),
          completedAt: maybe(time),
          metricResults: maybe(fc.array(maybe(metricResult), { maxLength: 3 })),
        },
        { requiredKeys: [] }
      )
    ),
  },
  { requiredKeys: [] }
);

export const experimentObject = fc.record(
  { metadata: maybe(metadata), status: maybe(fc.record({ phase: maybe(phase) }, { requiredKeys: [] })) },
  { requiredKeys: [] }
);

export const eventObject = fc.record(
  {
    metadata: maybe(metadata),
    involvedObject: maybe(
      fc.record(
        {
          apiVersion: maybe(fc.constantFrom('argoproj.io/v1alpha1', 'apps/v1', '')),
          kind: maybe(fc.constantFrom('Rollout', 'AnalysisRun', 'Experiment', 'ReplicaSet')),
          name: maybe(name),
          namespace: maybe(namespace),
          uid: maybe(uid),
        },
        { requiredKeys: [] }
      )
    ),
    reason: maybe(
      fc.constantFrom('RolloutUpdated', 'RolloutAborted', 'AnalysisRunFailed', 'RolloutStepCompleted', 'Unknown')
    ),
    message: maybe(
      fc.oneof(
        fc.constantFrom('Rollout updated to revision 2', '(combined from similar events): x'),
        fc.string({ maxLength: 8 })
      )
    ),
    type: maybe(fc.constantFrom('Normal', 'Warning')),
    count: maybe(fc.integer({ min: -1, max: 5 })),
    firstTimestamp: maybe(time),
    lastTimestamp: maybe(time),
    eventTime: maybe(time),
    series: maybe(fc.record({ count: maybe(fc.integer()), lastObservedTime: maybe(time) }, { requiredKeys: [] })),
  },
  { requiredKeys: [] }
);

/** Lists as a cluster could return them, in the worst case. */
export const clusterLists = fc.record({
  rollouts: listOf(rolloutObject),
  replicaSets: listOf(replicaSetObject),
  analysisRuns: listOf(analysisRunObject),
  experiments: listOf(experimentObject),
  events: listOf(eventObject),
});
