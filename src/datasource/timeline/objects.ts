import {
  ANNOTATION_REVISION,
  ANNOTATION_REVISION_HISTORY,
  LABEL_POD_TEMPLATE_HASH,
  LABEL_ROLLOUT_TYPE,
  LABEL_STEP_INDEX,
} from './argo';
import { array, isRecord, parsePositiveInt, parseTime, recordOrEmpty, str, stringAt, stringMap } from './parse';
import type { Strategy } from './types';

const DIGITS = /^\d+$/;

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
  /** 0-based index of the canary step in progress; the number of steps once all are done. */
  currentStepIndex?: number;
  conditions: ConditionView[];
  restartedAt?: number;
  duration?: { startedAt?: number; finishedAt?: number; completionStatus?: string };
  /** `status.canary.stepPluginStatuses`: the plugin steps of the current update (reset when a new one starts). */
  stepPlugins: StepPluginView[];
}

/** One operation of a plugin step, as `status.canary.stepPluginStatuses` records it. */
export interface StepPluginView {
  /** 0-based index of the step. */
  index: number;
  name: string;
  operation: string;
  phase?: string;
  message?: string;
  startedAt?: number;
  finishedAt?: number;
  executions?: number;
  disabled: boolean;
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
  /** 0-based index of the canary step that created it, from its name `<rollout>-<pod hash>-<revision>-<step>`. */
  stepIndex?: number;
  /** `status.analysisRuns`: the run of each of its analyses, by analysis name. */
  analysisRuns: Map<string, string>;
}

interface Meta {
  namespace: string;
  name: string;
  uid?: string;
  /** The label and annotation maps as found: read them with `stringAt` or copy them with `stringMap`. */
  labels: unknown;
  annotations: unknown;
  created?: number;
  ownerReferences: unknown;
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
    labels: m.labels,
    annotations: m.annotations,
    created: parseTime(m.creationTimestamp),
    ownerReferences: m.ownerReferences,
  };
}

/** The name of the first owner of that kind. */
function ownerName(m: Meta, kind: string): string | undefined {
  for (const owner of array(m.ownerReferences)) {
    if (isRecord(owner) && owner.kind === kind) {
      return str(owner.name);
    }
  }
  return undefined;
}

function conditions(value: unknown): ConditionView[] {
  const views: ConditionView[] = [];
  for (const c of array(value)) {
    if (!isRecord(c)) {
      continue;
    }
    const type = str(c.type);
    if (type) {
      views.push({
        type,
        status: str(c.status),
        reason: str(c.reason),
        message: str(c.message),
        lastTransitionTime: parseTime(c.lastTransitionTime) ?? parseTime(c.lastUpdateTime),
      });
    }
  }
  return views;
}

export function parseRollout(obj: unknown): RolloutView | undefined {
  const m = meta(obj);
  if (!m || !isRecord(obj)) {
    return undefined;
  }
  const spec = recordOrEmpty(obj.spec);
  const status = recordOrEmpty(obj.status);
  const strategySpec = recordOrEmpty(spec.strategy);
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
  const annotations = stringMap(m.annotations);
  return {
    namespace: m.namespace,
    name: m.name,
    uid: m.uid,
    labels: stringMap(m.labels),
    annotations,
    revision: parsePositiveInt(annotations[ANNOTATION_REVISION]),
    strategy,
    steps: array(recordOrEmpty(strategySpec.canary).steps),
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
    currentStepIndex:
      typeof status.currentStepIndex === 'number' && Number.isSafeInteger(status.currentStepIndex)
        ? status.currentStepIndex
        : undefined,
    conditions: conditions(status.conditions),
    restartedAt: parseTime(status.restartedAt),
    duration,
    stepPlugins: stepPluginStatuses(recordOrEmpty(status.canary).stepPluginStatuses),
  };
}

function stepPluginStatuses(value: unknown): StepPluginView[] {
  const views: StepPluginView[] = [];
  for (const s of array(value)) {
    if (!isRecord(s)) {
      continue;
    }
    const { index, executions } = s;
    const name = str(s.name);
    const operation = str(s.operation);
    if (typeof index !== 'number' || !Number.isSafeInteger(index) || index < 0 || !name || !operation) {
      continue;
    }
    views.push({
      index,
      name,
      operation,
      phase: str(s.phase),
      message: str(s.message),
      startedAt: parseTime(s.startedAt),
      finishedAt: parseTime(s.finishedAt),
      executions: typeof executions === 'number' && Number.isSafeInteger(executions) ? executions : undefined,
      disabled: s.disabled === true,
    });
  }
  return views;
}

function addImages(images: string[], containers: unknown): void {
  for (const c of array(containers)) {
    const image = isRecord(c) ? str(c.image) : undefined;
    if (image && !images.includes(image)) {
      images.push(image);
    }
  }
}

/** The images of the init containers and containers, each once. */
function images(template: unknown): string[] {
  const podSpec = recordOrEmpty(recordOrEmpty(template).spec);
  const found: string[] = [];
  addImages(found, podSpec.initContainers);
  addImages(found, podSpec.containers);
  return found;
}

function revisionHistory(value: string | undefined): number[] {
  if (!value) {
    return [];
  }
  return value
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
    hash: stringAt(m.labels, LABEL_POD_TEMPLATE_HASH),
    revision: parsePositiveInt(stringAt(m.annotations, ANNOTATION_REVISION)),
    history: revisionHistory(stringAt(m.annotations, ANNOTATION_REVISION_HISTORY)),
    created: m.created,
    images: images(recordOrEmpty(recordOrEmpty(obj.spec).template)),
  };
}

/** 0 for Failed, 1 for Error, 2 for Inconclusive, 3 for any other phase. */
function failureRank(phase: unknown): number {
  return phase === 'Failed' ? 0 : phase === 'Error' ? 1 : phase === 'Inconclusive' ? 2 : 3;
}

/** The first named metric of the worst failing phase, with its message or else its last measurement's. */
function failingMetric(metricResults: unknown): { name: string; message?: string } | undefined {
  let failing: Record<string, unknown> | undefined;
  let failingRank = 3;
  for (const r of array(metricResults)) {
    if (isRecord(r) && str(r.name)) {
      const rank = failureRank(r.phase);
      if (rank < failingRank) {
        failing = r;
        failingRank = rank;
      }
    }
  }
  if (!failing) {
    return undefined;
  }
  const measurements = array(failing.measurements);
  let lastMessage: string | undefined;
  for (let i = measurements.length - 1; i >= 0 && lastMessage === undefined; i--) {
    const measurement = measurements[i];
    lastMessage = isRecord(measurement) ? str(measurement.message) : undefined;
  }
  return { name: str(failing.name) ?? '', message: str(failing.message) ?? lastMessage };
}

function lastMeasurementAt(metricResults: unknown): number | undefined {
  let last: number | undefined;
  for (const result of array(metricResults)) {
    if (!isRecord(result)) {
      continue;
    }
    for (const measurement of array(result.measurements)) {
      if (!isRecord(measurement)) {
        continue;
      }
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
  const status = recordOrEmpty(obj.status);
  const stepIndex = stringAt(m.labels, LABEL_STEP_INDEX);
  return {
    namespace: m.namespace,
    name: m.name,
    uid: m.uid,
    rollout: ownerName(m, 'Rollout'),
    experiment: ownerName(m, 'Experiment'),
    revision: parsePositiveInt(stringAt(m.annotations, ANNOTATION_REVISION)),
    type: stringAt(m.labels, LABEL_ROLLOUT_TYPE),
    stepIndex: stepIndex !== undefined && DIGITS.test(stepIndex) ? Number(stepIndex) : undefined,
    phase: str(status.phase),
    message: str(status.message),
    created: m.created,
    startedAt: parseTime(status.startedAt),
    completedAt: parseTime(status.completedAt),
    lastMeasurementAt: lastMeasurementAt(status.metricResults),
    failingMetric: failingMetric(status.metricResults),
    terminated: recordOrEmpty(obj.spec).terminate === true,
  };
}

export function parseExperiment(obj: unknown): ExperimentView | undefined {
  const m = meta(obj);
  if (!m || !isRecord(obj)) {
    return undefined;
  }
  const status = recordOrEmpty(obj.status);
  const completed = conditions(status.conditions).find(
    (c) => c.type === 'Progressing' && c.reason === 'ExperimentCompleted'
  );
  const rollout = ownerName(m, 'Rollout');
  const revision = parsePositiveInt(stringAt(m.annotations, ANNOTATION_REVISION));
  return {
    namespace: m.namespace,
    name: m.name,
    uid: m.uid,
    rollout,
    revision,
    phase: str(status.phase),
    message: str(status.message),
    created: m.created,
    completedAt: completed?.lastTransitionTime,
    stepIndex: experimentStepIndex(m.name, rollout, stringAt(m.labels, LABEL_POD_TEMPLATE_HASH), revision),
    analysisRuns: experimentAnalysisRuns(status.analysisRuns),
  };
}

function experimentAnalysisRuns(value: unknown): Map<string, string> {
  const runs = new Map<string, string>();
  for (const entry of array(value)) {
    const name = isRecord(entry) ? str(entry.name) : undefined;
    const run = isRecord(entry) ? str(entry.analysisRun) : undefined;
    if (name !== undefined && run !== undefined) {
      runs.set(name, run);
    }
  }
  return runs;
}

/**
 * The step index in the name the controller gives an experiment step's Experiment,
 * `<rollout>-<pod hash>-<revision>-<step index>`, with `.<n>` appended when the name was taken (rollout/experiment.go).
 */
function experimentStepIndex(
  name: string,
  rollout: string | undefined,
  hash: string | undefined,
  revision: number | undefined
): number | undefined {
  if (rollout === undefined || hash === undefined || revision === undefined) {
    return undefined;
  }
  const prefix = `${rollout}-${hash}-${revision}-`;
  if (!name.startsWith(prefix)) {
    return undefined;
  }
  const suffix = name.slice(prefix.length);
  const dot = suffix.indexOf('.');
  const index = dot === -1 ? suffix : suffix.slice(0, dot);
  return DIGITS.test(index) && (dot === -1 || DIGITS.test(suffix.slice(dot + 1))) ? Number(index) : undefined;
}
