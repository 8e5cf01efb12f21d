import { sortStably } from './sort';
import type { EntryKind, TimelineEntry } from './types';

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** At one instant, regions (what was going on) come before points (what happened). */
function kindRank(kind: EntryKind): number {
  return kind === 'region' ? 0 : 1;
}

/**
 * Timeline order: by time, regions before points at one instant, by end, then by id and message (two entries of
 * one id, rare, by their message).
 */
export function compareEntries(a: TimelineEntry, b: TimelineEntry): number {
  return (
    a.time - b.time ||
    kindRank(a.kind) - kindRank(b.kind) ||
    a.timeEnd - b.timeEnd ||
    compareText(a.id, b.id) ||
    compareText(a.message, b.message)
  );
}

/**
 * Entries of a timeline in the making, with the fields their order depends on (but the message, which only tells
 * equal ids apart) copied beside them as they are added: entries come in many shapes and lie all over memory, so
 * reading those fields back later would be slow. The numbers are kept in typed arrays, outside the collected heap.
 */
export interface EntryList {
  entries: TimelineEntry[];
  times: Float64Array;
  ends: Float64Array;
  kindRanks: Uint8Array;
  ids: string[];
  /** Ids that more than one entry has (see `addEntry`). */
  repeatedIds: Set<string>;
}

const INITIAL_CAPACITY = 1024;

export function emptyEntryList(): EntryList {
  return {
    entries: [],
    times: new Float64Array(INITIAL_CAPACITY),
    ends: new Float64Array(INITIAL_CAPACITY),
    kindRanks: new Uint8Array(INITIAL_CAPACITY),
    ids: [],
    repeatedIds: new Set(),
  };
}

function grown<T extends Float64Array | Uint8Array>(values: T): T {
  const larger = new (values.constructor as new (length: number) => T)(values.length * 2);
  larger.set(values);
  return larger;
}

/**
 * Adds an entry; `kind`, `time` and `timeEnd` are the entry's own, passed in by a caller that has read them.
 * `seenIds` holds the ids added before it that it could repeat: every identity names a Rollout or one of its
 * objects, so a caller that adds the entries Rollout by Rollout passes the ids of the Rollout's entries so far.
 */
export function addEntry(
  list: EntryList,
  entry: TimelineEntry,
  kind: EntryKind,
  time: number,
  timeEnd: number,
  seenIds: Set<string>
): void {
  const { id } = entry;
  const i = list.entries.length;
  if (i === list.times.length) {
    list.times = grown(list.times);
    list.ends = grown(list.ends);
    list.kindRanks = grown(list.kindRanks);
  }
  list.entries.push(entry);
  list.times[i] = time;
  list.ends[i] = timeEnd;
  list.kindRanks[i] = kindRank(kind);
  list.ids.push(id);
  // One lookup: a set that does not grow by it already held it.
  const known = seenIds.size;
  seenIds.add(id);
  if (seenIds.size === known) {
    list.repeatedIds.add(id);
  }
}

/** The first index of the ascending `values` that holds `value` or more. */
function lowerBound(values: Float64Array, value: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (values[mid] < value) {
      low = mid + 1;
    } else {
      high = mid;
    }
  }
  return low;
}

/**
 * The indexes of the entries in timeline order, ties in the order they were added (a stable sort): by time,
 * regions first, by end, then by id and message. Entries are placed by time (a numeric sort and a binary search
 * each); only those of one instant are compared.
 */
function timelineOrder(list: EntryList): Int32Array {
  const { entries, times, ends, kindRanks, ids } = list;
  const n = entries.length;
  const sortedTimes = times.slice(0, n).sort();
  const order = new Int32Array(n);
  const placedAt = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const first = lowerBound(sortedTimes, times[i]);
    order[first + placedAt[first]++] = i;
  }
  const compareAtOneInstant = (i: number, j: number) =>
    kindRanks[i] - kindRanks[j] ||
    ends[i] - ends[j] ||
    compareText(ids[i], ids[j]) ||
    // Rare (the same id twice): read from the entries themselves.
    compareText(entries[i].message, entries[j].message);
  for (let start = 0, end = 1; start < n; start = end, end = start + 1) {
    while (end < n && sortedTimes[end] === sortedTimes[start]) {
      end++;
    }
    if (end - start > 1) {
      sortStably(order, compareAtOneInstant, start, end);
    }
  }
  return order;
}

/** The second entry with an id gets `<id>-2`, the third `<id>-3`, …, in timeline order. */
function suffixRepeatedIds(sorted: TimelineEntry[], order: Int32Array, list: EntryList): void {
  const counts = new Map<string, number>();
  for (let k = 0; k < order.length; k++) {
    const id = list.ids[order[k]];
    if (!list.repeatedIds.has(id)) {
      continue;
    }
    const n = (counts.get(id) ?? 0) + 1;
    counts.set(id, n);
    if (n > 1) {
      sorted[k] = { ...sorted[k], id: `${id}-${n}` };
    }
  }
}

/** The entries in timeline order; ids that still collide (the same identity twice) get a deterministic suffix. */
export function orderedEntries(list: EntryList): TimelineEntry[] {
  const order = timelineOrder(list);
  const sorted = list.entries.slice();
  for (let k = 0; k < order.length; k++) {
    sorted[k] = list.entries[order[k]];
  }
  if (list.repeatedIds.size > 0) {
    suffixRepeatedIds(sorted, order, list);
  }
  return sorted;
}
