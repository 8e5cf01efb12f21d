import {
  ANNOTATION_REVISION,
  ANNOTATION_REVISION_HISTORY,
  LABEL_POD_TEMPLATE_HASH,
  LABEL_ROLLOUT_TYPE,
  LABEL_STEP_INDEX,
} from './argo';
import { array, isRecord, parsePositiveInt, parseTime, str, stringMap } from './parse';
import type { Strategy } from './types';

/** Plain, validated views of the objects the timeline reads. Parsers return undefined for unusable objects. */

export interface ConditionView {
  type: string;
  status?: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: number;
}

export interface RolloutView {
  namespace: string;
  name: string;
  uid?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  revision?: number;
  strategy?: Strategy;
  steps: unknown[];
  specPaused: boolean;
  phase?: string;
  statusMessage?: string;
  abort: boolean;
  abortedAt?: number;
  pauseConditions: Array<{ reason?: string; startTime?: number }>;
  currentPodHash?: string;
  stableRS?: string;
  conditions: ConditionView[];
  restartedAt?: number;
  duration?: { startedAt?: number; finishedAt?: number; completionStatus?: string };
}

export interface ReplicaSetView {
  namespace: string;
  name: string;
  uid?: string;
  rollout: string;
  hash?: string;
  revision?: number;
  /** Earlier revisions this ReplicaSet served before a rollback reused it. */
  history: number[];
  created?: number;
  images: string[];
}

export interface AnalysisRunView {
  namespace: string;
  name: string;
  uid?: string;
  rollout?: string;
  experiment?: string;
  revision?: number;
  type?: string;
  /** 0-based index of the canary step that started a Step analysis. */
  stepIndex?: number;
  phase?: string;
  message?: string;
  created?: number;
  startedAt?: number;
  completedAt?: number;
  lastMeasurementAt?: number;
  failingMetric?: { name: string; message?: string };
  terminated: boolean;
}

export interface ExperimentView {
  namespace: string;
  name: string;
  uid?: string;
  rollout?: string;
  revision?: number;
  phase?: string;
  message?: string;
  created?: number;
  completedAt?: number;
}

interface Meta {
  namespace: string;
  name: string;
  uid?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  created?: number;
  owners: Array<{ kind?: string; name?: string }>;
}

function meta(obj: unknown): Meta | undefined {
  if (!isRecord(obj) || !isRecord(obj.metadata)) {
    return undefined;
  }
  const m = obj.metadata;
  const name = str(m.name);
  if (!name) {
    return undefined;
  }
  return {
    namespace: str(m.namespace) ?? '',
    name,
    uid: str(m.uid),
    labels: stringMap(m.labels),
    annotations: stringMap(m.annotations),
    created: parseTime(m.creationTimestamp),
    owners: array(m.ownerReferences)
      .filter(isRecord)
      .map((o) => ({ kind: str(o.kind), name: str(o.name) })),
  };
}

function ownerName(m: Meta, kind: string): string | undefined {
  return m.owners.find((o) => o.kind === kind)?.name;
}

function record(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

function conditions(value: unknown): ConditionView[] {
  return array(value)
    .filter(isRecord)
    .flatMap((c) => {
      const type = str(c.type);
      return type
        ? [
            {
              type,
              status: str(c.status),
              reason: str(c.reason),
              message: str(c.message),
              lastTransitionTime: parseTime(c.lastTransitionTime) ?? parseTime(c.lastUpdateTime),
            },
          ]
        : [];
    });
}

export function parseRollout(obj: unknown): RolloutView | undefined {
  const m = meta(obj);
  if (!m || !isRecord(obj)) {
    return undefined;
  }
  const spec = record(obj.spec);
  const status = record(obj.status);
  const strategySpec = record(spec.strategy);
  const strategy: Strategy | undefined = isRecord(strategySpec.canary)
    ? 'canary'
    : isRecord(strategySpec.blueGreen)
      ? 'blueGreen'
      : undefined;
  const duration = isRecord(status.duration)
    ? {
        startedAt: parseTime(status.duration.rolloutStartedAt),
        finishedAt: parseTime(status.duration.finishedAt),
        completionStatus: str(status.duration.completionStatus),
      }
    : undefined;
  return {
    namespace: m.namespace,
    name: m.name,
    uid: m.uid,
    labels: m.labels,
    annotations: m.annotations,
    revision: parsePositiveInt(m.annotations[ANNOTATION_REVISION]),
    strategy,
    steps: array(record(strategySpec.canary).steps),
    specPaused: spec.paused === true,
    phase: str(status.phase),
    statusMessage: str(status.message),
    abort: status.abort === true,
    abortedAt: parseTime(status.abortedAt),
    pauseConditions: array(status.pauseConditions)
      .filter(isRecord)
      .map((p) => ({ reason: str(p.reason), startTime: parseTime(p.startTime) })),
    currentPodHash: str(status.currentPodHash),
    stableRS: str(status.stableRS),
    conditions: conditions(status.conditions),
    restartedAt: parseTime(status.restartedAt),
    duration,
  };
}

function images(template: unknown): string[] {
  const podSpec = record(record(template).spec);
  return [...array(podSpec.initContainers), ...array(podSpec.containers)]
    .filter(isRecord)
    .flatMap((c) => {
      const image = str(c.image);
      return image ? [image] : [];
    })
    .filter((image, i, all) => all.indexOf(image) === i);
}

function revisionHistory(value: string | undefined): number[] {
  return (value ?? '')
    .split(',')
    .map((part) => parsePositiveInt(part.trim()))
    .filter((n): n is number => n !== undefined);
}

/** A ReplicaSet of a Rollout (not of an Experiment); undefined for anything else. */
export function parseReplicaSet(obj: unknown): ReplicaSetView | undefined {
  const m = meta(obj);
  if (!m || !isRecord(obj)) {
    return undefined;
  }
  const rollout = ownerName(m, 'Rollout');
  if (!rollout) {
    return undefined;
  }
  return {
    namespace: m.namespace,
    name: m.name,
    uid: m.uid,
    rollout,
    hash: m.labels[LABEL_POD_TEMPLATE_HASH],
    revision: parsePositiveInt(m.annotations[ANNOTATION_REVISION]),
    history: revisionHistory(m.annotations[ANNOTATION_REVISION_HISTORY]),
    created: m.created,
    images: images(record(record(obj.spec).template)),
  };
}

function failingMetric(metricResults: unknown): { name: string; message?: string } | undefined {
  const results = array(metricResults).filter(isRecord);
  const rank = (phase: string | undefined) =>
    phase === 'Failed' ? 0 : phase === 'Error' ? 1 : phase === 'Inconclusive' ? 2 : 3;
  const failing = results
    .filter((r) => rank(str(r.phase)) < 3 && str(r.name))
    .sort((a, b) => rank(str(a.phase)) - rank(str(b.phase)))[0];
  if (!failing) {
    return undefined;
  }
  const measurements = array(failing.measurements).filter(isRecord);
  const lastMessage = measurements
    .map((x) => str(x.message))
    .filter(Boolean)
    .pop();
  return { name: str(failing.name) ?? '', message: str(failing.message) ?? lastMessage };
}

function lastMeasurementAt(metricResults: unknown): number | undefined {
  let last: number | undefined;
  for (const result of array(metricResults).filter(isRecord)) {
    for (const measurement of array(result.measurements).filter(isRecord)) {
      const t = parseTime(measurement.finishedAt);
      if (t !== undefined && (last === undefined || t > last)) {
        last = t;
      }
    }
  }
  return last;
}

export function parseAnalysisRun(obj: unknown): AnalysisRunView | undefined {
  const m = meta(obj);
  if (!m || !isRecord(obj)) {
    return undefined;
  }
  const status = record(obj.status);
  const stepIndex = m.labels[LABEL_STEP_INDEX];
  return {
    namespace: m.namespace,
    name: m.name,
    uid: m.uid,
    rollout: ownerName(m, 'Rollout'),
    experiment: ownerName(m, 'Experiment'),
    revision: parsePositiveInt(m.annotations[ANNOTATION_REVISION]),
    type: m.labels[LABEL_ROLLOUT_TYPE],
    stepIndex: stepIndex !== undefined && /^\d+$/.test(stepIndex) ? Number(stepIndex) : undefined,
    phase: str(status.phase),
    message: str(status.message),
    created: m.created,
    startedAt: parseTime(status.startedAt),
    completedAt: parseTime(status.completedAt),
    lastMeasurementAt: lastMeasurementAt(status.metricResults),
    failingMetric: failingMetric(status.metricResults),
    terminated: record(obj.spec).terminate === true,
  };
}

export function parseExperiment(obj: unknown): ExperimentView | undefined {
  const m = meta(obj);
  if (!m || !isRecord(obj)) {
    return undefined;
  }
  const status = record(obj.status);
  const completed = conditions(status.conditions).find(
    (c) => c.type === 'Progressing' && c.reason === 'ExperimentCompleted'
  );
  return {
    namespace: m.namespace,
    name: m.name,
    uid: m.uid,
    rollout: ownerName(m, 'Rollout'),
    revision: parsePositiveInt(m.annotations[ANNOTATION_REVISION]),
    phase: str(status.phase),
    message: str(status.message),
    created: m.created,
    completedAt: completed?.lastTransitionTime,
  };
}
