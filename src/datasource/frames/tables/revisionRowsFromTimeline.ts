import type { TimelineEntry } from '../../timeline/types';
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
  // Only entries of the same Rollout can belong to a revision: grouping first keeps this linear in the timeline.
  const entriesByRollout = new Map<string, TimelineEntry[]>();
  for (const entry of entries) {
    const key = rolloutKey(entry);
    const group = entriesByRollout.get(key);
    if (group) {
      group.push(entry);
    } else {
      entriesByRollout.set(key, [entry]);
    }
  }
  return entries.filter(isRevisionRegion).map((revision) => {
    const sameRollout = entriesByRollout.get(rolloutKey(revision)) ?? [];
    const related = sameRollout.filter((entry) => entry !== revision && belongsTo(entry, revision));
    const steps = related.filter((entry) => entry.step !== undefined);
    const reached = steps.reduce<TimelineEntry | undefined>(
      (best, entry) => (best && best.step!.index >= entry.step!.index ? best : entry),
      undefined
    );
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
      stepsReached: reached?.step?.index,
      totalSteps: reached?.step?.total,
      analysisPhases: analysisPhases(related),
      pausedSeconds: pausedSeconds(related, revision),
      tags: revision.tags,
    };
  });
}

const rolloutKey = (entry: TimelineEntry) => `${entry.namespace}/${entry.rollout}`;

function belongsTo(entry: TimelineEntry, revision: TimelineEntry): boolean {
  if (entry.namespace !== revision.namespace || entry.rollout !== revision.rollout || isRevisionRegion(entry)) {
    return false;
  }
  if (entry.revision !== undefined) {
    return entry.revision === revision.revision;
  }
  return entry.time >= revision.time && entry.time <= revision.timeEnd;
}

/**
 * One phase per analysis run. A run can appear both as its own region (from the AnalysisRun object) and as
 * Events about it; the region's phase wins because it is the run's current state.
 */
function analysisPhases(related: readonly TimelineEntry[]): string[] {
  const phases = new Map<string, { phase: string; fromRegion: boolean }>();
  for (const entry of related) {
    const analysis = entry.analysis;
    if (!analysis || !analysis.phase) {
      continue;
    }
    const fromRegion = entry.kind === 'region';
    const known = phases.get(analysis.name);
    if (!known || (fromRegion && !known.fromRegion)) {
      phases.set(analysis.name, { phase: analysis.phase, fromRegion });
    }
  }
  return [...phases.values()].map((value) => value.phase);
}

/**
 * Total length of the pause regions. A pause the timeline attributes to the revision counts whole (a Rollout
 * can stay paused after its revision is marked degraded); one placed only by its time is clipped to the span.
 */
function pausedSeconds(related: readonly TimelineEntry[], revision: TimelineEntry): number | undefined {
  const pauses = related.filter((entry) => entry.kind === 'region' && entry.reason === 'RolloutPaused');
  if (pauses.length === 0) {
    return undefined;
  }
  const ms = pauses.reduce((total, pause) => {
    if (pause.revision !== undefined) {
      return total + Math.max(0, pause.timeEnd - pause.time);
    }
    const end = Math.min(pause.timeEnd, revision.timeEnd);
    return total + Math.max(0, end - Math.max(pause.time, revision.time));
  }, 0);
  return ms / 1000;
}
