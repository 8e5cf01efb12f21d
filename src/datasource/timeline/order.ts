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

/** Entries of a timeline in the making, and the ids more than one of them has. */
export interface EntryList {
  entries: TimelineEntry[];
  repeatedIds: Set<string>;
}

export function emptyEntryList(): EntryList {
  return { entries: [], repeatedIds: new Set() };
}

/**
 * Adds an entry. `seenIds` holds the ids added before it that it could repeat: every identity names a Rollout or one
 * of its objects, so a caller that adds the entries Rollout by Rollout passes the ids of the Rollout's entries so far.
 */
export function addEntry(list: EntryList, entry: TimelineEntry, seenIds: Set<string>): void {
  list.entries.push(entry);
  if (seenIds.has(entry.id)) {
    list.repeatedIds.add(entry.id);
  } else {
    seenIds.add(entry.id);
  }
}

/**
 * The entries in timeline order, ties in the order they were added (`Array.prototype.sort` is stable); ids that
 * still collide (the same identity twice) get a suffix in that order: the second `<id>-2`, the third `<id>-3`, …
 */
export function orderedEntries(list: EntryList): TimelineEntry[] {
  const sorted = [...list.entries].sort(compareEntries);
  if (list.repeatedIds.size === 0) {
    return sorted;
  }
  const counts = new Map<string, number>();
  return sorted.map((entry) => {
    if (!list.repeatedIds.has(entry.id)) {
      return entry;
    }
    const n = (counts.get(entry.id) ?? 0) + 1;
    counts.set(entry.id, n);
    return n > 1 ? { ...entry, id: `${entry.id}-${n}` } : entry;
  });
}
