import type { TimelineEntry } from './types';

/** An entry while the drafts of its Rollout are merged and finished. */
export type DraftEntry = TimelineEntry;

/**
 * A draft entry with what merging needs to know about it; `momentKey` marks a moment that other sources may
 * report too.
 */
export interface Draft {
  entry: DraftEntry;
  momentKey?: string;
  /** Like `momentKey`, for moments told apart by revision: the key is completed once the revision is known. */
  revisionMoment?: string;
  /** Lower wins when merging records of one moment with equal precision. */
  mergeRank?: number;
}

/** Region end that is known to be the current time: the region is still in progress. */
export function openEnd(start: number, now: number): number {
  return Math.max(start, now);
}
