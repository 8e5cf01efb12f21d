import { rolloutMatcher } from '../query/rolloutMatcher';
import { counted } from './parse';
import { sortStably } from './sort';
import type { Category, EntryKind, OutcomeFilterValue, TimelineEntry } from './types';

export type TagMatch = 'any' | 'all';

/** What an annotation query keeps. Empty or missing lists mean "no restriction". */
export interface TimelineFilter {
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

/** Keeps the entries the filter asks for. Never throws: an invalid rollout regex keeps nothing and says why. */
export function filterEntries(entries: readonly TimelineEntry[], filter: TimelineFilter = {}): FilterResult {
  let matchesRollout: (name: string) => boolean;
  try {
    matchesRollout = rolloutMatcher((filter.rollouts ?? []).filter((p) => typeof p === 'string'));
  } catch (error) {
    return { entries: [], notices: [error instanceof Error ? error.message : String(error)] };
  }
  const categories = nonEmpty(filter.categories) ? new Set<string>(filter.categories) : undefined;
  const outcomes = nonEmpty(filter.outcomes) ? new Set<string>(filter.outcomes) : undefined;
  const kinds = nonEmpty(filter.kinds) ? new Set<string>(filter.kinds) : undefined;
  const tags = nonEmpty(filter.tags) ? filter.tags.filter((t) => typeof t === 'string' && t !== '') : [];
  const includeReconstructed = filter.includeReconstructed !== false;
  const matchAll = filter.tagMatch === 'all';
  const kept = entries.filter((entry) => {
    if (categories && !categories.has(entry.category)) {
      return false;
    }
    if (outcomes && !outcomes.has(entry.outcome ?? 'none')) {
      return false;
    }
    if (kinds && !kinds.has(entry.kind)) {
      return false;
    }
    if (!includeReconstructed && entry.precision === 'reconstructed') {
      return false;
    }
    if (tags.length > 0 && !(matchAll ? hasAll(entry.tags, tags) : hasAny(entry.tags, tags))) {
      return false;
    }
    return matchesRollout(entry.rollout);
  });
  return { entries: kept, notices: [] };
}

/** Default number of annotations one query returns. */
export const DEFAULT_ANNOTATION_LIMIT = 500;

function newestFirst(a: TimelineEntry, b: TimelineEntry): number {
  return b.time - a.time || b.timeEnd - a.timeEnd || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function oldestFirst(a: TimelineEntry, b: TimelineEntry): number {
  return a.time - b.time || a.timeEnd - b.timeEnd || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * The newest `max` entries by `newestFirst` (ties in their given order), in their given order: what a stable
 * sort and a cut keep. Start times are compared as numbers (a numeric sort finds the oldest one kept); only
 * the entries that start at that instant are compared in full.
 */
function newest(entries: readonly TimelineEntry[], max: number): TimelineEntry[] {
  const times = new Float64Array(entries.length);
  for (let i = 0; i < entries.length; i++) {
    times[i] = entries[i].time;
  }
  const cutoff = times.slice().sort()[entries.length - max];
  let newer = 0;
  const atCutoff: number[] = [];
  for (let i = 0; i < entries.length; i++) {
    if (times[i] > cutoff) {
      newer++;
    } else if (times[i] === cutoff) {
      atCutoff.push(i);
    }
  }
  sortStably(atCutoff, (a, b) => newestFirst(entries[a], entries[b]));
  const keptAtCutoff = new Uint8Array(entries.length);
  for (const i of atCutoff.slice(0, max - newer)) {
    keptAtCutoff[i] = 1;
  }
  return entries.filter((_, i) => times[i] > cutoff || keptAtCutoff[i] === 1);
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
  let kept: TimelineEntry[];
  if (entries.every((e) => Number.isFinite(e.time) && Number.isFinite(e.timeEnd))) {
    kept = newest(entries, max);
    sortStably(kept, oldestFirst);
  } else {
    // Times that do not compare as numbers (NaN, infinities) keep the plain sorts, whatever they make of them.
    kept = [...entries].sort(newestFirst).slice(0, max).sort(oldestFirst);
  }
  return {
    entries: kept,
    notices: [
      `Showing the newest ${max} of ${counted(entries.length, 'annotation', 'annotations')}: raise the limit or narrow the query to see older ones.`,
    ],
  };
}
