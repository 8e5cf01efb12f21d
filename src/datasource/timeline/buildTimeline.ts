import { tagsFor } from '../tags/tagMapping';
import { analysisRunRegion, experimentRegion } from './analysis';
import type { Draft } from './draft';
import { type EventContext, eventPoint } from './eventPoints';
import { dedupeEvents, emptyEventProblems, eventProblemNotices, type NormalizedEvent, normalizeEvent } from './events';
import { mergeMoments } from './merge';
import {
  type AnalysisRunView,
  type ExperimentView,
  parseAnalysisRun,
  parseExperiment,
  parseReplicaSet,
  parseRollout,
  type ReplicaSetView,
  type RolloutView,
} from './objects';
import { counted } from './parse';
import { pauseRegions } from './pauses';
import { revisionInMessage } from './reasons';
import { collectRevisions, type RevisionRecord, revisionRegions, rollbackPoints } from './revisions';
import { statusPoints } from './statusPoints';
import type { TimelineEntry, TimelineInput, TimelineResult } from './types';

/** Entries more than this far after `now` are reported as clock skew (they are still shown). */
const FUTURE_TOLERANCE_MS = 5 * 60_000;

const key = (namespace: string, name: string) => `${namespace}/${name}`;

function listOf<T>(value: readonly T[] | unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function canonical(value: unknown): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return '';
  }
}

/**
 * Parses a list, keeping one object per namespace/name: a list can hold the same object twice (pages read
 * across a change), and which copy wins must not depend on the order of the list.
 */
function parseAll<T extends { namespace: string; name: string }>(
  items: unknown[],
  parse: (o: unknown) => T | undefined
): { parsed: T[]; failed: number } {
  const byName = new Map<string, { view: T; text: string }>();
  let failed = 0;
  for (const item of items) {
    const view = parse(item);
    if (view === undefined) {
      failed++;
      continue;
    }
    const k = key(view.namespace, view.name);
    const text = canonical(item);
    const existing = byName.get(k);
    if (!existing || text > existing.text) {
      byName.set(k, { view, text });
    }
  }
  return { parsed: [...byName.values()].map((v) => v.view), failed };
}

function finiteOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

interface RolloutBucket {
  namespace: string;
  name: string;
  view?: RolloutView;
  replicaSets: ReplicaSetView[];
  /** Events whose involved object is the Rollout itself. */
  rolloutEvents: NormalizedEvent[];
  /** Events about its AnalysisRuns and Experiments. */
  childEvents: NormalizedEvent[];
  analysisRuns: AnalysisRunView[];
  experiments: ExperimentView[];
}

/** Finds the Rollout a child object belongs to by name, `<rollout>-<podHash>-…`, when no object links it. */
function rolloutByNamePrefix(name: string, candidates: string[]): string | undefined {
  return candidates.filter((c) => name.startsWith(`${c}-`)).sort((a, b) => b.length - a.length || (a < b ? -1 : 1))[0];
}

/** The revision a revision-less moment belongs to: the latest revision started at or before it. */
function revisionAt(time: number, records: RevisionRecord[]): RevisionRecord | undefined {
  let found: RevisionRecord | undefined;
  for (const r of records) {
    if (r.start && r.start.time <= time && (!found || r.start.time >= found.start!.time)) {
      found = r;
    }
  }
  return found;
}

/** `<rollout>-<podHash>-<revision>[-…]` -> revision, for AnalysisRuns and Experiments no longer kept. */
function revisionInChildName(name: string, rollout: string): number | undefined {
  const match = /^[a-z0-9]+-(\d+)(?:$|[-.])/.exec(name.slice(rollout.length + 1));
  return match ? Number(match[1]) : undefined;
}

/**
 * The timeline of Argo Rollouts activity: one ordered list of points and regions for the range, from Events
 * (exact, short-lived) and ReplicaSets, AnalysisRuns, Experiments and Rollout status (durable, coarser).
 * Pure; never throws: unusable input becomes a notice and the rest is still returned.
 */
export function buildTimeline(input: TimelineInput): TimelineResult {
  const notices: string[] = [];
  try {
    return buildUnsafe(input, notices);
  } catch (error) {
    notices.push(`The timeline could not be built: ${error instanceof Error ? error.message : String(error)}`);
    return { entries: [], notices };
  }
}

function buildUnsafe(input: TimelineInput, notices: string[]): TimelineResult {
  const now = finiteOr(input?.now, Date.now());
  const from = finiteOr(input?.range?.from, -Infinity);
  const to = finiteOr(input?.range?.to, Infinity);
  const cluster = typeof input?.cluster === 'string' ? input.cluster : '';

  const rollouts = parseAll(listOf(input?.rollouts), parseRollout);
  const replicaSets = parseAll(listOf(input?.replicaSets), parseReplicaSet);
  const analysisRuns = parseAll(listOf(input?.analysisRuns), parseAnalysisRun);
  const experiments = parseAll(listOf(input?.experiments), parseExperiment);
  const problems = emptyEventProblems();
  const events = dedupeEvents(
    listOf(input?.events).flatMap((raw) => {
      const event = normalizeEvent(raw, problems);
      return event ? [event] : [];
    })
  );
  notices.push(...eventProblemNotices(problems));
  for (const [what, failed] of [
    ['Rollouts', rollouts.failed],
    ['AnalysisRuns', analysisRuns.failed],
    ['Experiments', experiments.failed],
  ] as const) {
    if (failed > 0) {
      notices.push(`Skipped ${counted(failed, what.slice(0, -1), what)} that could not be read (no metadata.name).`);
    }
  }

  const buckets = new Map<string, RolloutBucket>();
  const bucket = (namespace: string, name: string) => {
    const k = key(namespace, name);
    let b = buckets.get(k);
    if (!b) {
      b = { namespace, name, replicaSets: [], rolloutEvents: [], childEvents: [], analysisRuns: [], experiments: [] };
      buckets.set(k, b);
    }
    return b;
  };
  for (const view of rollouts.parsed) {
    bucket(view.namespace, view.name).view = view;
  }
  for (const rs of replicaSets.parsed) {
    bucket(rs.namespace, rs.rollout).replicaSets.push(rs);
  }
  for (const event of events) {
    if (event.involvedKind === 'Rollout') {
      bucket(event.namespace, event.involvedName).rolloutEvents.push(event);
    }
  }
  // Names a child may be matched against by prefix: fixed before any matching, so the input order cannot matter.
  const knownRollouts = new Set([
    ...buckets.keys(),
    ...experiments.parsed.flatMap((e) => (e.rollout ? [key(e.namespace, e.rollout)] : [])),
    ...analysisRuns.parsed.flatMap((r) => (r.rollout ? [key(r.namespace, r.rollout)] : [])),
  ]);
  const namesIn = (namespace: string) =>
    [...knownRollouts].filter((k) => k.startsWith(`${namespace}/`)).map((k) => k.slice(namespace.length + 1));

  const experimentOwner = new Map<string, string>();
  for (const exp of experiments.parsed) {
    const owner = exp.rollout ?? rolloutByNamePrefix(exp.name, namesIn(exp.namespace));
    if (owner) {
      experimentOwner.set(key(exp.namespace, exp.name), owner);
      bucket(exp.namespace, owner).experiments.push(exp);
    }
  }
  const runOwner = new Map<string, { rollout: string; run: AnalysisRunView }>();
  let orphanRuns = 0;
  for (const run of analysisRuns.parsed) {
    const owner =
      run.rollout ??
      (run.experiment ? experimentOwner.get(key(run.namespace, run.experiment)) : undefined) ??
      rolloutByNamePrefix(run.name, namesIn(run.namespace));
    if (owner) {
      runOwner.set(key(run.namespace, run.name), { rollout: owner, run });
      bucket(run.namespace, owner).analysisRuns.push(run);
    } else {
      orphanRuns++;
    }
  }
  let orphanEvents = 0;
  for (const event of events) {
    if (event.involvedKind === 'Rollout') {
      continue;
    }
    const k = key(event.namespace, event.involvedName);
    const owner =
      (event.involvedKind === 'AnalysisRun' ? runOwner.get(k)?.rollout : experimentOwner.get(k)) ??
      rolloutByNamePrefix(event.involvedName, namesIn(event.namespace));
    if (owner) {
      bucket(event.namespace, owner).childEvents.push(event);
    } else {
      orphanEvents++;
    }
  }
  if (orphanRuns > 0) {
    notices.push(`Skipped ${counted(orphanRuns, 'AnalysisRun', 'AnalysisRuns')} whose Rollout could not be found.`);
  }
  if (orphanEvents > 0) {
    notices.push(
      `Skipped ${counted(orphanEvents, 'Event', 'Events')} about AnalysisRuns or Experiments whose Rollout could not be found.`
    );
  }

  const drafts: Draft[] = [];
  let revisionsWithoutStart = 0;
  const rolloutMeta = new Map<string, RolloutView>();
  for (const b of buckets.values()) {
    if (b.view) {
      rolloutMeta.set(key(b.namespace, b.name), b.view);
    }
    const records = collectRevisions(b.namespace, b.name, b.replicaSets, b.rolloutEvents, b.view);
    revisionsWithoutStart += records.filter((r) => !r.start).length;
    const byRevision = new Map(records.map((r) => [r.revision, r]));
    const imagesOf = (revision: number | undefined) => {
      const images = revision !== undefined ? byRevision.get(revision)?.replicaSet?.images : undefined;
      return images?.length ? images : undefined;
    };
    const strategy = b.view?.strategy;

    const bucketDrafts: Draft[] = [];
    bucketDrafts.push(...revisionRegions(records, b.view, b.rolloutEvents, now, cluster));
    bucketDrafts.push(...rollbackPoints(records, b.view, cluster));
    if (b.view) {
      bucketDrafts.push(...statusPoints(b.view, cluster));
    }
    bucketDrafts.push(
      ...pauseRegions({ namespace: b.namespace, rollout: b.name, view: b.view, events: b.rolloutEvents, now, cluster })
    );
    for (const run of b.analysisRuns) {
      const revision = run.revision ?? revisionInChildName(run.name, b.name);
      const region = analysisRunRegion(run, { rollout: b.name, revision, strategy }, now, cluster);
      if (region) {
        bucketDrafts.push(region);
      }
    }
    for (const exp of b.experiments) {
      const revision = exp.revision ?? revisionInChildName(exp.name, b.name);
      const region = experimentRegion(exp, { rollout: b.name, revision, strategy }, now, cluster);
      if (region) {
        bucketDrafts.push(region);
      }
    }
    for (const event of [...b.rolloutEvents, ...b.childEvents]) {
      const ctx: EventContext = { rollout: b.name, strategy, steps: b.view?.steps };
      if (event.involvedKind === 'Rollout') {
        ctx.revision = revisionInMessage(event.message);
      } else if (event.involvedKind === 'AnalysisRun') {
        const run = runOwner.get(key(event.namespace, event.involvedName))?.run;
        ctx.analysisRunName = event.involvedName;
        ctx.revision = run?.revision ?? revisionInChildName(event.involvedName, b.name);
      } else {
        const exp = b.experiments.find((e) => e.name === event.involvedName);
        ctx.revision = exp?.revision ?? revisionInChildName(event.involvedName, b.name);
      }
      bucketDrafts.push(eventPoint(event, ctx, cluster));
    }
    for (const draft of bucketDrafts) {
      if (draft.revision === undefined) {
        const at = revisionAt(draft.time, records);
        if (at) {
          draft.revision = at.revision;
          draft.derivation += `; revision ${at.revision} inferred: the latest revision started before it`;
        }
      }
      draft.images = draft.images ?? imagesOf(draft.revision);
      drafts.push(draft);
    }
  }
  if (revisionsWithoutStart > 0) {
    notices.push(
      `${counted(revisionsWithoutStart, 'revision has', 'revisions have')} no known start time (its ReplicaSet was reused by a rollback and its Events expired); left out.`
    );
  }

  const merged = mergeMoments(drafts);
  let skewed = 0;
  let reversed = 0;
  const entries: TimelineEntry[] = [];
  for (const draft of merged) {
    const { momentKey, revisionMoment, mergeRank, ...entry } = draft;
    if (entry.timeEnd < entry.time) {
      reversed++;
      entry.timeEnd = entry.time;
      entry.derivation += '; its recorded end is before its start (clock skew?), so it is shown as ending at its start';
    }
    if (entry.kind === 'point') {
      entry.timeEnd = entry.time;
    }
    if (entry.time > now + FUTURE_TOLERANCE_MS) {
      skewed++;
    }
    const overlaps =
      entry.kind === 'point' ? entry.time >= from && entry.time <= to : entry.time <= to && entry.timeEnd >= from;
    if (!overlaps) {
      continue;
    }
    const view = rolloutMeta.get(key(entry.namespace, entry.rollout));
    entries.push({
      ...entry,
      tags: tagsFor(
        {
          cluster,
          namespace: entry.namespace,
          rollout: entry.rollout,
          revision: entry.revision,
          reason: entry.reason,
          category: entry.category,
          outcome: entry.outcome,
          strategy: entry.strategy,
          precision: entry.precision,
          rolloutLabels: view?.labels,
          rolloutAnnotations: view?.annotations,
        },
        input.tagMapping
      ),
    });
  }
  if (reversed > 0) {
    notices.push(
      `${counted(reversed, 'region ends', 'regions end')} before its start (clock skew?); shown ending at its start.`
    );
  }
  if (skewed > 0) {
    notices.push(
      `${counted(skewed, 'entry is', 'entries are')} dated after the current time (clock skew between cluster and browser?).`
    );
  }
  return { entries: sortAndUniquify(entries), notices };
}

function compareEntries(a: TimelineEntry, b: TimelineEntry): number {
  // At one instant, regions (what was going on) come before points (what happened).
  const kindOrder = (e: TimelineEntry) => (e.kind === 'region' ? 0 : 1);
  return (
    a.time - b.time ||
    kindOrder(a) - kindOrder(b) ||
    a.timeEnd - b.timeEnd ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) ||
    (a.message < b.message ? -1 : a.message > b.message ? 1 : 0)
  );
}

/** Sorted by time; ids that still collide (identical identity twice) get a deterministic suffix. */
function sortAndUniquify(entries: TimelineEntry[]): TimelineEntry[] {
  const sorted = [...entries].sort(compareEntries);
  const seen = new Map<string, number>();
  return sorted.map((entry) => {
    const n = seen.get(entry.id) ?? 0;
    seen.set(entry.id, n + 1);
    return n === 0 ? entry : { ...entry, id: `${entry.id}-${n + 1}` };
  });
}
