import type { Draft, DraftEntry } from './draft';
import { revisionMomentKey } from './moments';
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
 * The details of `others` that `primary` lacks, filled in; their sources added to its own. The richer text wins:
 * a message that contains the primary's (the same words with more detail) replaces it, and messages that say
 * something else are kept as related messages. Completed in place, so that fields it has keep their place.
 */
function completeWith(primary: DraftEntry, others: readonly DraftEntry[], relate: boolean): void {
  let revision = primary.revision;
  let images = primary.images;
  let step = primary.step;
  let failingMetric = primary.analysis?.failingMetric;
  let message = primary.message;
  // One significant report makes the fact significant.
  let chatter = primary.chatter;
  const related: string[] = primary.relatedMessages?.slice() ?? [];
  const sources = primary.sources.slice();
  for (const other of others) {
    revision ??= other.revision;
    images ??= other.images;
    step ??= other.step;
    failingMetric ??= other.analysis?.failingMetric || undefined;
    chatter &&= other.chatter;
    const m = other.message;
    if (relate && m !== message) {
      if (m.includes(message)) {
        message = m;
      } else if (!message.includes(m) && !related.includes(m)) {
        related.push(m);
      }
    }
    for (const source of other.sources) {
      sources.push(source);
    }
  }
  const stillRelated = related.filter((m) => !message.includes(m));
  primary.message = message;
  primary.chatter = chatter || undefined;
  primary.revision = revision;
  primary.images = images;
  primary.step = step;
  if (primary.analysis) {
    primary.analysis.failingMetric = failingMetric;
  } else {
    primary.analysis = undefined;
  }
  primary.relatedMessages = stillRelated.length ? stillRelated : undefined;
  primary.sources = dedupeSources(sources);
}

/** One entry for the records of one moment: the best record, completed by the others. */
function combine(group: Draft[]): DraftEntry {
  sortStably(group, better);
  const primary = group[0].entry;
  completeWith(
    primary,
    group.slice(1).map((d) => d.entry),
    true
  );
  return primary;
}

/** A span and the points that report its start or its end. */
interface SpanFacts {
  span: DraftEntry;
  startPoints: Draft[];
  endPoints: Draft[];
}

/**
 * A span takes in the points that report its own start or end (the AnalysisRun's result, also told by the
 * Rollout's, the run's and its metrics' Events): their sources and the details it lacks, but not their messages,
 * which only say again what the span says. An exact point gives the span the end it did not record.
 */
function absorb({ span, startPoints, endPoints }: SpanFacts): void {
  const points = startPoints.concat(endPoints);
  sortStably(points, better);
  if (span.endUnknown) {
    const end = endPoints.find((d) => d.entry.precision === 'exact');
    if (end) {
      span.timeEnd = Math.max(span.time, end.entry.time);
      span.endUnknown = undefined;
      span.derivation += `; end from the ${end.entry.reason ?? 'reported'} Event`;
    }
  }
  completeWith(
    span,
    points.map((d) => d.entry),
    false
  );
}

function byTimeThenId(a: Draft, b: Draft): number {
  return a.entry.time - b.entry.time || (a.entry.id < b.entry.id ? -1 : a.entry.id > b.entry.id ? 1 : 0);
}

const keyOf = (entry: DraftEntry, moment: string) => `${entry.namespace}\u0000${entry.rollout}\u0000${moment}`;

/** How far a moment lies outside a span (0 inside it). */
function distance(span: DraftEntry, time: number): number {
  return time < span.time ? span.time - time : time > span.timeEnd ? time - span.timeEnd : 0;
}

/** The span of these that lies nearest to the time, within `SAME_MOMENT_MS`. */
function nearest(spans: SpanFacts[] | undefined, time: number): SpanFacts | undefined {
  let found: SpanFacts | undefined;
  let best = SAME_MOMENT_MS;
  for (const candidate of spans ?? []) {
    const d = distance(candidate.span, time);
    if (d <= best && (!found || d < best)) {
      found = candidate;
      best = d;
    }
  }
  return found;
}

/**
 * One entry per fact. Points that report the same fact (same Rollout, same `momentKey`, times within
 * `SAME_MOMENT_MS` of the first of the group) merge: the exact record wins, the others add their sources and
 * missing details. A point that reports the start or end of a span (within `SAME_MOMENT_MS` of it) becomes part of
 * that span. Entries that are not such points come first, in their order; then the merged ones.
 */
export function mergeMoments(drafts: Draft[]): DraftEntry[] {
  const spansByMoment = new Map<string, SpanFacts[]>();
  const result: DraftEntry[] = [];
  const addSpan = (key: string, facts: SpanFacts) => {
    const list = spansByMoment.get(key);
    if (list) {
      list.push(facts);
    } else {
      spansByMoment.set(key, [facts]);
    }
  };
  const spans: SpanFacts[] = [];
  for (const d of drafts) {
    if (d.startMoments === undefined && d.endMoments === undefined) {
      continue;
    }
    const facts: SpanFacts = { span: d.entry, startPoints: [], endPoints: [] };
    spans.push(facts);
    for (const moment of d.startMoments ?? []) {
      addSpan(keyOf(d.entry, `${moment}\u0000start`), facts);
    }
    for (const moment of d.endMoments ?? []) {
      addSpan(keyOf(d.entry, `${moment}\u0000end`), facts);
    }
  }
  const keyed = new Map<string, Draft[]>();
  for (const d of drafts) {
    const { entry } = d;
    const moment =
      d.momentKey ?? (d.revisionMoment !== undefined ? revisionMomentKey(d.revisionMoment, entry.revision) : undefined);
    if (moment === undefined || entry.kind !== 'point') {
      result.push(entry);
      continue;
    }
    const key = keyOf(entry, moment);
    if (spans.length > 0) {
      const endOf = nearest(spansByMoment.get(`${key}\u0000end`), entry.time);
      if (endOf) {
        endOf.endPoints.push(d);
        continue;
      }
      const startOf = nearest(spansByMoment.get(`${key}\u0000start`), entry.time);
      if (startOf) {
        startOf.startPoints.push(d);
        continue;
      }
    }
    const list = keyed.get(key);
    if (list) {
      list.push(d);
    } else {
      keyed.set(key, [d]);
    }
  }
  for (const facts of spans) {
    if (facts.startPoints.length > 0 || facts.endPoints.length > 0) {
      absorb(facts);
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
