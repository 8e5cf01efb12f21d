import { type AnalysisRunRow, analysisRunRows } from '../frames/tables/analysisRuns';
import { type EventRows, eventRows } from '../frames/tables/events';
import { TAGS_SEPARATOR } from '../frames/tables/fields';
import { revisionRowsFromTimeline } from '../frames/tables/revisionRowsFromTimeline';
import type { RevisionRow } from '../frames/tables/revisions';
import { indexReplicaSetsByHash, ROLLOUT_KIND, type RolloutRow, rolloutRow } from '../frames/tables/rollouts';
import { readableRows } from '../frames/tables/objects';
import type { ClusterStore, RolloutObjects, StoredKind } from '../store/clusterStore';
import type { TagMapping } from '../tags/tagMapping';
import { buildOpenTimeline, buildTimeline, type OpenTimeline, timelineAt } from '../timeline/buildTimeline';
import type { TimelineResult } from '../timeline/types';

/** What every piece is made with: the data source's settings. */
export interface PieceSettings {
  cluster: string;
  tagMapping?: TagMapping;
}

/** The timeline of one Rollout, for all time, and the time its open regions end at. */
export interface RolloutTimeline extends TimelineResult {
  now: number;
}

export interface RowsOf<Row> {
  rows: Row[];
  /** Objects whose row could not be made, named. */
  skipped: string[];
}

/** A piece, and the generation of the kinds of objects it was made from. */
interface Made<T> {
  generation: number;
  /** The store's version when the generation was last found unchanged. */
  checkedAt: number;
  value: T;
}

/**
 * What each row piece is made from: it is made again only when objects of those kinds changed. The timeline (and the
 * revision rows made from it) read every kind.
 */
const READS = {
  eventRows: ['Rollout', 'AnalysisRun', 'Experiment', 'Event'],
  analysisRunRows: ['Rollout', 'AnalysisRun', 'Experiment'],
  rolloutRows: ['Rollout', 'ReplicaSet'],
} satisfies Record<string, readonly StoredKind[]>;

/** The pieces of one Rollout, and its objects at one generation; each piece is made when first asked for. */
interface Pieces {
  generation: number;
  /**
   * The store's version when the generation was last found unchanged: the queries of one refresh look the Rollout up
   * once each, and only the first after a change of the store compares generations.
   */
  checkedAt: number;
  objects: RolloutObjects;
  /** Made once per generation; `timeline` ends its open regions at a `now`. */
  open?: OpenTimeline;
  timeline?: RolloutTimeline;
  revisionRows?: { of: TimelineResult['entries']; rows: RevisionRow[] };
  eventRows?: Made<EventRows>;
  analysisRunRows?: Made<RowsOf<AnalysisRunRow>>;
  rolloutRows?: Made<RowsOf<RolloutRow>>;
}

/** How often (in calls) pieces of Rollouts that left the store are looked for and dropped. */
const PRUNE_EVERY = 20_000;

/**
 * The results of the pure pipeline per Rollout, each kept while the Rollout's objects of the kinds it reads are
 * unchanged in the store (see docs/architecture.md). The functions called are the same as for a whole cluster,
 * given one Rollout's objects; nothing here changes what they compute.
 */
export class RolloutCache {
  /** By namespace, then name: looked up with the strings the Rollouts are named with, none made per lookup. */
  private readonly made = new Map<string, Map<string, Pieces>>();
  private calls = 0;

  constructor(
    private readonly store: ClusterStore,
    private readonly settings: PieceSettings
  ) {}

  /**
   * The Rollout's timeline for all time, its regions still in progress ending at `now`. It is built once per
   * generation of the Rollout's objects; a later `now` only moves the ends of its open regions (`timelineAt`), and a
   * timeline without open regions stays the same object.
   */
  timeline(namespace: string, name: string, now: number): RolloutTimeline | undefined {
    const pieces = this.pieces(namespace, name);
    if (!pieces) {
      return undefined;
    }
    const made = pieces.timeline;
    if (made?.now === now) {
      return made;
    }
    const open = this.openTimelineOf(pieces);
    // Records at or after `now` (clock skew): built for `now` itself.
    const result = timelineAt(open, now) ?? buildTimeline({ ...this.timelineInput(pieces.objects), now });
    pieces.timeline = { ...result, now };
    return pieces.timeline;
  }

  /**
   * The Rollout's timeline for all time with its regions still in progress left open (ending at `Infinity`), the
   * same object for every `now` after the Rollout's records; for a `now` at or before one of them, its timeline for
   * `now` (nothing open). `endOpenRegions` on the entries gives those of `timeline(…, now)`.
   */
  openTimeline(namespace: string, name: string, now: number): TimelineResult | undefined {
    const pieces = this.pieces(namespace, name);
    if (!pieces) {
      return undefined;
    }
    const open = this.openTimelineOf(pieces);
    return open.latest < now ? open.result : this.timeline(namespace, name, now);
  }

  private openTimelineOf(pieces: Pieces): OpenTimeline {
    pieces.open ??= buildOpenTimeline(this.timelineInput(pieces.objects));
    return pieces.open;
  }

  private timelineInput(objects: RolloutObjects) {
    return {
      rollouts: [objects.rollout],
      replicaSets: objects.replicaSets,
      analysisRuns: objects.analysisRuns,
      experiments: objects.experiments,
      events: objects.events,
      range: { from: -Infinity, to: Infinity },
      cluster: this.settings.cluster,
      tagMapping: this.settings.tagMapping,
    };
  }

  /**
   * One row per revision of the Rollout, from its open timeline: a revision or pause in progress counts up to the
   * `now` of the frame, so the rows live as long as the open timeline does.
   */
  revisionRows(namespace: string, name: string, now: number): RevisionRow[] {
    const timeline = this.openTimeline(namespace, name, now);
    const pieces = this.pieces(namespace, name);
    if (!timeline || !pieces) {
      return [];
    }
    if (pieces.revisionRows?.of !== timeline.entries) {
      const rows = revisionRowsFromTimeline(timeline.entries, (entry) => timeline.tagTextOf(entry, TAGS_SEPARATOR));
      pieces.revisionRows = { of: timeline.entries, rows };
    }
    return pieces.revisionRows.rows;
  }

  /** The rows of the Events about the Rollout and its AnalysisRuns and Experiments, in table order. */
  eventRows(namespace: string, name: string): EventRows | undefined {
    return this.piece(namespace, name, 'eventRows', (objects) =>
      eventRows(objects.events, {
        ...this.settings,
        rollouts: [objects.rollout],
        analysisRuns: objects.analysisRuns,
        experiments: objects.experiments,
      })
    );
  }

  /** The rows of the Rollout's AnalysisRuns (its Experiments' included), in table order. */
  analysisRunRows(namespace: string, name: string): RowsOf<AnalysisRunRow> | undefined {
    return this.piece(namespace, name, 'analysisRunRows', (objects) =>
      analysisRunRows(objects.analysisRuns, {
        ...this.settings,
        rollouts: [objects.rollout],
        experiments: objects.experiments,
      })
    );
  }

  /** The Rollout's row of the rollouts table (none when it cannot be read). */
  rolloutRows(namespace: string, name: string): RowsOf<RolloutRow> | undefined {
    return this.piece(namespace, name, 'rolloutRows', ({ rollout, replicaSets }) => {
      const byHash = indexReplicaSetsByHash(replicaSets, [rollout]);
      return readableRows([rollout], ROLLOUT_KIND, (one) => rolloutRow(one, byHash, this.settings));
    });
  }

  /** The Rollout object kept. */
  rollout(namespace: string, name: string) {
    return this.pieces(namespace, name)?.objects.rollout;
  }

  /** A piece made from the Rollout's objects, made again only when objects of the kinds it reads changed. */
  private piece<K extends keyof typeof READS>(
    namespace: string,
    name: string,
    kind: K,
    make: (objects: RolloutObjects) => NonNullable<Pieces[K]>['value']
  ): NonNullable<Pieces[K]>['value'] | undefined {
    const pieces = this.pieces(namespace, name);
    if (!pieces) {
      return undefined;
    }
    const made = pieces[kind];
    const version = this.store.version;
    if (made?.checkedAt === version) {
      return made.value;
    }
    const generation = this.store.generationOf(namespace, name, READS[kind]);
    if (made?.generation === generation) {
      made.checkedAt = version;
      return made.value;
    }
    const value = make(pieces.objects);
    pieces[kind] = { generation, checkedAt: version, value } as Pieces[K];
    return value;
  }

  /**
   * The Rollout's pieces with its objects as the store holds them now. When its objects changed, the pieces made
   * from kinds of objects that did not change are kept.
   */
  private pieces(namespace: string, name: string): Pieces | undefined {
    if (++this.calls % PRUNE_EVERY === 0) {
      this.prune();
    }
    let inNamespace = this.made.get(namespace);
    if (inNamespace === undefined) {
      inNamespace = new Map();
      this.made.set(namespace, inNamespace);
    }
    const made = inNamespace.get(name);
    const version = this.store.version;
    if (made?.checkedAt === version) {
      return made;
    }
    const generation = this.store.generationOf(namespace, name);
    if (made?.generation === generation) {
      made.checkedAt = version;
      return made;
    }
    const objects = this.store.objectsOf(namespace, name);
    if (!objects) {
      inNamespace.delete(name);
      return undefined;
    }
    // The timeline reads every kind: it is made again. Every field is set, so that all pieces have one shape.
    const { eventRows, analysisRunRows, rolloutRows } = made ?? {};
    const pieces: Pieces = {
      generation,
      checkedAt: version,
      objects,
      open: undefined,
      timeline: undefined,
      revisionRows: undefined,
      eventRows,
      analysisRunRows,
      rolloutRows,
    };
    inNamespace.set(name, pieces);
    return pieces;
  }

  /** Drops the pieces of Rollouts that left the store. */
  private prune(): void {
    for (const [namespace, inNamespace] of this.made) {
      for (const [name, pieces] of inNamespace) {
        if (this.store.generationOf(namespace, name) !== pieces.generation && !this.store.objectsOf(namespace, name)) {
          inNamespace.delete(name);
        }
      }
      if (inNamespace.size === 0) {
        this.made.delete(namespace);
      }
    }
  }
}
