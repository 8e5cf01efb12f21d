import type { Category, Outcome, StepInfo } from './types';

/** A moment the timeline can also reconstruct from object status; an Event and its reconstruction merge. */
export type Moment = 'revisionStart' | 'completed' | 'aborted' | 'paused' | 'resumed';

interface ReasonInfo {
  category: Category;
  outcome?: Outcome;
  moment?: Moment;
}

const TRAFFIC_REASONS = [
  'SwitchService',
  'TrafficWeightUpdated',
  'TargetGroupVerified',
  'PatchingALBIngress',
  'Updated VirtualService',
  'UpdatedVirtualService',
  'UpdatedDestinationRule',
  'CreatingCanaryIngress',
  'PatchingCanaryIngress',
  'TrafficSplitCreated',
  'TrafficSplitModified',
  'CanaryMappingWeightUpdate',
];

const ERROR_REASONS = [
  'ReplicaSetCreateError',
  'ReplicaSetUpdateError',
  'TrafficRoutingError',
  'WeightVerifyError',
  'TargetGroupUnverified',
  'TargetGroupVerifyError',
  'ReconciliationError',
  'LoadBalancerNotFound',
  'VirtualServiceNotFound',
  'DestinationRuleNotFound',
  'VirtualRouterNotFound',
  'VirtualNodeNotFound',
  'TrafficSplitNotCreated',
  'CanaryMappingUpdateError',
  'CanaryMappingCleanupError',
  'CanaryMappingCreationError',
  'AmbassadorMappingNotFound',
  'AmbassadorMappingConfigError',
  'ApisixRouteUpdateError',
  'ApisixRouteCreateError',
  'ApisixRouteDeleteError',
  'TraefikServiceUpdateError',
];

const FIXED: Record<string, ReasonInfo> = {
  RolloutAddedToInformer: { category: 'lifecycle' },
  RolloutDeleted: { category: 'lifecycle' },
  RolloutUpdated: { category: 'lifecycle', moment: 'revisionStart' },
  NewReplicaSetCreated: { category: 'lifecycle', moment: 'revisionStart' },
  RolloutNotCompleted: { category: 'lifecycle', moment: 'revisionStart' },
  ScalingReplicaSet: { category: 'lifecycle' },
  RolloutCompleted: { category: 'lifecycle', outcome: 'succeeded', moment: 'completed' },
  RolloutAborted: { category: 'lifecycle', outcome: 'aborted', moment: 'aborted' },
  SkipSteps: { category: 'lifecycle', outcome: 'rolledBack' },
  RolloutPaused: { category: 'steps', moment: 'paused' },
  RolloutResumed: { category: 'steps', moment: 'resumed' },
  RolloutStepCompleted: { category: 'steps' },
  ExperimentCreated: { category: 'steps' },
  AnalysisRunTerminating: { category: 'analysis' },
  ...Object.fromEntries(TRAFFIC_REASONS.map((r) => [r, { category: 'traffic' as const }])),
  ...Object.fromEntries(ERROR_REASONS.map((r) => [r, { category: 'errors' as const, outcome: 'failed' as const }])),
};

/** Outcome of an Argo phase (AnalysisRun, metric, Experiment, template or step plugin). */
export function outcomeOfPhase(phase: string | undefined): Outcome | undefined {
  switch (phase) {
    case 'Successful':
      return 'succeeded';
    case 'Failed':
    case 'Error':
      return 'failed';
    case 'Inconclusive':
      return 'unknown';
    case 'Running':
    case 'Pending':
    case 'Progressing':
      return 'inProgress';
    default:
      return undefined;
  }
}

const PHASE_REASON =
  /^(AnalysisRun|Metric|Experiment|Template)(Pending|Running|Successful|Failed|Error|Inconclusive|Progressing)$/;

/** Category and outcome of an event reason; unknown reasons become generic entries. */
export function classifyReason(reason: string, type: string | undefined, message: string): ReasonInfo {
  const fixed = FIXED[reason];
  if (fixed) {
    return fixed;
  }
  const phased = PHASE_REASON.exec(reason);
  if (phased) {
    const category: Category = phased[1] === 'AnalysisRun' || phased[1] === 'Metric' ? 'analysis' : 'steps';
    return { category, outcome: outcomeOfPhase(phased[2]) };
  }
  if (reason === 'StepPluginTransition') {
    const phase = /transitioned to (\w+)/.exec(message)?.[1];
    return { category: 'steps', outcome: type === 'Warning' ? 'failed' : outcomeOfPhase(phase) };
  }
  return { category: type === 'Warning' ? 'errors' : 'lifecycle' };
}

/** The revision a Rollout event's message names, if any (`… revision 3 …`). */
export function revisionInMessage(message: string): number | undefined {
  const match = /\brevision (\d{1,9})\b/.exec(message);
  return match ? Number(match[1]) : undefined;
}

/** `Rollout step 2/4 completed (setWeight: 50)` -> step 2 of 4, weight 50. */
export function stepInMessage(message: string): StepInfo | undefined {
  const match = /Rollout step (\d+)\/(\d+) completed \((.*)\)\s*$/.exec(message);
  if (!match) {
    return undefined;
  }
  const index = Number(match[1]);
  const total = Number(match[2]);
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(total)) {
    return undefined;
  }
  const weight = /^setWeight: (\d+)/.exec(match[3])?.[1];
  return { index, total, description: match[3], weight: weight !== undefined ? Number(weight) : undefined };
}

export interface AnalysisEventInfo {
  /** The AnalysisRun object name, or the analysis name for events forwarded from an Experiment. */
  name?: string;
  type?: string;
  phase?: string;
  previousPhase?: string;
  metric?: string;
  detail?: string;
}

/** What the analysis event messages of §1.2-1.4 say: run, type, new and previous phase, metric. */
export function analysisInMessage(message: string): AnalysisEventInfo | undefined {
  let match = /^(\w+) Analysis Run '([^']+)' Status New: '([^']*)' Previous: '([^']*)'/.exec(message);
  if (match) {
    return { type: match[1], name: match[2], phase: match[3], previousPhase: match[4] };
  }
  match = /^AnalysisRun '([^']+)' transitioned from (\S*) -> (\w+)(?:: (.*))?$/.exec(message);
  if (match) {
    return { type: 'Experiment', name: match[1], previousPhase: match[2], phase: match[3], detail: match[4] };
  }
  match = /^Analysis Completed\. Result: (\w+)/.exec(message);
  if (match) {
    return { phase: match[1] };
  }
  match = /^Metric '([^']+)' Completed\. Result: (\w+)/.exec(message);
  if (match) {
    return { metric: match[1], phase: match[2] };
  }
  return undefined;
}

/** `Rollout is paused (CanaryPauseStep)` -> `CanaryPauseStep`. */
export function pauseReasonInMessage(message: string): string | undefined {
  return /Rollout is paused \((\w+)\)/.exec(message)?.[1];
}

/** The reason text at the end of a RolloutCompleted message, e.g. `Full promotion requested`. */
export function completionReasonInMessage(message: string): string | undefined {
  return /completed update to revision \d+ \([^)]*\): (.+)$/.exec(message)?.[1];
}

export const AGGREGATED_PREFIX = '(combined from similar events): ';
