import type { TimelineEntry } from './types';

/** An entry while the drafts of its Rollout are merged and finished. */
export type DraftEntry = TimelineEntry;

/**
 * A draft entry with what merging needs to know about it. A fact that several records report (an abort seen in
 * an Event and in the Rollout's status, an analysis result seen in the AnalysisRun and in three Events) becomes
 * one entry: see `mergeMoments`.
 */
export interface Draft {
  entry: DraftEntry;
  /** A point: the fact it reports, which other records may report too. */
  momentKey?: string;
  /** Like `momentKey`, for facts told apart by revision: the key is completed once the revision is known. */
  revisionMoment?: string;
  /** Lower wins when merging records of one fact with equal precision. */
  mergeRank?: number;
  /**
   * A span: the keys of its start (e.g. an AnalysisRun started), as `momentKey` or, for facts told apart by revision,
   * `revisionMomentKey`; points reporting it become part of it.
   */
  startMoments?: readonly string[];
  /** A span: the keys of its end (e.g. an AnalysisRun's result), likewise. */
  endMoments?: readonly string[];
}

/** Region end that is known to be the current time: the region is still in progress. */
export function openEnd(start: number, now: number): number {
  return Math.max(start, now);
}
