import type { Category, Outcome, StepInfo } from './types';

/** A moment the timeline can also reconstruct from object status; an Event and its reconstruction merge. */
export type Moment = 'revisionStart' | 'completed' | 'aborted' | 'paused' | 'resumed';

interface ReasonInfo {
  category: Category;
  outcome?: Outcome;
  moment?: Moment;
  /** Shown at the significant detail level: see `isSignificantReason`. */
  significant: boolean;
}

/** Phases in which an AnalysisRun, metric or Experiment has completed. */
export const COMPLETED_PHASES: ReadonlySet<string> = new Set(['Successful', 'Failed', 'Error', 'Inconclusive']);

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

/**
 * The significant detail level (the default of new annotation queries) shows what a person looking at a dashboard
 * asks about a rollout: each change of its lifecycle (update, completion, abort, rollback, deletion), the result of
 * each step, analysis, experiment and step plugin, and every error. It leaves out the controller's chatter:
 * - its bookkeeping: `RolloutAddedToInformer` (each Rollout, at every start of the controller), and beside each
 *   `RolloutUpdated` the `NewReplicaSetCreated` and `RolloutNotCompleted` of the same moment;
 * - scaling: `ScalingReplicaSet`, one or two at every step;
 * - the traffic router's updates (`TrafficWeightUpdated`, `SwitchService`, router-specific reasons): the step that
 *   set the weight is shown;
 * - Events that only say a span began or ended, which its span already shows: `RolloutPaused`, `RolloutResumed`
 *   (the pause), `ExperimentCreated`, `AnalysisRunTerminating`, the `Pending`/`Running` phases of AnalysisRuns,
 *   metrics and Experiments, the `Progressing`/`Running`/`Successful` phases of an Experiment's templates, and a
 *   step plugin `transitioned to Running`.
 * Reasons this does not know are shown.
 */
const CHATTER_REASONS: ReadonlySet<string> = new Set([
  'RolloutAddedToInformer',
  'NewReplicaSetCreated',
  'RolloutNotCompleted',
  'ScalingReplicaSet',
  'RolloutPaused',
  'RolloutResumed',
  'ExperimentCreated',
  'AnalysisRunTerminating',
  ...TRAFFIC_REASONS,
]);

/** Whether an event reason (with its phase for phased reasons) is shown at the significant detail level. */
export function isSignificantReason(reason: string, phase?: string): boolean {
  if (reason === 'StepPluginTransition') {
    return phase !== 'Running';
  }
  if (phase === undefined) {
    return !CHATTER_REASONS.has(reason);
  }
  return reason.startsWith('Template') ? phase === 'Failed' || phase === 'Error' : COMPLETED_PHASES.has(phase);
}

const FIXED: Record<string, Omit<ReasonInfo, 'significant'>> = {
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

/** The fixed reasons with their detail level, made once: `classifyReason` runs for every Event. */
const FIXED_INFO: Record<string, ReasonInfo> = Object.fromEntries(
  Object.entries(FIXED).map(([reason, known]) => [reason, { ...known, significant: isSignificantReason(reason) }])
);

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

// Regular expressions used per Event are made once: a literal in a function makes a new object at each call.
const STEP_PLUGIN_TRANSITION =
  /^Step plugin (.+) \(step (\d+)\) (?:transitioned to (\w+)|(aborted|terminated) \((\w+)\))$/;
const STEP_COMPLETED = /Rollout step (\d+)\/(\d+) completed \((.*)\)\s*$/;
const SET_WEIGHT = /^setWeight: (\d+)/;
const ROLLOUT_ANALYSIS_STATUS = /^(\w+) Analysis Run '([^']+)' Status New: '([^']*)' Previous: '([^']*)'/;
const EXPERIMENT_ANALYSIS_TRANSITION = /^AnalysisRun '([^']+)' transitioned from (\S*) -> (\w+)(?:: (.*))?$/;
const ANALYSIS_COMPLETED = /^Analysis Completed\. Result: (\w+)/;
const METRIC_COMPLETED = /^Metric '([^']+)' Completed\. Result: (\w+)/;
const PAUSED = /Rollout is paused \((\w+)\)/;
const COMPLETION_REASON = /completed update to revision \d+ \([^)]*\): (.+)$/;
const EXPERIMENT_CREATED = /^Created Experiment '([^']+)'/;

const PHASE_REASON =
  /^(AnalysisRun|Metric|Experiment|Template)(Pending|Running|Successful|Failed|Error|Inconclusive|Progressing)$/;

/** Category and outcome of an event reason; unknown reasons become generic entries. */
export function classifyReason(reason: string, type: string | undefined, message: string): ReasonInfo {
  const fixed = Object.hasOwn(FIXED_INFO, reason) ? FIXED_INFO[reason] : undefined;
  if (fixed) {
    return fixed;
  }
  const phased = PHASE_REASON.exec(reason);
  if (phased) {
    const category: Category = phased[1] === 'AnalysisRun' || phased[1] === 'Metric' ? 'analysis' : 'steps';
    return { category, outcome: outcomeOfPhase(phased[2]), significant: isSignificantReason(reason, phased[2]) };
  }
  if (reason === 'StepPluginTransition') {
    const transition = stepPluginTransitionIn(message);
    return {
      category: 'steps',
      outcome: type === 'Warning' ? 'failed' : transition && stepPluginOutcome(transition.operation, transition.phase),
      significant: isSignificantReason(reason, transition?.operation === 'Run' ? transition.phase : ''),
    };
  }
  return { category: type === 'Warning' ? 'errors' : 'lifecycle', significant: true };
}

const REVISION_WORD = 'revision ';

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** A character of `\w`: ASCII letter, digit or underscore (NaN, past either end of the text, is none). */
function isWordChar(code: number): boolean {
  return isDigit(code) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
}

/**
 * The revision a Rollout event's message names, if any (`… revision 3 …`): what `/\brevision (\d{1,9})\b/` finds,
 * read without a regular expression (it runs for most Events, several times).
 */
export function revisionInMessage(message: string): number | undefined {
  for (let at = message.indexOf(REVISION_WORD); at >= 0; at = message.indexOf(REVISION_WORD, at + 1)) {
    if (isWordChar(message.charCodeAt(at - 1))) {
      continue;
    }
    let end = at + REVISION_WORD.length;
    let revision = 0;
    for (; isDigit(message.charCodeAt(end)); end++) {
      revision = revision * 10 + (message.charCodeAt(end) - 48);
    }
    const digits = end - at - REVISION_WORD.length;
    if (digits >= 1 && digits <= 9 && !isWordChar(message.charCodeAt(end))) {
      return revision;
    }
  }
  return undefined;
}

/** `Rollout step 2/4 completed (setWeight: 50)` -> step 2 of 4, weight 50. */
export function stepInMessage(message: string): StepInfo | undefined {
  const match = STEP_COMPLETED.exec(message);
  if (!match) {
    return undefined;
  }
  const index = Number(match[1]);
  const total = Number(match[2]);
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(total)) {
    return undefined;
  }
  const weight = SET_WEIGHT.exec(match[3])?.[1];
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
  let match = ROLLOUT_ANALYSIS_STATUS.exec(message);
  if (match) {
    return { type: match[1], name: match[2], phase: match[3], previousPhase: match[4] };
  }
  match = EXPERIMENT_ANALYSIS_TRANSITION.exec(message);
  if (match) {
    return { type: 'Experiment', name: match[1], previousPhase: match[2], phase: match[3], detail: match[4] };
  }
  match = ANALYSIS_COMPLETED.exec(message);
  if (match) {
    return { phase: match[1] };
  }
  match = METRIC_COMPLETED.exec(message);
  if (match) {
    return { metric: match[1], phase: match[2] };
  }
  return undefined;
}

/** What a `StepPluginTransition` Event says: which plugin step, which operation, which phase. */
export interface StepPluginTransitionInfo {
  name: string;
  /** 1-based number of the step. */
  step: number;
  operation: 'Run' | 'Abort' | 'Terminate';
  phase: string;
}

/**
 * `Step plugin <name> (step <n>) transitioned to <phase>` (the Run operation), `… aborted (<phase>)` or
 * `… terminated (<phase>)` (rollout/stepplugin.go).
 */
export function stepPluginTransitionIn(message: string): StepPluginTransitionInfo | undefined {
  const match = STEP_PLUGIN_TRANSITION.exec(message);
  if (!match) {
    return undefined;
  }
  const step = Number(match[2]);
  if (!Number.isSafeInteger(step)) {
    return undefined;
  }
  const operation = match[4] === 'aborted' ? 'Abort' : match[4] === 'terminated' ? 'Terminate' : 'Run';
  return { name: match[1], step, operation, phase: match[3] ?? match[5] };
}

/**
 * Outcome of a plugin step's operation: a failure or error fails; an abort aborts the step; a termination (the
 * update was fully promoted while the step ran) supersedes it; a run succeeds or is in progress by its phase.
 */
export function stepPluginOutcome(operation: string, phase: string | undefined): Outcome | undefined {
  if (phase === 'Failed' || phase === 'Error') {
    return 'failed';
  }
  if (operation === 'Abort') {
    return 'aborted';
  }
  if (operation === 'Terminate') {
    return 'superseded';
  }
  return outcomeOfPhase(phase);
}

/** `Rollout is paused (CanaryPauseStep)` -> `CanaryPauseStep`. */
export function pauseReasonInMessage(message: string): string | undefined {
  return PAUSED.exec(message)?.[1];
}

/** The reason text at the end of a RolloutCompleted message, e.g. `Full promotion requested`. */
export function completionReasonInMessage(message: string): string | undefined {
  return COMPLETION_REASON.exec(message)?.[1];
}

/** `Created Experiment 'web-6f9c-2-1'` -> `web-6f9c-2-1`. */
export function experimentCreatedName(message: string): string | undefined {
  return EXPERIMENT_CREATED.exec(message)?.[1];
}

export const AGGREGATED_PREFIX = '(combined from similar events): ';
