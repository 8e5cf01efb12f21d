import type { Draft } from './draft';
import { dedupeSources } from './revisions';

/** Records of one moment (an Event and a status reconstruction, or three analysis Events) within this window merge. */
export const SAME_MOMENT_MS = 120_000;

function rank(d: Draft): [number, number, number, string] {
  return [d.precision === 'exact' ? 0 : 1, d.mergeRank ?? 0, d.time, d.id];
}

function better(a: Draft, b: Draft): number {
  const ra = rank(a);
  const rb = rank(b);
  for (let i = 0; i < ra.length; i++) {
    if (ra[i] !== rb[i]) {
      return ra[i] < rb[i] ? -1 : 1;
    }
  }
  return 0;
}

function combine(group: Draft[]): Draft {
  const [primary, ...others] = [...group].sort(better);
  // A message that repeats the primary one (or that it repeats) adds nothing.
  const related = others
    .map((o) => o.message)
    .filter((m, i, all) => !m.includes(primary.message) && !primary.message.includes(m) && all.indexOf(m) === i);
  const failingMetric =
    primary.analysis?.failingMetric ?? others.find((o) => o.analysis?.failingMetric)?.analysis?.failingMetric;
  return {
    ...primary,
    revision: primary.revision ?? others.find((o) => o.revision !== undefined)?.revision,
    images: primary.images ?? others.find((o) => o.images)?.images,
    step: primary.step ?? others.find((o) => o.step)?.step,
    analysis: primary.analysis ? { ...primary.analysis, failingMetric } : undefined,
    relatedMessages: related.length ? related : undefined,
    sources: dedupeSources([...primary.sources, ...others.flatMap((o) => o.sources)]),
  };
}

/**
 * Merges points that report the same moment: same Rollout, same `momentKey`, times within `SAME_MOMENT_MS`
 * of the first of the group. The exact record wins; the others add their sources and missing details.
 */
export function mergeMoments(drafts: Draft[]): Draft[] {
  const keyed = new Map<string, Draft[]>();
  const result: Draft[] = [];
  for (const d of drafts) {
    const moment =
      d.momentKey ?? (d.revisionMoment !== undefined ? `${d.revisionMoment}/${d.revision ?? ''}` : undefined);
    if (moment === undefined || d.kind !== 'point') {
      result.push(d);
      continue;
    }
    const key = `${d.namespace}\u0000${d.rollout}\u0000${moment}`;
    const list = keyed.get(key) ?? [];
    list.push(d);
    keyed.set(key, list);
  }
  for (const list of keyed.values()) {
    list.sort((a, b) => a.time - b.time || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    let group: Draft[] = [];
    for (const d of list) {
      if (group.length > 0 && d.time - group[0].time > SAME_MOMENT_MS) {
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
