import type { ReplicaSet } from 'kubernetes-types/apps/v1';
import type { Event } from 'kubernetes-types/core/v1';
import type { AnalysisRun, CanaryStep, Rollout, StepPluginStatus } from '../../model/argo';
import type { TimelineInput } from '../types';

/** Small builders of the objects the controller writes, with the fields the timeline reads. */

export const NS = 'shop';
export const at = (hhmmss: string) => `2026-11-20T${hhmmss}Z`;
export const ms = (hhmmss: string) => Date.parse(at(hhmmss));

let sequence = 0;

export interface EventOptions {
  type?: 'Normal' | 'Warning';
  kind?: 'Rollout' | 'AnalysisRun' | 'Experiment' | 'Deployment' | 'Pod';
  object?: string;
  last?: string;
  count?: number;
  name?: string;
}

export function event(
  rollout: string,
  reason: string,
  message: string,
  first: string,
  options: EventOptions = {}
): Event {
  const object = options.object ?? rollout;
  const kind = options.kind ?? 'Rollout';
  sequence++;
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: options.name ?? `${object}.${(0x10000 + sequence).toString(16)}`, namespace: NS },
    involvedObject: {
      apiVersion: kind === 'Deployment' ? 'apps/v1' : kind === 'Pod' ? 'v1' : 'argoproj.io/v1alpha1',
      kind,
      name: object,
      namespace: NS,
    },
    reason,
    message,
    type: options.type ?? 'Normal',
    firstTimestamp: at(first),
    lastTimestamp: at(options.last ?? first),
    count: options.count ?? 1,
    source: { component: 'rollouts-controller' },
  };
}

export interface RolloutOptions {
  revision: number;
  currentPodHash: string;
  stableRS?: string;
  phase?: 'Healthy' | 'Progressing' | 'Paused' | 'Degraded';
  message?: string;
  abort?: boolean;
  abortedAt?: string;
  pauseConditions?: Array<{
    reason: 'CanaryPauseStep' | 'BlueGreenPause' | 'InconclusiveAnalysisRun';
    startTime: string;
  }>;
  conditions?: NonNullable<NonNullable<Rollout['status']>['conditions']>;
  steps?: CanaryStep[];
  currentStepIndex?: number;
  stepPluginStatuses?: StepPluginStatus[];
  blueGreen?: boolean;
  labels?: Record<string, string>;
}

export function rollout(name: string, o: RolloutOptions): Rollout {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: {
      name,
      namespace: NS,
      uid: `uid-${name}`,
      labels: o.labels,
      annotations: { 'rollout.argoproj.io/revision': String(o.revision) },
    },
    spec: {
      strategy: o.blueGreen ? { blueGreen: { activeService: name } } : { canary: { steps: o.steps ?? [] } },
    },
    status: {
      phase: o.phase,
      message: o.message,
      abort: o.abort,
      abortedAt: o.abortedAt ? at(o.abortedAt) : undefined,
      pauseConditions: o.pauseConditions?.map((p) => ({ reason: p.reason, startTime: at(p.startTime) })),
      currentPodHash: o.currentPodHash,
      stableRS: o.stableRS,
      currentStepIndex: o.currentStepIndex,
      conditions: o.conditions,
      canary: o.stepPluginStatuses ? { stepPluginStatuses: o.stepPluginStatuses } : undefined,
    },
  };
}

export function replicaSet(
  rolloutName: string,
  hash: string,
  revision: number,
  created: string,
  image: string,
  history: number[] = []
): ReplicaSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${rolloutName}-${hash}`,
      namespace: NS,
      uid: `uid-${rolloutName}-${hash}`,
      creationTimestamp: at(created),
      labels: { 'rollouts-pod-template-hash': hash },
      annotations: {
        'rollout.argoproj.io/revision': String(revision),
        ...(history.length ? { 'rollout.argoproj.io/revision-history': history.join(',') } : {}),
      },
      ownerReferences: [
        { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: rolloutName, uid: `uid-${rolloutName}` },
      ],
    },
    spec: {
      selector: { matchLabels: { 'rollouts-pod-template-hash': hash } },
      template: { spec: { containers: [{ name: 'app', image }] } },
    },
  };
}

export interface AnalysisRunOptions {
  revision: number;
  hash: string;
  type?: 'Step' | 'Background' | 'PrePromotion' | 'PostPromotion';
  phase: 'Running' | 'Successful' | 'Failed' | 'Error' | 'Inconclusive';
  startedAt: string;
  completedAt?: string;
  message?: string;
  metrics?: Array<{
    name: string;
    phase: 'Successful' | 'Failed' | 'Error' | 'Inconclusive' | 'Running';
    message?: string;
  }>;
}

export function analysisRun(rolloutName: string, name: string, o: AnalysisRunOptions): AnalysisRun {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisRun',
    metadata: {
      name,
      namespace: NS,
      uid: `uid-${name}`,
      labels: { 'rollouts-pod-template-hash': o.hash, 'rollout-type': o.type ?? 'Step' },
      annotations: { 'rollout.argoproj.io/revision': String(o.revision) },
      ownerReferences: [
        { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: rolloutName, uid: `uid-${rolloutName}` },
      ],
    },
    status: {
      phase: o.phase,
      message: o.message,
      startedAt: at(o.startedAt),
      completedAt: o.completedAt ? at(o.completedAt) : undefined,
      metricResults: o.metrics?.map((m) => ({ name: m.name, phase: m.phase, message: m.message })),
    },
  };
}

/** A timeline input over the whole test day, evaluated at noon. */
export function input(parts: Partial<TimelineInput>): TimelineInput {
  return {
    events: [],
    rollouts: [],
    replicaSets: [],
    analysisRuns: [],
    experiments: [],
    range: { from: ms('00:00:00'), to: ms('23:59:59') },
    now: ms('12:00:00'),
    cluster: 'prod-eu',
    ...parts,
  };
}
