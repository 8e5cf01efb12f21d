import type { Draft, DraftEntry } from './draft';
import { dedupeSources } from './revisions';
import { sortStably } from './sort';

/** Records of one moment (an Event and a status reconstruction, or three analysis Events) within this window merge. */
export const SAME_MOMENT_MS = 120_000;

function order<T extends number | string>(a: T, b: T): number {
  return a === b ? 0 : a < b ? -1 : 1;
}

/** The exact record first, then the lower merge rank, the earlier time, the lower id. */
function better(a: Draft, b: Draft): number {
  return (
    order(a.entry.precision === 'exact' ? 0 : 1, b.entry.precision === 'exact' ? 0 : 1) ||
    order(a.mergeRank ?? 0, b.mergeRank ?? 0) ||
    order(a.entry.time, b.entry.time) ||
    order(a.entry.id, b.entry.id)
  );
}

/**
 * One entry for the records of one moment: the best record, with the details it lacks taken from the first of
 * the others that has them. The best record's entry is completed in place (fields it has keep their place, the
 * others are added after them), so it reads as a copy with those fields set.
 */
function combine(group: Draft[]): DraftEntry {
  sortStably(group, better);
  const primary = group[0].entry;
  let revision = primary.revision;
  let images = primary.images;
  let step = primary.step;
  let failingMetric = primary.analysis?.failingMetric;
  const related: string[] = [];
  const sources = primary.sources.slice();
  for (let i = 1; i < group.length; i++) {
    const other = group[i].entry;
    revision ??= other.revision;
    images ??= other.images;
    step ??= other.step;
    failingMetric ??= other.analysis?.failingMetric || undefined;
    // A message that repeats the primary one (or that it repeats) adds nothing.
    const m = other.message;
    if (!m.includes(primary.message) && !primary.message.includes(m) && !related.includes(m)) {
      related.push(m);
    }
    sources.push(...other.sources);
  }
  primary.revision = revision;
  primary.images = images;
  primary.step = step;
  if (primary.analysis) {
    primary.analysis.failingMetric = failingMetric;
  } else {
    primary.analysis = undefined;
  }
  primary.relatedMessages = related.length ? related : undefined;
  primary.sources = dedupeSources(sources);
  return primary;
}

function byTimeThenId(a: Draft, b: Draft): number {
  return a.entry.time - b.entry.time || (a.entry.id < b.entry.id ? -1 : a.entry.id > b.entry.id ? 1 : 0);
}

/**
 * Merges points that report the same moment: same Rollout, same `momentKey`, times within `SAME_MOMENT_MS`
 * of the first of the group. The exact record wins; the others add their sources and missing details.
 * Entries that are not such points come first, in their order; then the merged ones.
 */
export function mergeMoments(drafts: Draft[]): DraftEntry[] {
  const keyed = new Map<string, Draft[]>();
  const result: DraftEntry[] = [];
  for (const d of drafts) {
    const { entry } = d;
    const moment =
      d.momentKey ?? (d.revisionMoment !== undefined ? `${d.revisionMoment}/${entry.revision ?? ''}` : undefined);
    if (moment === undefined || entry.kind !== 'point') {
      result.push(entry);
      continue;
    }
    const key = `${entry.namespace}\u0000${entry.rollout}\u0000${moment}`;
    const list = keyed.get(key);
    if (list) {
      list.push(d);
    } else {
      keyed.set(key, [d]);
    }
  }
  for (const list of keyed.values()) {
    sortStably(list, byTimeThenId);
    let group: Draft[] = [];
    for (const d of list) {
      if (group.length > 0 && d.entry.time - group[0].entry.time > SAME_MOMENT_MS) {
        result.push(combine(group));
        group = [];
      }
      group.push(d);
    }
    if (group.length > 0) {
      result.push(combine(group));
    }
  }
  return result;
}
