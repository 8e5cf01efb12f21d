import type { AnalysisInfo, StepInfo, TimelineEntry } from '../../timeline/types';
import type { RevisionRow } from './revisions';

/** What the first pass saw of each entry, zero for a point. */
const REGION = 1;
const REVISION_REGION = 2;

/**
 * Revision rows from timeline entries: each revision region, with the step, analysis and pause entries of the
 * same Rollout that name its revision, or (when they name none) fall inside its time span.
 *
 * Entries come in many shapes, which makes each read of their fields slow: a first pass finds the revision
 * regions, a second hands every other entry, in timeline order, to the revisions it belongs to, reading only what
 * they need.
 */
export function revisionRowsFromTimeline(
  entries: readonly TimelineEntry[],
  tagTextOf: (entry: TimelineEntry) => string
): RevisionRow[] {
  const revisions: RevisionRowBuilder[] = [];
  const byRollout = new RevisionsByRollout();
  const kinds = new Uint8Array(entries.length);
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    if (entry.kind !== 'region') {
      continue;
    }
    kinds[i] = REGION;
    // The timeline draws each revision as a lifecycle region carrying its revision number.
    if (entry.category !== 'lifecycle') {
      continue;
    }
    const revision = entry.revision;
    if (revision !== undefined) {
      const builder = new RevisionRowBuilder(entry, revision, tagTextOf(entry));
      revisions.push(builder);
      byRollout.add(builder);
      kinds[i] = REVISION_REGION;
    }
  }
  if (revisions.length > 0) {
    for (let i = 0; i < entries.length; i++) {
      if (kinds[i] !== REVISION_REGION) {
        addToItsRevisions(entries[i], kinds[i] === REGION, byRollout);
      }
    }
  }
  const rows = new Array<RevisionRow>(revisions.length);
  for (let i = 0; i < revisions.length; i++) {
    rows[i] = revisions[i].row();
  }
  return rows;
}

/** The revision regions of one Rollout. */
interface RolloutRevisions {
  all: RevisionRowBuilder[];
  /** The first region of each revision number; the others of the same number are chained from it. */
  byNumber: Map<number, RevisionRowBuilder>;
}

/**
 * The revision regions by namespace and Rollout name: only entries of the same Rollout can belong to a revision,
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
 * Hands an entry that is not a revision region to each revision of its Rollout it belongs to: the revision it
 * names, or (when it names none) those whose span holds its start.
 */
function addToItsRevisions(entry: TimelineEntry, isRegion: boolean, byRollout: RevisionsByRollout): void {
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
    const facts = new EntryFacts(entry, isRegion);
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
      facts ??= new EntryFacts(entry, isRegion);
      builder.add(facts, false);
    }
  }
}

/** The fields of an entry a revision row reads, read once. */
class EntryFacts {
  readonly step: StepInfo | undefined;
  readonly analysis: TimelineEntry['analysis'];
  readonly isRegion: boolean;
  readonly isPause: boolean;
  /** The span of a pause; unread (zero) for other entries. */
  readonly time: number = 0;
  readonly timeEnd: number = 0;

  constructor(entry: TimelineEntry, isRegion: boolean) {
    this.step = entry.step;
    this.analysis = entry.analysis;
    this.isRegion = isRegion;
    this.isPause = this.isRegion && entry.reason === 'RolloutPaused';
    if (this.isPause) {
      this.time = entry.time;
      this.timeEnd = entry.timeEnd;
    }
  }
}

/** One revision region and what the entries that belong to it (handed over in timeline order) tell about it. */
class RevisionRowBuilder {
  readonly namespace: string;
  readonly rollout: string;
  readonly started: number;
  /** The end of the region as drawn. */
  readonly timeEnd: number;
  private readonly outcome: TimelineEntry['outcome'];
  private readonly precision: TimelineEntry['precision'];
  private readonly images: string[] | undefined;
  /** Another region of the same Rollout and revision number. */
  nextOfSameNumber: RevisionRowBuilder | undefined = undefined;
  private reached: StepInfo | undefined = undefined;
  private analyses: AnalysisPhases | undefined = undefined;
  private pausedMs: number | undefined = undefined;

  constructor(
    region: TimelineEntry,
    readonly revision: number,
    private readonly tags: string
  ) {
    this.namespace = region.namespace;
    this.rollout = region.rollout;
    this.started = region.time;
    this.timeEnd = region.timeEnd;
    this.outcome = region.outcome;
    this.precision = region.precision;
    this.images = region.images;
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
      this.analyses.add(analysis, entry.isRegion);
    }
    if (entry.isPause) {
      this.pausedMs = (this.pausedMs ?? 0) + this.pausedWithin(entry, namesRevision);
    }
  }

  /**
   * Length of a pause region in milliseconds. A pause the timeline attributes to the revision counts whole (a
   * Rollout can stay paused after its revision is marked degraded); one placed only by its time is clipped to
   * the span.
   */
  private pausedWithin(pause: EntryFacts, namesRevision: boolean): number {
    if (namesRevision) {
      return Math.max(0, pause.timeEnd - pause.time);
    }
    const end = Math.min(pause.timeEnd, this.timeEnd);
    return Math.max(0, end - Math.max(pause.time, this.started));
  }

  row(): RevisionRow {
    const inProgress = this.outcome === 'inProgress';
    const reached = this.reached;
    return {
      namespace: this.namespace,
      rollout: this.rollout,
      revision: this.revision,
      started: this.started,
      // A region whose end is not recorded is drawn with no length; its end stays unknown.
      ended: inProgress || this.timeEnd <= this.started ? undefined : this.timeEnd,
      inProgress,
      outcome: this.outcome,
      precision: this.precision,
      images: this.images ?? [],
      stepsReached: reached?.index,
      totalSteps: reached?.total,
      analysisPhases: this.analyses?.phases() ?? [],
      pausedSeconds: this.pausedMs === undefined ? undefined : this.pausedMs / 1000,
      tags: this.tags,
    };
  }
}

/**
 * One phase per analysis run. A run can appear both as its own region (from the AnalysisRun object) and as
 * Events about it; the region's phase wins because it is the run's current state.
 */
class AnalysisPhases {
  /** Parallel lists in the order the runs first appear: a revision has few runs. */
  private readonly names: string[] = [];
  private readonly found: string[] = [];
  private readonly fromRegion: boolean[] = [];

  /** A run with a phase. */
  add({ name, phase }: AnalysisInfo, fromRegion: boolean): void {
    const known = this.names.indexOf(name);
    if (known === -1) {
      this.names.push(name);
      this.found.push(phase);
      this.fromRegion.push(fromRegion);
    } else if (fromRegion && !this.fromRegion[known]) {
      this.found[known] = phase;
      this.fromRegion[known] = true;
    }
  }

  /** In the order the runs first appear. */
  phases(): string[] {
    return this.found;
  }
}
