import type { StepInfo, TimelineEntry } from '../../timeline/types';
import type { RevisionRow } from './revisions';

/** The timeline draws each revision as a lifecycle region carrying its revision number. */
function isRevisionRegion(entry: TimelineEntry): boolean {
  return entry.kind === 'region' && entry.category === 'lifecycle' && entry.revision !== undefined;
}

/**
 * Revision rows from timeline entries: each revision region, with the step, analysis and pause entries of the
 * same Rollout that name its revision, or (when they name none) fall inside its time span.
 */
export function revisionRowsFromTimeline(entries: readonly TimelineEntry[]): RevisionRow[] {
  const revisions: TimelineEntry[] = [];
  const candidates = new CandidatesByRollout();
  for (const entry of entries) {
    if (isRevisionRegion(entry)) {
      revisions.push(entry);
    } else {
      candidates.add(entry);
    }
  }
  return revisions.map((revision) => revisionRow(revision, candidates.of(revision)));
}

/** The entries of one Rollout that are not revision regions, in timeline order. */
interface RolloutCandidates {
  all: TimelineEntry[];
  byRevision: Map<number, TimelineEntry[]>;
  /** Some entry names no revision, so it can only be placed by its time. */
  someUnrevisioned: boolean;
}

/**
 * The entries that can belong to a revision, by namespace and Rollout name: only entries of the same Rollout can
 * belong to a revision, and grouping first keeps this linear in the timeline.
 */
class CandidatesByRollout {
  private readonly byNamespace = new Map<string, Map<string, RolloutCandidates>>();

  add(entry: TimelineEntry): void {
    let byRollout = this.byNamespace.get(entry.namespace);
    if (!byRollout) {
      byRollout = new Map();
      this.byNamespace.set(entry.namespace, byRollout);
    }
    let group = byRollout.get(entry.rollout);
    if (!group) {
      group = { all: [], byRevision: new Map(), someUnrevisioned: false };
      byRollout.set(entry.rollout, group);
    }
    group.all.push(entry);
    if (entry.revision === undefined) {
      group.someUnrevisioned = true;
    } else {
      const sameRevision = group.byRevision.get(entry.revision);
      if (sameRevision) {
        sameRevision.push(entry);
      } else {
        group.byRevision.set(entry.revision, [entry]);
      }
    }
  }

  /**
   * The entries that may belong to the revision, in timeline order: those naming its revision, or every entry
   * of its Rollout when some must be placed by time.
   */
  of(revision: TimelineEntry): readonly TimelineEntry[] {
    const group = this.byNamespace.get(revision.namespace)?.get(revision.rollout);
    if (!group) {
      return [];
    }
    return group.someUnrevisioned ? group.all : (group.byRevision.get(revision.revision!) ?? []);
  }
}

/** `candidates` include every entry of the revision's Rollout that belongs to it, in timeline order. */
function revisionRow(revision: TimelineEntry, candidates: readonly TimelineEntry[]): RevisionRow {
  let reached: StepInfo | undefined;
  const analyses = new AnalysisPhases();
  let pausedMs: number | undefined;
  for (const entry of candidates) {
    if (!belongsTo(entry, revision)) {
      continue;
    }
    // The first entry of the highest step tells how far the revision got.
    if (entry.step !== undefined && (reached === undefined || entry.step.index > reached.index)) {
      reached = entry.step;
    }
    analyses.add(entry);
    if (entry.kind === 'region' && entry.reason === 'RolloutPaused') {
      pausedMs = (pausedMs ?? 0) + pausedWithin(entry, revision);
    }
  }
  const inProgress = revision.outcome === 'inProgress';
  return {
    namespace: revision.namespace,
    rollout: revision.rollout,
    revision: revision.revision!,
    started: revision.time,
    // A region whose end is not recorded is drawn with no length; its end stays unknown.
    ended: inProgress || revision.timeEnd <= revision.time ? undefined : revision.timeEnd,
    inProgress,
    outcome: revision.outcome,
    precision: revision.precision,
    images: revision.images ?? [],
    stepsReached: reached?.index,
    totalSteps: reached?.total,
    analysisPhases: analyses.phases(),
    pausedSeconds: pausedMs === undefined ? undefined : pausedMs / 1000,
    tags: revision.tags,
  };
}

/** Whether an entry of the revision's Rollout (other than a revision region) belongs to the revision. */
function belongsTo(entry: TimelineEntry, revision: TimelineEntry): boolean {
  if (entry.revision !== undefined) {
    return entry.revision === revision.revision;
  }
  return entry.time >= revision.time && entry.time <= revision.timeEnd;
}

/**
 * One phase per analysis run. A run can appear both as its own region (from the AnalysisRun object) and as
 * Events about it; the region's phase wins because it is the run's current state.
 */
class AnalysisPhases {
  private byRun: Map<string, { phase: string; fromRegion: boolean }> | undefined;

  add(entry: TimelineEntry): void {
    const analysis = entry.analysis;
    if (!analysis || !analysis.phase) {
      return;
    }
    const fromRegion = entry.kind === 'region';
    this.byRun ??= new Map();
    const known = this.byRun.get(analysis.name);
    if (!known || (fromRegion && !known.fromRegion)) {
      this.byRun.set(analysis.name, { phase: analysis.phase, fromRegion });
    }
  }

  /** In the order the runs first appear. */
  phases(): string[] {
    return this.byRun ? Array.from(this.byRun.values(), (known) => known.phase) : [];
  }
}

/**
 * Length of a pause region in milliseconds. A pause the timeline attributes to the revision counts whole (a
 * Rollout can stay paused after its revision is marked degraded); one placed only by its time is clipped to the span.
 */
function pausedWithin(pause: TimelineEntry, revision: TimelineEntry): number {
  if (pause.revision !== undefined) {
    return Math.max(0, pause.timeEnd - pause.time);
  }
  const end = Math.min(pause.timeEnd, revision.timeEnd);
  return Math.max(0, end - Math.max(pause.time, revision.time));
}
