import { type AnalysisRunRow, compareAnalysisRunRows } from '../frames/tables/analysisRuns';
import { compareEventRows, type EventRow } from '../frames/tables/events';
import { compareText } from '../frames/tables/fields';
import { compareRevisionRows, type RevisionRow } from '../frames/tables/revisions';
import { compareRolloutRows, type RolloutRow } from '../frames/tables/rollouts';
import { labelSelectorMatcher } from '../filters/labelSelector';
import { rolloutMatcher } from '../filters/rolloutMatcher';
import type { ClusterStore } from '../store/clusterStore';
import { type FilterResult, filterEntries, type TimelineFilter } from '../timeline/filter';
import { compareEntries } from '../timeline/order';
import { addTimelineProblems, emptyTimelineProblems, type TimelineProblems } from '../timeline/problems';
import { isOpenRegion, openRegionEndedAt } from '../timeline/buildTimeline';
import type { TimelineEntry, TimelineResult } from '../timeline/types';
import { MergedPieces, type Piece } from './mergedPieces';
import type { RolloutCache, RowsOf } from './rolloutCache';

/** The Rollouts a query shows, in namespace and name order, and what selected them. */
export interface Selection {
  /** Queries with equal keys select alike: they share merged pieces. */
  key: string;
  /** `owner` names the Rollout's pieces in merged lists (made once per selection). */
  rollouts: Array<{ namespace: string; name: string; owner: string }>;
}

export interface SelectionFilter {
  /** Empty: every namespace the store holds. */
  namespaces: readonly string[];
  /** Names or one `/regex/`, interpolated; empty or blank: all. */
  rollouts: readonly string[];
  labelSelector: string;
}

const owner = (namespace: string, name: string) => `${namespace}/${name}`;

/** Filters with equal keys select the same Rollouts of one store. */
function selectionKey(filter: SelectionFilter): string {
  return JSON.stringify([[...new Set(filter.namespaces)].sort(), filter.rollouts, filter.labelSelector.trim()]);
}

/** The Rollouts of the store that a query selects: by namespace, name and label selector (applied here). */
export function selectRollouts(store: ClusterStore, filter: SelectionFilter): Selection {
  const namespaces = filter.namespaces.length > 0 ? new Set(filter.namespaces) : undefined;
  const isSelected = rolloutMatcher([...filter.rollouts]);
  const hasLabels = labelSelectorMatcher(filter.labelSelector);
  const rollouts: Selection['rollouts'] = [];
  for (const rollout of store.rollouts(namespaces)) {
    const { namespace = '', name = '', labels } = rollout.metadata ?? {};
    if (isSelected(name) && hasLabels(labels)) {
      rollouts.push({ namespace, name, owner: owner(namespace, name) });
    }
  }
  rollouts.sort((a, b) => compareText(a.namespace, b.namespace) || compareText(a.name, b.name));
  return { key: selectionKey(filter), rollouts };
}

/** Selections kept for this many filters. */
const SELECTIONS_KEPT = 24;

/**
 * The selections of the store's Rollouts by the last filters, kept until a Rollout is added, changed or deleted:
 * the panels of a dashboard mostly select alike, and a refresh of a cluster whose Rollouts did not change selects
 * nothing again.
 */
export class Selections {
  private readonly kept = new Map<string, Selection>();

  constructor(private readonly store: ClusterStore) {
    store.subscribe(({ kind }) => {
      if (kind === 'Rollout') {
        this.kept.clear();
      }
    });
  }

  select(filter: SelectionFilter): Selection {
    const key = selectionKey(filter);
    let selection = this.kept.get(key);
    if (selection === undefined) {
      selection = selectRollouts(this.store, filter);
      if (this.kept.size >= SELECTIONS_KEPT) {
        this.kept.clear();
      }
      this.kept.set(key, selection);
    }
    return selection;
  }
}

/** The entries of the selected Rollouts in timeline order, with what their timelines had to say. */
export interface MergedTimeline extends Pick<TimelineResult, 'entries' | 'problems' | 'tagsOf'> {
  /**
   * The entries before their open regions were ended at `now`: a new list only when objects of the selected Rollouts
   * changed, not when the clock moved (what a live answer compares).
   */
  unended: readonly TimelineEntry[];
  /** What the filter had to say (an invalid rollout pattern), once each. */
  notices: string[];
}

export interface MergedRows<Row> extends RowsOf<Row> {}

/** Merged lists kept for this many selections and kinds of piece. */
const MERGED_KEPT = 24;

/**
 * A query's timeline and table rows, assembled from the pieces of the Rollouts it selects (see docs/architecture.md):
 * the merged lists of the last selections are kept, and only the pieces that changed are merged in again.
 */
export class Assembly {
  private readonly merged = new Map<string, MergedPieces<unknown>>();
  /**
   * By merged open timeline: where its open regions are, and its entries with them ended at the last `now` asked for.
   */
  private readonly ended = new WeakMap<TimelineEntry[], { openAt: number[]; now: number; entries: TimelineEntry[] }>();
  /** By a Rollout's timeline entries: what each annotation filter (by its key) keeps of them. */
  private readonly filterResults = new WeakMap<readonly TimelineEntry[], Map<string, FilterResult>>();

  constructor(private readonly cache: RolloutCache) {}

  /**
   * The merged timeline of the selected Rollouts, its regions still in progress ending at `now`; with a filter, of the
   * entries it keeps. The open timelines are merged (they change only with the Rollouts' objects, not with the clock)
   * and their open regions ended once. A filter is applied to each Rollout's open timeline once (it keeps the same
   * entries of it as of the timeline ended at any later `now`), so that a refresh filters only the changed Rollouts.
   */
  timeline(selection: Selection, now: number, filter?: TimelineFilter): MergedTimeline {
    const problems = emptyTimelineProblems();
    const notices = new Set<string>();
    const pieces: Array<Piece<TimelineEntry>> = [];
    // Filters with equal keys keep alike: their results per Rollout and their merged lists are shared.
    const keyed = filter && { filter, key: JSON.stringify(filter) };
    for (const { namespace, name, owner } of selection.rollouts) {
      const timeline = this.cache.openTimeline(namespace, name, now);
      if (timeline) {
        addTimelineProblems(problems, timeline.problems);
        const filtered = keyed && this.filtered(timeline, keyed);
        filtered?.notices.forEach((notice) => notices.add(notice));
        pieces.push({ owner, items: filtered?.entries ?? timeline.entries });
      }
    }
    const open = this.mergedOf(`timeline ${keyed?.key ?? ''}`, selection, compareEntries).update(pieces);
    const timelineOf = (entry: TimelineEntry) => this.cache.openTimeline(entry.namespace, entry.rollout, now);
    return {
      entries: this.endedAt(open, now),
      unended: open,
      problems,
      notices: [...notices],
      tagsOf: (entry) => timelineOf(entry)?.tagsOf(entry) ?? [],
    };
  }

  /** What a filter keeps of one Rollout's timeline, kept while the timeline is. */
  private filtered(timeline: TimelineResult, { filter, key }: { filter: TimelineFilter; key: string }): FilterResult {
    let byFilter = this.filterResults.get(timeline.entries);
    if (byFilter === undefined) {
      byFilter = new Map();
      this.filterResults.set(timeline.entries, byFilter);
    }
    let result = byFilter.get(key);
    if (result === undefined) {
      result = filterEntries(timeline.entries, filter, timeline.tagsOf);
      byFilter.set(key, result);
    }
    return result;
  }

  /**
   * `endOpenRegions` of a merged open timeline. Each query of a refresh asks at its own `now`: the places of the open
   * regions are found once per merged list, and only those entries are made again for another `now`.
   */
  private endedAt(open: TimelineEntry[], now: number): TimelineEntry[] {
    let ended = this.ended.get(open);
    if (ended === undefined) {
      const openAt: number[] = [];
      for (let index = 0; index < open.length; index++) {
        if (isOpenRegion(open[index])) {
          openAt.push(index);
        }
      }
      ended = { openAt, now: NaN, entries: open };
      this.ended.set(open, ended);
    }
    if (ended.now !== now && ended.openAt.length > 0) {
      const entries = open.slice();
      for (const index of ended.openAt) {
        entries[index] = openRegionEndedAt(open[index], now);
      }
      ended.now = now;
      ended.entries = entries;
    }
    return ended.entries;
  }

  revisionRows(selection: Selection, now: number): { rows: RevisionRow[]; problems: TimelineProblems } {
    const problems = emptyTimelineProblems();
    const pieces = selection.rollouts.map(({ namespace, name, owner }) => {
      const timeline = this.cache.openTimeline(namespace, name, now);
      if (timeline) {
        addTimelineProblems(problems, timeline.problems);
      }
      return { owner, items: this.cache.revisionRows(namespace, name, now) };
    });
    return { rows: this.mergedOf('revisions', selection, compareRevisionRows).update(pieces), problems };
  }

  eventRows(selection: Selection): MergedRows<EventRow> & { skipped: string[]; someAggregated: boolean } {
    let someAggregated = false;
    const pieces: Array<Piece<EventRow>> = [];
    for (const { namespace, name, owner } of selection.rollouts) {
      const made = this.cache.eventRows(namespace, name);
      if (made) {
        someAggregated ||= made.someAggregated;
        pieces.push({ owner, items: made.rows });
      }
    }
    return { rows: this.mergedOf('events', selection, compareEventRows).update(pieces), skipped: [], someAggregated };
  }

  analysisRunRows(selection: Selection): MergedRows<AnalysisRunRow> {
    return this.rows(selection, 'analysisRuns', compareAnalysisRunRows, (namespace, name) =>
      this.cache.analysisRunRows(namespace, name)
    );
  }

  rolloutRows(selection: Selection): MergedRows<RolloutRow> & { unreconciled: number } {
    let unreconciled = 0;
    for (const { namespace, name } of selection.rollouts) {
      if (this.cache.rollout(namespace, name)?.status === undefined) {
        unreconciled++;
      }
    }
    const rows = this.rows(selection, 'rollouts', compareRolloutRows, (namespace, name) =>
      this.cache.rolloutRows(namespace, name)
    );
    return { ...rows, unreconciled };
  }

  private rows<Row>(
    selection: Selection,
    kind: string,
    compare: (a: Row, b: Row) => number,
    rowsOf: (namespace: string, name: string) => RowsOf<Row> | undefined
  ): MergedRows<Row> {
    const skipped: string[] = [];
    const pieces: Array<Piece<Row>> = [];
    for (const { namespace, name, owner } of selection.rollouts) {
      const made = rowsOf(namespace, name);
      if (made) {
        skipped.push(...made.skipped);
        pieces.push({ owner, items: made.rows });
      }
    }
    return { rows: this.mergedOf(kind, selection, compare).update(pieces), skipped };
  }

  private mergedOf<T>(kind: string, selection: Selection, compare: (a: T, b: T) => number): MergedPieces<T> {
    const key = `${kind} ${selection.key}`;
    let merged = this.merged.get(key) as MergedPieces<T> | undefined;
    if (merged) {
      // Most recently used last.
      this.merged.delete(key);
    } else {
      merged = new MergedPieces<T>(compare);
      while (this.merged.size >= MERGED_KEPT) {
        this.merged.delete(this.merged.keys().next().value as string);
      }
    }
    this.merged.set(key, merged as MergedPieces<unknown>);
    return merged;
  }
}
