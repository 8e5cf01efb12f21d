import { type Attempt, attemptOutcome } from './attempt';
import type { Draft } from './draft';
import { entryId } from './hash';
import { isSignificantReason } from './reasons';
import type { RolloutView } from './objects';
import type { Category, Outcome, Precision } from './types';

interface PointSpec {
  what: string;
  time: number;
  precision: Precision;
  derivation: string;
  category: Category;
  reason?: string;
  outcome?: Outcome;
  message: string;
  revisionMoment?: string;
  /** When the point is about another revision than the current one. */
  revision?: number;
  /** Left out at the significant detail level, as the Event of the same reason is. */
  chatter?: boolean;
}

function abortMessage(revision: number | undefined, conditionMessage: string | undefined): string {
  if (conditionMessage?.startsWith('Rollout aborted')) {
    return conditionMessage;
  }
  const what = `Aborted${revision !== undefined ? ` update to revision ${revision}` : ''}`;
  return conditionMessage ? `${what}: ${conditionMessage}` : what;
}

/**
 * The end of the latest update attempt, from `status.duration`: its completion, its abort (unless `abortedAt` or
 * the condition already tells it), or the completion of the rollback that undid it.
 */
function attemptEndPoint(attempt: Attempt | undefined, abortShown: boolean): PointSpec | undefined {
  const outcome = attempt && attemptOutcome(attempt);
  if (outcome === undefined || attempt?.finishedAt === undefined) {
    return undefined;
  }
  const { revision, finishedAt, completionStatus } = attempt;
  const spec = {
    time: finishedAt,
    precision: 'exact' as const,
    derivation: `time from status.duration.finishedAt (completionStatus ${completionStatus})`,
    category: 'lifecycle' as const,
    outcome,
  };
  switch (outcome) {
    case 'succeeded':
      return {
        ...spec,
        what: 'completion',
        reason: 'RolloutCompleted',
        message: `Completed update to revision ${revision}: ${completionStatus}`,
        revisionMoment: 'completed',
        revision,
      };
    case 'aborted':
      return abortShown
        ? undefined
        : {
            ...spec,
            what: 'abort',
            reason: 'RolloutAborted',
            message: `Aborted update to revision ${revision}`,
            revisionMoment: 'aborted',
            revision,
          };
    case 'rolledBack':
      // The rollback is the revision after the one it undid.
      return {
        ...spec,
        what: 'rollback-completion',
        message: `Rollback of revision ${revision} completed: ${completionStatus}`,
        revisionMoment: 'rollback',
        revision: revision + 1,
      };
    default:
      return undefined;
  }
}

/**
 * Points that only the Rollout's status shows once Events are gone (or that never have an Event): abort,
 * retry, restart, resume by a user, progress deadline exceeded, and the end of the latest update attempt where
 * `status.duration` records it. Each condition keeps only its latest transition, so at most one of each.
 */
export function statusPoints(view: RolloutView, attempt: Attempt | undefined, cluster: string): Draft[] {
  const specs: PointSpec[] = [];
  const revision = view.revision;
  const progressing = view.conditions.find((c) => c.type === 'Progressing');
  const abortTime =
    view.abortedAt ?? (progressing?.reason === 'RolloutAborted' ? progressing.lastTransitionTime : undefined);
  if (abortTime !== undefined && (view.abort || progressing?.reason === 'RolloutAborted')) {
    specs.push({
      what: 'abort',
      time: abortTime,
      precision: view.abortedAt !== undefined ? 'exact' : 'reconstructed',
      derivation:
        view.abortedAt !== undefined
          ? 'time from status.abortedAt'
          : 'time reconstructed from the RolloutAborted condition',
      category: 'lifecycle',
      reason: 'RolloutAborted',
      outcome: 'aborted',
      message: abortMessage(revision, progressing?.reason === 'RolloutAborted' ? progressing.message : undefined),
      revisionMoment: 'aborted',
    });
  }
  if (progressing?.lastTransitionTime !== undefined) {
    const t = progressing.lastTransitionTime;
    if (progressing.reason === 'RolloutRetry') {
      specs.push({
        what: 'retry',
        time: t,
        precision: 'reconstructed',
        derivation: 'time reconstructed from the Progressing condition (reason RolloutRetry); retry records no Event',
        category: 'lifecycle',
        reason: 'RolloutRetry',
        message: `Retry: ${progressing.message ?? 'Retrying Rollout after abort'}`,
      });
    } else if (progressing.reason === 'RolloutResumed') {
      specs.push({
        what: 'resume',
        time: t,
        precision: 'reconstructed',
        derivation: 'time reconstructed from the Progressing condition (reason RolloutResumed)',
        category: 'steps',
        reason: 'RolloutResumed',
        message: 'Resumed (promoted or resumed)',
        revisionMoment: 'resumed',
        chatter: !isSignificantReason('RolloutResumed'),
      });
    } else if (progressing.reason === 'ProgressDeadlineExceeded' && progressing.status === 'False') {
      specs.push({
        what: 'deadline',
        time: t,
        precision: 'reconstructed',
        derivation:
          'time reconstructed from the Progressing condition (reason ProgressDeadlineExceeded); it records no Event',
        category: 'errors',
        reason: 'ProgressDeadlineExceeded',
        outcome: 'degraded',
        message: `Progress deadline exceeded: ${progressing.message ?? ''}`.trim(),
      });
    }
  }
  const abortShown = specs.some((spec) => spec.what === 'abort');
  const attemptEnd = attemptEndPoint(attempt, abortShown);
  if (attemptEnd) {
    specs.push(attemptEnd);
  }
  if (view.restartedAt !== undefined) {
    specs.push({
      what: 'restart',
      time: view.restartedAt,
      precision: 'exact',
      derivation: 'time from status.restartedAt; a restart records no Rollout Event',
      category: 'lifecycle',
      message: 'Restart: pods restarted',
    });
  }
  return specs.map((spec) => ({
    entry: {
      id: entryId(cluster, spec.what, view.namespace, view.name, spec.time),
      kind: 'point',
      time: spec.time,
      timeEnd: spec.time,
      namespace: view.namespace,
      rollout: view.name,
      revision: spec.revision ?? revision,
      strategy: view.strategy,
      category: spec.category,
      reason: spec.reason,
      outcome: spec.outcome,
      precision: spec.precision,
      derivation: spec.derivation,
      message: spec.message,
      chatter: spec.chatter,
      sources: [{ kind: 'Rollout', namespace: view.namespace, name: view.name, uid: view.uid }],
    },
    revisionMoment: spec.revisionMoment,
    mergeRank: 1,
  }));
}
