import { type Draft, type DraftEntry, openEnd } from './draft';
import { entryId } from './hash';
import { revisionMomentKey, stepCompletedMoment, stepPluginMoment } from './moments';
import type { RolloutView, StepPluginView } from './objects';
import { formatTime } from './parse';
import { stepPluginOutcome } from './reasons';
import { stepOfKind } from './steps';
import type { Outcome } from './types';

/** The reason of every plugin step entry: the reason of the Events the controller records about plugin steps. */
const REASON = 'StepPluginTransition';

/** `Step plugin <name> (step <n>)`, as the controller's Events name a plugin step. */
const subject = (status: StepPluginView) => `Step plugin ${status.name} (step ${status.index + 1})`;

/** The words of the controller's Events for an operation that ended: `aborted (Successful)`. */
const ended = (operation: StepPluginView) =>
  `${operation.operation === 'Abort' ? 'aborted' : 'terminated'} (${operation.phase ?? 'unknown'})`;

/** The end of a Run that another operation ended, or undefined. */
function endedBy(run: StepPluginView, others: StepPluginView[]): StepPluginView | undefined {
  if (run.finishedAt !== undefined) {
    return undefined;
  }
  return others.find(
    (o) => o.index === run.index && o.name === run.name && (o.operation === 'Terminate' || o.operation === 'Abort')
  );
}

interface RunEnd {
  timeEnd: number;
  endText: string;
  outcome: Outcome;
  state: string;
  endUnknown?: true;
  endMoments?: string[];
}

/**
 * Where a Run ended and how: its own result (finishedAt), the Terminate or Abort that ended it while it ran, or
 * still running (open) while the update is on its step; else (the update was aborted while the plugin returned
 * errors, or went past the step, e.g. a promote that skipped it) its end is not recorded.
 */
function runEnd(
  run: StepPluginView,
  start: number,
  view: RolloutView,
  ender: StepPluginView | undefined,
  now: number
): RunEnd {
  const step = run.index + 1;
  const moment = (operation: string) => revisionMomentKey(stepPluginMoment(step, operation, 'result'), view.revision);
  if (run.finishedAt !== undefined && (run.phase === 'Successful' || run.phase === 'Failed')) {
    const succeeded = run.phase === 'Successful';
    return {
      timeEnd: run.finishedAt,
      endText: 'end from its finishedAt',
      outcome: succeeded ? 'succeeded' : 'failed',
      state: succeeded ? 'succeeded' : 'failed',
      // A successful Run completes its step: the controller records that as RolloutStepCompleted.
      endMoments: succeeded
        ? [moment('Run'), revisionMomentKey(stepCompletedMoment(step), view.revision)]
        : [moment('Run')],
    };
  }
  if (ender !== undefined) {
    const time = ender.finishedAt ?? ender.startedAt;
    if (time !== undefined) {
      return {
        timeEnd: time,
        endText: `end from the ${ender.operation} operation's ${ender.finishedAt !== undefined ? 'finishedAt' : 'startedAt'}`,
        outcome: stepPluginOutcome(ender.operation, undefined) ?? 'unknown',
        state: ended(ender),
        endMoments: [moment(ender.operation)],
      };
    }
  }
  const onThisStep = view.currentStepIndex === run.index && !view.abort;
  if (onThisStep) {
    return {
      timeEnd: openEnd(start, now),
      endText: 'running: open until now',
      outcome: 'inProgress',
      state: run.phase === 'Error' ? 'returned an error; retried' : 'running',
    };
  }
  const why = view.abort ? 'the update was aborted' : 'the update went past it';
  return {
    timeEnd: start,
    endText: `end not recorded (${why} while it ran)`,
    outcome: 'unknown',
    state: `${run.phase === 'Error' ? 'returned an error' : 'was running'} when ${why}`,
    endUnknown: true,
  };
}

function entryBase(view: RolloutView, status: StepPluginView, cluster: string) {
  return {
    id: entryId(cluster, 'stepplugin', view.namespace, view.name, view.revision, status.index, status.operation),
    namespace: view.namespace,
    rollout: view.name,
    revision: view.revision,
    strategy: view.strategy,
    category: 'steps' as const,
    reason: REASON,
    precision: 'exact' as const,
    step: stepOfKind(view.steps, status.index, 'plugin'),
    sources: [{ kind: 'Rollout', namespace: view.namespace, name: view.name, uid: view.uid }],
  };
}

/** `: <the plugin's message>` and how often the controller called it, when it did more than once. */
function details(status: StepPluginView): string {
  const message = status.message ? `: ${status.message}` : '';
  const calls = status.executions !== undefined && status.executions > 1 ? ` (called ${status.executions} times)` : '';
  return `${message}${calls}`;
}

/** One span for the Run of a plugin step; the Events that report its start and its end become part of it. */
function runSpan(
  view: RolloutView,
  run: StepPluginView,
  statuses: StepPluginView[],
  now: number,
  cluster: string
): Draft | undefined {
  const start = run.startedAt;
  if (start === undefined) {
    return undefined;
  }
  const end = runEnd(run, start, view, endedBy(run, statuses), now);
  const entry: DraftEntry = {
    ...entryBase(view, run, cluster),
    kind: 'region',
    span: 'stepPlugin',
    endUnknown: end.endUnknown,
    time: start,
    timeEnd: end.timeEnd,
    outcome: end.outcome,
    derivation: `start from the step plugin status's startedAt (${formatTime(start)}); ${end.endText}`,
    message: `${subject(run)} ${end.state}${details(run)}`,
  };
  return {
    entry,
    startMoments: [revisionMomentKey(stepPluginMoment(run.index + 1, 'Run', 'start'), view.revision)],
    endMoments: end.endMoments,
  };
}

/** One point for a Terminate or Abort that did not end a running Run (e.g. the abort of a step that succeeded). */
function operationPoint(view: RolloutView, operation: StepPluginView, cluster: string): Draft | undefined {
  const time = operation.finishedAt ?? operation.startedAt;
  if (time === undefined) {
    return undefined;
  }
  const entry: DraftEntry = {
    ...entryBase(view, operation, cluster),
    kind: 'point',
    time,
    timeEnd: time,
    outcome: stepPluginOutcome(operation.operation, operation.phase),
    derivation: `time from the step plugin status's ${operation.finishedAt !== undefined ? 'finishedAt' : 'startedAt'}`,
    message: `${subject(operation)} ${ended(operation)}${details(operation)}`,
  };
  return { entry, revisionMoment: stepPluginMoment(operation.index + 1, operation.operation, 'result'), mergeRank: 1 };
}

/**
 * The plugin steps of the Rollout's current update (Argo Rollouts v1.8), from `status.canary.stepPluginStatuses`:
 * a span per step's Run (start to its result, to the Terminate or Abort that ended it while it ran, or open while
 * it runs) and a point per Terminate or Abort of a step that had finished. Exact: the controller records each
 * time. Earlier updates' plugin steps are told only by their Events. A step whose plugin is disabled in the
 * controller's ConfigMap is skipped without a time, so it has no entry.
 */
export function stepPluginDrafts(view: RolloutView, now: number, cluster: string): Draft[] {
  const statuses = view.stepPlugins;
  const drafts: Draft[] = [];
  for (const status of statuses) {
    if (status.disabled) {
      continue;
    }
    let draft: Draft | undefined;
    if (status.operation === 'Run') {
      draft = runSpan(view, status, statuses, now, cluster);
    } else if (!statuses.some((run) => run.operation === 'Run' && endedBy(run, statuses) === status)) {
      draft = operationPoint(view, status, cluster);
    }
    if (draft) {
      drafts.push(draft);
    }
  }
  return drafts;
}
