import type { Draft, DraftEntry } from './draft';
import type { NormalizedEvent } from './events';
import { entryId } from './hash';
import {
  analysisMoment,
  experimentAnalysisMoment,
  experimentMoment,
  stepCompletedMoment,
  stepPluginMoment,
} from './moments';
import { formatTime, isRecord } from './parse';
import {
  analysisInMessage,
  classifyReason,
  COMPLETED_PHASES,
  experimentCreatedName,
  outcomeOfPhase,
  stepInMessage,
  stepPluginTransitionIn,
} from './reasons';
import { stepOfKind } from './steps';
import type { AnalysisInfo, StepInfo, Strategy } from './types';

const PHASE_AT_END = /(Pending|Running|Successful|Failed|Error|Inconclusive)$/;
const EXPERIMENT_PHASE_REASON = /^Experiment(Pending|Running|Successful|Failed|Error|Inconclusive)$/;

/** The Rollout an Event belongs to. */
export interface EventOwner {
  rollout: string;
  strategy?: Strategy;
  /** Canary steps of the Rollout's spec, to tell the weight at a step that is not a setWeight. */
  steps?: unknown[];
}

/** Weight in force at a 1-based step: the last setWeight at or before it, when the spec still has that many steps. */
function weightFromSpec(step: StepInfo, steps: unknown[] | undefined): number | undefined {
  if (!steps || steps.length !== step.total) {
    return undefined;
  }
  for (let i = Math.min(step.index, steps.length) - 1; i >= 0; i--) {
    const s = steps[i];
    if (isRecord(s) && typeof s.setWeight === 'number') {
      return s.setWeight;
    }
  }
  return undefined;
}

function derivationOf(event: NormalizedEvent): string {
  const when =
    event.count > 1
      ? `${event.reason} Event seen ${event.count} times, first at ${formatTime(event.firstTime)}, last at ${formatTime(
          event.lastTime
        )}; shown at the last`
      : `time from the ${event.reason} Event`;
  return event.aggregated
    ? `${when}; the event recorder combined similar messages into this one and kept only the latest`
    : when;
}

/** Steps whose completion the span of their run also reports (same category: one fact, one entry). */
const RUN_STEP = /^(?:plugin: |experiment$)/;

/**
 * The step a `StepPluginTransition` Event is about, and the fact it reports of it: the start or result of its Run,
 * or the result of a Terminate or Abort. A Run's `Error` is retried, no result: it is no fact a span reports.
 */
function stepPluginFacts(message: string, steps: unknown[] | undefined): { step?: StepInfo; revisionMoment?: string } {
  const transition = stepPluginTransitionIn(message);
  if (!transition) {
    return {};
  }
  const { step: number, operation, phase, name } = transition;
  const known = stepOfKind(steps, number - 1, 'plugin');
  const step = known?.description === `plugin: ${name}` ? known : undefined;
  if (operation !== 'Run') {
    return { step, revisionMoment: stepPluginMoment(number, operation, 'result') };
  }
  if (phase === 'Running') {
    return { step, revisionMoment: stepPluginMoment(number, 'Run', 'start') };
  }
  return { step, revisionMoment: phase === 'Error' ? undefined : stepPluginMoment(number, 'Run', 'result') };
}

/** A point for one (deduplicated) Event of that Rollout, about that revision when it is known. */
export function eventPoint(
  event: NormalizedEvent,
  owner: EventOwner,
  revision: number | undefined,
  cluster: string
): Draft {
  const info = classifyReason(event.reason, event.type, event.message);
  let step = event.reason === 'RolloutStepCompleted' ? stepInMessage(event.message) : undefined;
  if (step && step.weight === undefined) {
    const weight = weightFromSpec(step, owner.steps);
    step = weight !== undefined ? { ...step, weight } : step;
  }
  const parsed = info.category === 'analysis' ? analysisInMessage(event.message) : undefined;
  let analysis: AnalysisInfo | undefined;
  let outcome = info.outcome;
  let momentKey: string | undefined;
  let revisionMoment: string | undefined;
  let mergeRank = 0;
  const experimentPhase =
    event.involvedKind === 'Experiment' ? EXPERIMENT_PHASE_REASON.exec(event.reason)?.[1] : undefined;
  if (parsed) {
    // An AnalysisRun's own Events are about it; the others name it in the message.
    const name = parsed.name ?? event.involvedName;
    const phase = parsed.phase ?? PHASE_AT_END.exec(event.reason)?.[1] ?? '';
    analysis = {
      name,
      phase,
      type: parsed.type,
      failingMetric:
        parsed.metric && (phase === 'Failed' || phase === 'Error' || phase === 'Inconclusive')
          ? parsed.metric
          : undefined,
      message: parsed.detail,
    };
    outcome = outcomeOfPhase(phase) ?? outcome;
    if (phase) {
      // The Rollout, the AnalysisRun and its metrics each report its start or result: one fact each. The
      // analyses of an Experiment are named by their analysis name, on the Experiment and on its Rollout.
      const fact = COMPLETED_PHASES.has(phase) ? 'result' : 'start';
      if (parsed.type === 'Experiment') {
        momentKey = experimentAnalysisMoment(name, fact);
        mergeRank = event.involvedKind === 'Experiment' ? 0 : 1;
      } else {
        momentKey = analysisMoment(name, fact);
        mergeRank = event.involvedKind === 'Rollout' ? 0 : parsed.metric ? 2 : 1;
      }
    }
  } else if (experimentPhase !== undefined) {
    momentKey = experimentMoment(event.involvedName, COMPLETED_PHASES.has(experimentPhase) ? 'result' : 'start');
  } else if (event.reason === 'ExperimentCreated') {
    const name = experimentCreatedName(event.message);
    momentKey = name !== undefined ? experimentMoment(name, 'start') : undefined;
  } else if (info.moment === 'aborted' || info.moment === 'completed' || info.moment === 'resumed') {
    revisionMoment = info.moment;
  } else if (event.reason === 'SkipSteps') {
    revisionMoment = 'rollback';
  } else if (event.reason === 'StepPluginTransition') {
    const facts = stepPluginFacts(event.message, owner.steps);
    step = facts.step;
    revisionMoment = facts.revisionMoment;
  } else if (step && RUN_STEP.test(step.description ?? '')) {
    revisionMoment = stepCompletedMoment(step.index);
  }
  const entry: DraftEntry = {
    id: entryId(cluster, 'event', event.key),
    kind: 'point',
    time: event.lastTime,
    timeEnd: event.lastTime,
    namespace: event.namespace,
    rollout: owner.rollout,
    revision,
    strategy: owner.strategy,
    category: info.category,
    reason: event.reason,
    outcome,
    precision: 'exact',
    derivation: derivationOf(event),
    message: event.message || event.reason,
    count: event.count,
    firstTime: event.firstTime,
    lastTime: event.lastTime,
    aggregated: event.aggregated || undefined,
    warning: event.type === 'Warning' || undefined,
    chatter: !info.significant || undefined,
    step,
    analysis,
    sources: [{ kind: 'Event', namespace: event.namespace, name: event.name ?? event.reason, uid: event.uid }],
  };
  return { entry, momentKey, revisionMoment, mergeRank };
}
