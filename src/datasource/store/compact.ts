import type { ReplicaSet } from 'kubernetes-types/apps/v1';
import type { Event } from 'kubernetes-types/core/v1';

import type { AnalysisRun, Experiment, Rollout } from '../model/argo';
import type { StringPool } from './stringPool';

/**
 * Compact views of the objects the data source keeps between refreshes: the same shapes as the API server's, with
 * only the fields the timeline and the tables read. What is left out is most of an object's bytes: managed fields,
 * the pod template beyond its containers' names and images, metric provider configurations and measured values,
 * and the last-applied configuration kubectl writes into an annotation.
 *
 * A shape says what to keep of a value: `true` keeps it as it is, `SHARED` keeps a string as the store's one
 * instance of it (see `StringPool`: for values many objects repeat), an object keeps those fields of an object, a
 * one-element array applies its shape to every item of an array, a function makes the kept value itself. A value
 * that is not what its shape expects (a string where an object belongs) is kept as it is, so that the tables still
 * see, and report, a malformed object.
 */
type Shape =
  true | typeof SHARED | { readonly [field: string]: Shape } | readonly [Shape] | ((value: unknown) => unknown);

const SHARED = 'shared';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function keep(value: unknown, shape: Shape, strings: StringPool | undefined): unknown {
  if (shape === true) {
    return value;
  }
  if (shape === SHARED) {
    return typeof value === 'string' && strings ? strings.share(value) : value;
  }
  if (typeof shape === 'function') {
    return shape(value);
  }
  if (Array.isArray(shape)) {
    return Array.isArray(value) ? value.map((item) => keep(item, shape[0], strings)) : value;
  }
  if (!isPlainObject(value)) {
    return value;
  }
  const kept: Record<string, unknown> = {};
  const fields = shape as { readonly [field: string]: Shape };
  for (const field in fields) {
    const fieldValue = value[field];
    if (fieldValue !== undefined) {
      kept[field] = keep(fieldValue, fields[field], strings);
    }
  }
  return kept;
}

/** kubectl's copy of the whole object as last applied: as large as the object, and read by nothing here. */
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

function withoutLastApplied(annotations: unknown): unknown {
  if (!isPlainObject(annotations) || !(LAST_APPLIED in annotations)) {
    return annotations;
  }
  const rest = { ...annotations };
  delete rest[LAST_APPLIED];
  return rest;
}

const METADATA: Shape = {
  name: true,
  namespace: SHARED,
  uid: true,
  resourceVersion: true,
  generation: true,
  creationTimestamp: SHARED,
  deletionTimestamp: SHARED,
  labels: true,
  annotations: withoutLastApplied,
  ownerReferences: [{ apiVersion: SHARED, kind: SHARED, name: SHARED, uid: SHARED, controller: true }],
};

/** The images are what the timeline and the rollouts table read of a pod template. */
const CONTAINERS: Shape = [{ image: SHARED }];
const POD_TEMPLATE: Shape = { spec: { containers: CONTAINERS, initContainers: CONTAINERS } };

const ROLLOUT_SHAPE: Shape = {
  metadata: METADATA,
  spec: {
    replicas: true,
    selector: true,
    template: POD_TEMPLATE,
    workloadRef: true,
    strategy: true,
    revisionHistoryLimit: true,
    paused: true,
    restartAt: true,
    progressDeadlineSeconds: true,
  },
  status: true,
};

const REPLICA_SET_SHAPE: Shape = {
  metadata: METADATA,
  spec: { replicas: true, template: POD_TEMPLATE },
  status: true,
};

const MEASUREMENT: Shape = { phase: SHARED, message: true, startedAt: SHARED, finishedAt: SHARED };

const ANALYSIS_RUN_SHAPE: Shape = {
  metadata: METADATA,
  spec: { terminate: true },
  status: {
    phase: SHARED,
    message: true,
    startedAt: SHARED,
    completedAt: SHARED,
    runSummary: true,
    dryRunSummary: true,
    metricResults: [
      {
        name: SHARED,
        phase: SHARED,
        message: true,
        count: true,
        successful: true,
        failed: true,
        inconclusive: true,
        error: true,
        consecutiveError: true,
        dryRun: true,
        measurements: [MEASUREMENT],
      },
    ],
  },
};

const EXPERIMENT_SHAPE: Shape = {
  metadata: METADATA,
  spec: { duration: true, terminate: true, templates: [{ name: true, replicas: true }], analyses: true },
  status: true,
};

const INVOLVED_OBJECT: Shape = { apiVersion: SHARED, kind: SHARED, name: SHARED, namespace: SHARED, uid: SHARED };

/** core/v1 Events, with the events.k8s.io/v1 names of the same fields (`regarding`, `note`, `deprecated*`). */
const EVENT_SHAPE: Shape = {
  metadata: METADATA,
  involvedObject: INVOLVED_OBJECT,
  regarding: INVOLVED_OBJECT,
  reason: SHARED,
  message: true,
  note: true,
  type: SHARED,
  count: true,
  deprecatedCount: true,
  firstTimestamp: SHARED,
  lastTimestamp: SHARED,
  deprecatedFirstTimestamp: SHARED,
  deprecatedLastTimestamp: SHARED,
  eventTime: SHARED,
  series: true,
};

/**
 * The compact view of one object, or undefined for an item that is no object. With `strings` (the store's pool), the
 * values many objects repeat are kept once.
 */
function compactor<T>(shape: Shape): (item: unknown, strings?: StringPool) => T | undefined {
  return (item, strings) => (isPlainObject(item) ? (keep(item, shape, strings) as T) : undefined);
}

export const compactRollout = compactor<Rollout>(ROLLOUT_SHAPE);
export const compactReplicaSet = compactor<ReplicaSet>(REPLICA_SET_SHAPE);
export const compactAnalysisRun = compactor<AnalysisRun>(ANALYSIS_RUN_SHAPE);
export const compactExperiment = compactor<Experiment>(EXPERIMENT_SHAPE);
export const compactEvent = compactor<Event>(EVENT_SHAPE);
