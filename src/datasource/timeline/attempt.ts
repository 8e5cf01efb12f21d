import type { RolloutView } from './objects';
import type { Outcome } from './types';

/**
 * What `status.duration` says of the latest update attempt (written by Argo Rollouts' main branch, after v1.10):
 * exact start and end times and how it ended.
 */
export interface Attempt {
  /** The revision it updated to. */
  revision: number;
  /** `rolloutStartedAt`: a new revision, or a retry after an abort. */
  startedAt?: number;
  /** `finishedAt`: promoted and fully available, aborted, or superseded; unset while it goes on. */
  finishedAt?: number;
  /**
   * `completionStatus`: `Promoted`, `FastPromoted`, `Aborted`, `Superseded`, `RolledBack` or `FastRolledBack`.
   * Set as soon as it is known, which may be before `finishedAt` (a rollback is classified while it progresses).
   */
  completionStatus?: string;
}

/** How an attempt ended, by completion status: its revision's outcome, and the words for it. */
const ENDINGS: Readonly<Record<string, { outcome: Outcome; words: string }>> = {
  Promoted: { outcome: 'succeeded', words: 'completed' },
  FastPromoted: { outcome: 'succeeded', words: 'completed' },
  Aborted: { outcome: 'aborted', words: 'aborted' },
  Superseded: { outcome: 'superseded', words: 'superseded' },
  RolledBack: { outcome: 'rolledBack', words: 'rolled back' },
  FastRolledBack: { outcome: 'rolledBack', words: 'rolled back' },
};

/** How the attempt ended, from its completion status; undefined while unknown (or for a status this does not know). */
export function attemptOutcome(attempt: Attempt): Outcome | undefined {
  return endingOf(attempt)?.outcome;
}

/** How the attempt ended, in words, with its completion status: `completed (Promoted)`. */
export function attemptSummary(attempt: Attempt): string | undefined {
  const ending = endingOf(attempt);
  return ending && `${ending.words} (${attempt.completionStatus})`;
}

function endingOf({ completionStatus: status }: Attempt) {
  return status !== undefined && Object.hasOwn(ENDINGS, status) ? ENDINGS[status] : undefined;
}

/** Kubernetes times have one-second precision: times this close may be the same moment. */
export const ONE_SECOND = 1000;

/**
 * The latest attempt and the revision it is about. An attempt begins with a new revision (or a retry) and goes on
 * through a rollback, so it is about the current revision, except:
 * - a rolled-back attempt is about the revision the rollback undid, the one before the current (an undo or a
 *   re-applied template bumps the revision by one);
 * - a rollback to the stable ReplicaSet after an attempt ended starts no new one: the attempt is about an earlier
 *   revision when the current one is known to have started after it (then the revision started when it did), or
 *   when it aborted although the current revision is the stable one (then the one before the current).
 * `startOf` gives the start known from Events and ReplicaSets of a revision; `startedBy` the revision started
 * at or before a time.
 */
export function latestAttempt(
  rollout: RolloutView | undefined,
  startOf: (revision: number) => number | undefined,
  startedBy: (time: number) => number | undefined
): Attempt | undefined {
  const duration = rollout?.duration;
  const current = rollout?.revision;
  if (!duration || current === undefined || duration.startedAt === undefined) {
    return undefined;
  }
  const { startedAt, finishedAt, completionStatus } = duration;
  const attempt = (revision: number | undefined): Attempt | undefined =>
    revision === undefined || revision < 1 ? undefined : { revision, startedAt, finishedAt, completionStatus };
  if (attemptOutcome({ revision: current, completionStatus }) === 'rolledBack') {
    return attempt(current - 1);
  }
  const currentStart = startOf(current);
  if (currentStart !== undefined && currentStart > startedAt + ONE_SECOND) {
    return attempt(startedBy(startedAt + ONE_SECOND));
  }
  const promoted = rollout.stableRS !== undefined && rollout.stableRS === rollout.currentPodHash;
  if (completionStatus === 'Aborted' && promoted) {
    return attempt(current - 1);
  }
  return attempt(current);
}
