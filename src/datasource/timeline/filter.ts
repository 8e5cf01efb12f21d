import { rolloutMatcher } from '../filters/rolloutMatcher';
import { counted } from './parse';
import type { Category, DetailLevel, EntryKind, EntryTags, OutcomeFilterValue, TimelineEntry } from './types';

export type TagMatch = 'any' | 'all';

/** What an annotation query keeps. Empty or missing lists mean "no restriction". */
export interface TimelineFilter {
  /** `significant` leaves out the controller's chatter; missing means `all`. */
  detail?: DetailLevel;
  categories?: Category[];
  outcomes?: OutcomeFilterValue[];
  kinds?: EntryKind[];
  /** Default true: entries reconstructed from object status are kept. */
  includeReconstructed?: boolean;
  tags?: string[];
  tagMatch?: TagMatch;
  /** Rollout names or `/regex/` patterns (flags allowed, e.g. `/^web-/i`), already interpolated. */
  rollouts?: string[];
}

export interface FilterResult {
  entries: TimelineEntry[];
  notices: string[];
}

function nonEmpty<T>(list: readonly T[] | undefined): list is readonly T[] {
  return Array.isArray(list) && list.length > 0;
}

function hasAll(entryTags: readonly string[], tags: readonly string[]): boolean {
  for (const t of tags) {
    if (!entryTags.includes(t)) {
      return false;
    }
  }
  return true;
}

function hasAny(entryTags: readonly string[], tags: readonly string[]): boolean {
  for (const t of tags) {
    if (entryTags.includes(t)) {
      return true;
    }
  }
  return false;
}

/** The chosen values, or undefined for no restriction. Lists are short: searching them beats hashing. */
function chosen<T>(list: readonly T[] | undefined): readonly T[] | undefined {
  return nonEmpty(list) ? list : undefined;
}

/**
 * Keeps the entries the filter asks for. Never throws: an invalid rollout regex keeps nothing and says why.
 * Entries come in many shapes, so each field is read at most once, and only when a condition needs it.
 */
export function filterEntries(
  entries: readonly TimelineEntry[],
  filter: TimelineFilter,
  tagsOf: EntryTags
): FilterResult {
  const rolloutPatterns = (filter.rollouts ?? []).filter((p) => typeof p === 'string');
  let matchesRollout: (name: string) => boolean;
  try {
    matchesRollout = rolloutMatcher(rolloutPatterns);
  } catch (error) {
    return { entries: [], notices: [error instanceof Error ? error.message : String(error)] };
  }
  // Blank patterns select every Rollout: then no entry's Rollout needs reading.
  const someRollouts = rolloutPatterns.some((p) => p.trim() !== '');
  const categories = chosen<string>(filter.categories);
  const outcomes = chosen<string>(filter.outcomes);
  const kinds = chosen<string>(filter.kinds);
  const tags = nonEmpty(filter.tags) ? filter.tags.filter((t) => typeof t === 'string' && t !== '') : [];
  const includeReconstructed = filter.includeReconstructed !== false;
  const significantOnly = filter.detail === 'significant';
  const matchAll = filter.tagMatch === 'all';
  const kept: TimelineEntry[] = [];
  for (const entry of entries) {
    if (significantOnly && entry.chatter) {
      continue;
    }
    if (outcomes && !outcomes.includes(entry.outcome ?? 'none')) {
      continue;
    }
    if (categories && !categories.includes(entry.category)) {
      continue;
    }
    if (kinds && !kinds.includes(entry.kind)) {
      continue;
    }
    if (!includeReconstructed && entry.precision === 'reconstructed') {
      continue;
    }
    if (someRollouts && !matchesRollout(entry.rollout)) {
      continue;
    }
    if (tags.length > 0 && !(matchAll ? hasAll(tagsOf(entry), tags) : hasAny(tagsOf(entry), tags))) {
      continue;
    }
    kept.push(entry);
  }
  return { entries: kept, notices: [] };
}

/** Default number of annotations one query returns. */
export const DEFAULT_ANNOTATION_LIMIT = 500;

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function newestFirst(a: TimelineEntry, b: TimelineEntry): number {
  return b.time - a.time || b.timeEnd - a.timeEnd || compareIds(a.id, b.id);
}

function oldestFirst(a: TimelineEntry, b: TimelineEntry): number {
  return a.time - b.time || a.timeEnd - b.timeEnd || compareIds(a.id, b.id);
}

/** Whether the entries are in order of their start times (as a timeline is), none of them unknown. */
function inTimeOrder(entries: readonly TimelineEntry[]): boolean {
  for (let i = 1; i < entries.length; i++) {
    if (!(entries[i - 1].time <= entries[i].time)) {
      return false;
    }
  }
  return true;
}

/**
 * The entries that can be among the newest `max`: all of them, or, when they are in time order, only those from the
 * start time of the `max`-th newest on (an entry that starts earlier is older than each of those).
 */
function candidatesForNewest(entries: readonly TimelineEntry[], max: number): readonly TimelineEntry[] {
  if (!inTimeOrder(entries)) {
    return entries;
  }
  let first = entries.length - max;
  while (first > 0 && entries[first - 1].time === entries[first].time) {
    first--;
  }
  return entries.slice(first);
}

/**
 * Keeps the newest `limit` entries (by start time), in time order, with a notice when some were cut.
 * A limit that is not a positive number means the default.
 */
export function limitEntries(entries: readonly TimelineEntry[], limit: number | undefined): FilterResult {
  const max =
    typeof limit === 'number' && Number.isFinite(limit) && limit >= 1 ? Math.floor(limit) : DEFAULT_ANNOTATION_LIMIT;
  if (entries.length <= max) {
    return { entries: [...entries], notices: [] };
  }
  // Stable sorts: entries that compare equal keep their order.
  const kept = [...candidatesForNewest(entries, max)].sort(newestFirst).slice(0, max).sort(oldestFirst);
  return {
    entries: kept,
    notices: [
      `Showing the newest ${max} of ${counted(entries.length, 'annotation', 'annotations')}: raise the limit or narrow the query to see older ones.`,
    ],
  };
}
