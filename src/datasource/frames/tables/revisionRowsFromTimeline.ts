import type { AnalysisInfo, StepInfo, TimelineEntry } from '../../timeline/types';
import type { RevisionRow } from './revisions';

/** A revision's own span, which the other entries of its Rollout belong to. */
function isRevisionSpan(entry: TimelineEntry): entry is TimelineEntry & { revision: number } {
  return entry.span === 'revision' && entry.revision !== undefined;
}

/**
 * Revision rows from timeline entries: each revision span (a region, or a point when it started and ended within
 * the same second), with the step, analysis and pause entries of the same Rollout that name its revision, or
 * (when they name none) fall inside its time span. A first pass finds the revisions, a second hands every other
 * entry, in timeline order, to the revisions it belongs to.
 */
export function revisionRowsFromTimeline(
  entries: readonly TimelineEntry[],
  tagTextOf: (entry: TimelineEntry) => string
): RevisionRow[] {
  const revisions: RevisionRowBuilder[] = [];
  const byRollout = new RevisionsByRollout();
  for (const entry of entries) {
    if (isRevisionSpan(entry)) {
      const builder = new RevisionRowBuilder(entry, entry.revision, tagTextOf(entry));
      revisions.push(builder);
      byRollout.add(builder);
    }
  }
  if (revisions.length > 0) {
    for (const entry of entries) {
      if (!isRevisionSpan(entry)) {
        addToItsRevisions(entry, entry.span !== undefined, byRollout);
      }
    }
  }
  return revisions.map((builder) => builder.row());
}

/** The revisions of one Rollout. */
interface RolloutRevisions {
  all: RevisionRowBuilder[];
  /** The first revision span of each number; the others of the same number are chained from it. */
  byNumber: Map<number, RevisionRowBuilder>;
}

/**
 * The revisions by namespace and Rollout name: only entries of the same Rollout can belong to a revision,
 * and looking them up keeps this linear in the timeline.
 */
class RevisionsByRollout {
  private readonly byNamespace = new Map<string, Map<string, RolloutRevisions>>();
  /** The last lookup: neighbours in a timeline are often of the same Rollout. */
  private someLookedUp = false;
  private lastNamespace = '';
  private lastRollout = '';
  private lastFound: RolloutRevisions | undefined = undefined;

  add(builder: RevisionRowBuilder): void {
    let byName = this.byNamespace.get(builder.namespace);
    if (!byName) {
      byName = new Map();
      this.byNamespace.set(builder.namespace, byName);
    }
    let revisions = byName.get(builder.rollout);
    if (!revisions) {
      revisions = { all: [], byNumber: new Map() };
      byName.set(builder.rollout, revisions);
    }
    revisions.all.push(builder);
    const first = revisions.byNumber.get(builder.revision);
    if (first) {
      let last = first;
      while (last.nextOfSameNumber) {
        last = last.nextOfSameNumber;
      }
      last.nextOfSameNumber = builder;
    } else {
      revisions.byNumber.set(builder.revision, builder);
    }
  }

  of(namespace: string, rollout: string): RolloutRevisions | undefined {
    if (!this.someLookedUp || rollout !== this.lastRollout || namespace !== this.lastNamespace) {
      this.someLookedUp = true;
      this.lastNamespace = namespace;
      this.lastRollout = rollout;
      this.lastFound = this.byNamespace.get(namespace)?.get(rollout);
    }
    return this.lastFound;
  }
}

/**
 * Hands an entry that is not a revision span to each revision of its Rollout it belongs to: the revision it
 * names, or (when it names none) those whose span holds its start.
 */
function addToItsRevisions(entry: TimelineEntry, isSpan: boolean, byRollout: RevisionsByRollout): void {
  const rolloutRevisions = byRollout.of(entry.namespace, entry.rollout);
  if (!rolloutRevisions) {
    return;
  }
  const revision = entry.revision;
  if (revision !== undefined) {
    let builder = rolloutRevisions.byNumber.get(revision);
    if (!builder) {
      return;
    }
    const facts = new EntryFacts(entry, isSpan);
    for (; builder; builder = builder.nextOfSameNumber) {
      // Map keys match NaN with NaN; revision numbers compare as numbers.
      if (builder.revision === revision) {
        builder.add(facts, true);
      }
    }
    return;
  }
  const time = entry.time;
  let facts: EntryFacts | undefined;
  for (const builder of rolloutRevisions.all) {
    if (time >= builder.started && time <= builder.timeEnd) {
      facts ??= new EntryFacts(entry, isSpan);
      builder.add(facts, false);
    }
  }
}

/** The fields of an entry a revision row reads, read once. */
class EntryFacts {
  readonly step: StepInfo | undefined;
  readonly analysis: TimelineEntry['analysis'];
  /** A span: an AnalysisRun (whose phase is its current state), an Experiment or a pause. */
  readonly isSpan: boolean;
  readonly isPause: boolean;
  /** The span of a pause; unread (zero) for other entries. */
  readonly time: number = 0;
  readonly timeEnd: number = 0;

  constructor(entry: TimelineEntry, isSpan: boolean) {
    this.step = entry.step;
    this.analysis = entry.analysis;
    this.isSpan = isSpan;
    this.isPause = isSpan && entry.span === 'pause';
    if (this.isPause) {
      this.time = entry.time;
      this.timeEnd = entry.timeEnd;
    }
  }
}

/** One revision span and what the entries that belong to it (handed over in timeline order) tell about it. */
class RevisionRowBuilder {
  readonly namespace: string;
  readonly rollout: string;
  readonly started: number;
  /** The end of the span as drawn. */
  readonly timeEnd: number;
  private readonly endUnknown: boolean;
  private readonly outcome: TimelineEntry['outcome'];
  private readonly precision: TimelineEntry['precision'];
  private readonly images: string[] | undefined;
  /** Another span of the same Rollout and revision number. */
  nextOfSameNumber: RevisionRowBuilder | undefined = undefined;
  private reached: StepInfo | undefined = undefined;
  private analyses: AnalysisPhases | undefined = undefined;
  private pausedMs: number | undefined = undefined;
  private pausesSince: number[] | undefined = undefined;

  constructor(
    span: TimelineEntry,
    readonly revision: number,
    private readonly tags: string
  ) {
    this.namespace = span.namespace;
    this.rollout = span.rollout;
    this.started = span.time;
    this.timeEnd = span.timeEnd;
    this.endUnknown = span.endUnknown === true;
    this.outcome = span.outcome;
    this.precision = span.precision;
    this.images = span.images;
  }

  /** An entry that belongs to the revision: `namesRevision` when it does by its revision number. */
  add(entry: EntryFacts, namesRevision: boolean): void {
    const step = entry.step;
    // The first entry of the highest step tells how far the revision got.
    if (step !== undefined && (this.reached === undefined || step.index > this.reached.index)) {
      this.reached = step;
    }
    const analysis = entry.analysis;
    if (analysis && analysis.phase) {
      this.analyses ??= new AnalysisPhases();
      this.analyses.add(analysis, entry.isSpan);
    }
    if (entry.isPause) {
      const { start, end } = this.pausedWithin(entry, namesRevision);
      if (end === Infinity) {
        // A pause still in progress, of a timeline whose open regions are left open.
        (this.pausesSince ??= []).push(start);
      } else {
        this.pausedMs = (this.pausedMs ?? 0) + Math.max(0, end - start);
      }
    }
  }

  /**
   * The part of a pause that counts for the revision. A pause the timeline attributes to the revision counts whole
   * (a Rollout can stay paused after its revision is marked degraded); one placed only by its time is clipped to the
   * span.
   */
  private pausedWithin(pause: EntryFacts, namesRevision: boolean): { start: number; end: number } {
    if (namesRevision) {
      return { start: pause.time, end: pause.timeEnd };
    }
    return { start: Math.max(pause.time, this.started), end: Math.min(pause.timeEnd, this.timeEnd) };
  }

  row(): RevisionRow {
    const inProgress = this.outcome === 'inProgress';
    const reached = this.reached;
    return {
      namespace: this.namespace,
      rollout: this.rollout,
      revision: this.revision,
      started: this.started,
      // A revision that started and ended within the same second ended at its start (duration 0); one whose end
      // is not recorded is drawn at its start too, but its end stays unknown.
      ended: inProgress || this.endUnknown || this.timeEnd === Infinity ? undefined : this.timeEnd,
      inProgress,
      // Only the spans of an open timeline end at Infinity.
      endsNow: !inProgress && !this.endUnknown && this.timeEnd === Infinity,
      outcome: this.outcome,
      precision: this.precision,
      images: this.images ?? [],
      stepsReached: reached?.index,
      totalSteps: reached?.total,
      analysisPhases: this.analyses?.phases() ?? [],
      pausedMs: this.pausedMs,
      pausesSince: this.pausesSince,
      tags: this.tags,
    };
  }
}

/**
 * One phase per analysis run. A run can appear both as its own span (from the AnalysisRun object) and as
 * Events about it; the span's phase wins because it is the run's current state.
 */
class AnalysisPhases {
  /** Parallel lists in the order the runs first appear: a revision has few runs. */
  private readonly names: string[] = [];
  private readonly found: string[] = [];
  private readonly fromSpan: boolean[] = [];

  /** A run with a phase. */
  add({ name, phase }: AnalysisInfo, fromSpan: boolean): void {
    const known = this.names.indexOf(name);
    if (known === -1) {
      this.names.push(name);
      this.found.push(phase);
      this.fromSpan.push(fromSpan);
    } else if (fromSpan && !this.fromSpan[known]) {
      this.found[known] = phase;
      this.fromSpan[known] = true;
    }
  }

  /** In the order the runs first appear. */
  phases(): string[] {
    return this.found;
  }
}
