import { rolloutMatcher } from '../query/rolloutMatcher';
import { counted } from './parse';
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
    if (tags.length > 0) {
      const has = (t: string) => entry.tags.includes(t);
      if (filter.tagMatch === 'all' ? !tags.every(has) : !tags.some(has)) {
        return false;
      }
    }
    return matchesRollout(entry.rollout);
  });
  return { entries: kept, notices: [] };
}

/** Default number of annotations one query returns. */
export const DEFAULT_ANNOTATION_LIMIT = 500;

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
  const newest = [...entries]
    .sort((a, b) => b.time - a.time || b.timeEnd - a.timeEnd || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .slice(0, max)
    .sort((a, b) => a.time - b.time || a.timeEnd - b.timeEnd || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    entries: newest,
    notices: [
      `Showing the newest ${max} of ${counted(entries.length, 'annotation', 'annotations')}: raise the limit or narrow the query to see older ones.`,
    ],
  };
}
