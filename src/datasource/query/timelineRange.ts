import type { TimelineEntry, TimeRange } from '../timeline/types';

/**
 * The entries of a timeline that meet the range: a point inside it, a region that overlaps it. The same rule as the
 * timeline's own range, so that one timeline built up to the end of the range serves both the series (which need
 * what happened before the range) and every query that shows only the range.
 */
export function entriesInRange(entries: readonly TimelineEntry[], { from, to }: TimeRange): TimelineEntry[] {
  const kept: TimelineEntry[] = [];
  for (const entry of entries) {
    // A point's end is its time.
    if (entry.time <= to && entry.timeEnd >= from) {
      kept.push(entry);
    }
  }
  return kept;
}
