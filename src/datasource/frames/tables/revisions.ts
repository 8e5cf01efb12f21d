import type { DataFrame, QueryResultMetaNotice } from '@grafana/data';

import { worstPhase } from './analysisPhase';
import {
  buildTable,
  compareText,
  durationColumn,
  newestFirst,
  numberColumn,
  secondsBetween,
  stringColumn,
  timeColumn,
  type Column,
} from './fields';

/** One revision of one Rollout, as the timeline reconstructed it. */
export interface RevisionRow {
  namespace: string;
  rollout: string;
  revision: number;
  /** Epoch milliseconds. */
  started?: number;
  /** Epoch milliseconds; unset while in progress or when the end is not known. */
  ended?: number;
  /** Still going: its duration counts up to now. */
  inProgress?: boolean;
  /** Its span is still open though its outcome is known (a degraded revision): it ends at now. */
  endsNow?: boolean;
  /** e.g. `succeeded`, `aborted`, `rolledBack`, `superseded`, `inProgress`. */
  outcome?: string;
  /** `exact` when both ends come from Events, `reconstructed` when from object status. */
  precision?: string;
  images: string[];
  /** Highest canary step number (1-based) the revision reached (completed or stopped at), and the number of steps. */
  stepsReached?: number;
  totalSteps?: number;
  /** Phase of each analysis run of the revision. */
  analysisPhases: string[];
  /** Milliseconds spent in pauses that ended. */
  pausedMs?: number;
  /** The starts of pauses still in progress: each counts up to now. */
  pausesSince?: number[];
  /** Joined, see `tagsText`. */
  tags: string;
}

export interface RevisionsTableOptions {
  cluster: string;
  /** Epoch milliseconds: the end of revisions still in progress. */
  now: number;
  notices?: QueryResultMetaNotice[];
}

/** The columns of the revisions table; the cluster and the end of revisions in progress come from the options. */
function revisionColumns({ cluster, now }: RevisionsTableOptions): ReadonlyArray<Column<RevisionRow>> {
  return [
    stringColumn('cluster', 'Cluster', () => cluster),
    stringColumn('namespace', 'Namespace', (r) => r.namespace),
    stringColumn('rollout', 'Rollout', (r) => r.rollout),
    numberColumn('revision', 'Revision', (r) => r.revision),
    timeColumn('started', 'Started', (r) => r.started),
    timeColumn('ended', 'Ended', (r) => (r.endsNow ? now : r.ended)),
    durationColumn('duration', 'Duration', (r) =>
      secondsBetween(r.started, r.ended ?? (r.inProgress || r.endsNow ? now : undefined))
    ),
    stringColumn('outcome', 'Outcome', (r) => r.outcome),
    stringColumn('precision', 'Precision', (r) => r.precision),
    stringColumn('images', 'Images', (r) => r.images.join(', ')),
    stringColumn('stepsReached', 'Steps reached', (r) => stepsText(r.stepsReached, r.totalSteps)),
    numberColumn('analyses', 'Analyses', (r) => r.analysisPhases.length),
    stringColumn('worstAnalysis', 'Worst analysis', (r) => worstPhase(r.analysisPhases)),
    durationColumn('pausedTime', 'Paused', (r) => pausedSecondsAt(r, now)),
    stringColumn('tags', 'Tags', (r) => r.tags),
  ];
}

/** Seconds paused up to `now`: unset when the revision was never paused. */
function pausedSecondsAt({ pausedMs, pausesSince }: RevisionRow, now: number): number | undefined {
  if (pausedMs === undefined && pausesSince === undefined) {
    return undefined;
  }
  const inProgress = (pausesSince ?? []).reduce((sum, since) => sum + Math.max(0, now - since), 0);
  return ((pausedMs ?? 0) + inProgress) / 1000;
}

function stepsText(reached: number | undefined, total: number | undefined): string | undefined {
  if (total === undefined) {
    return reached === undefined ? undefined : String(reached);
  }
  return `${reached ?? 0}/${total}`;
}

/** Table order: most recently started first, then by namespace, Rollout and newest revision. */
export function compareRevisionRows(a: RevisionRow, b: RevisionRow): number {
  return (
    newestFirst(a.started, b.started) ||
    compareText(a.namespace, b.namespace) ||
    compareText(a.rollout, b.rollout) ||
    b.revision - a.revision
  );
}

/** One row per revision, most recently started first. */
export function revisionsTable(rows: readonly RevisionRow[], options: RevisionsTableOptions): DataFrame {
  return revisionsFrame(rows.slice().sort(compareRevisionRows), options);
}

/** The revisions table of rows in table order (see `compareRevisionRows`). */
export function revisionsFrame(rows: readonly RevisionRow[], options: RevisionsTableOptions): DataFrame {
  return buildTable(rows, revisionColumns(options), { name: 'revisions', notices: options.notices });
}
