import { tagsFor } from '../tags/tagMapping';
import { analysisRunRegion, experimentRegion } from './analysis';
import type { Draft } from './draft';
import { type EventContext, eventPoint } from './eventPoints';
import { dedupeEvents, emptyEventProblems, eventProblemNotices, type NormalizedEvent, normalizeEvent } from './events';
import { groupByRollout, objectKey, type RolloutBucket } from './grouping';
import { mergeMoments } from './merge';
import {
  type AnalysisRunView,
  parseAnalysisRun,
  parseExperiment,
  parseReplicaSet,
  parseRollout,
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

function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function finiteOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
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
  parse: (o: unknown) => T | undefined,
  kind: string,
  notices: string[]
): T[] {
  const byName = new Map<string, { view: T; raw: unknown }>();
  let failed = 0;
  for (const raw of items) {
    const view = parse(raw);
    if (view === undefined) {
      failed++;
      continue;
    }
    const k = objectKey(view.namespace, view.name);
    const existing = byName.get(k);
    if (!existing || canonical(raw) > canonical(existing.raw)) {
      byName.set(k, { view, raw });
    }
  }
  if (failed > 0) {
    notices.push(`Skipped ${counted(failed, kind, `${kind}s`)} that could not be read (no metadata.name).`);
  }
  return [...byName.values()].map((v) => v.view);
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

function eventContext(event: NormalizedEvent, b: RolloutBucket, runs: Map<string, AnalysisRunView>): EventContext {
  const ctx: EventContext = { rollout: b.name, strategy: b.view?.strategy, steps: b.view?.steps };
  if (event.involvedKind === 'Rollout') {
    ctx.revision = revisionInMessage(event.message);
  } else if (event.involvedKind === 'AnalysisRun') {
    ctx.analysisRunName = event.involvedName;
    ctx.revision =
      runs.get(objectKey(event.namespace, event.involvedName))?.revision ??
      revisionInChildName(event.involvedName, b.name);
  } else {
    const exp = b.experiments.find((e) => e.name === event.involvedName);
    ctx.revision = exp?.revision ?? revisionInChildName(event.involvedName, b.name);
  }
  return ctx;
}

/** Every draft entry of one Rollout, with revision and images filled in where the time tells them. */
function rolloutDrafts(
  b: RolloutBucket,
  runs: Map<string, AnalysisRunView>,
  now: number,
  cluster: string
): { drafts: Draft[]; revisionsWithoutStart: number } {
  const records = collectRevisions(b.namespace, b.name, b.replicaSets, b.rolloutEvents, b.view);
  const byRevision = new Map(records.map((r) => [r.revision, r]));
  const owner = (revision: number | undefined) => ({
    rollout: b.name,
    revision,
    strategy: b.view?.strategy,
    steps: b.view?.steps,
  });
  const drafts: Draft[] = [
    ...revisionRegions(records, b.view, b.rolloutEvents, now, cluster),
    ...rollbackPoints(records, b.view, cluster),
    ...(b.view ? statusPoints(b.view, cluster) : []),
    ...pauseRegions({ namespace: b.namespace, rollout: b.name, view: b.view, events: b.rolloutEvents, now, cluster }),
    ...b.analysisRuns.flatMap(
      (run) => analysisRunRegion(run, owner(run.revision ?? revisionInChildName(run.name, b.name)), now, cluster) ?? []
    ),
    ...b.experiments.flatMap(
      (exp) => experimentRegion(exp, owner(exp.revision ?? revisionInChildName(exp.name, b.name)), now, cluster) ?? []
    ),
    ...[...b.rolloutEvents, ...b.childEvents].map((event) => eventPoint(event, eventContext(event, b, runs), cluster)),
  ];
  for (const draft of drafts) {
    if (draft.revision === undefined) {
      const at = revisionAt(draft.time, records);
      if (at) {
        draft.revision = at.revision;
        draft.derivation += `; revision ${at.revision} inferred: the latest revision started before it`;
      }
    }
    if (!draft.images && draft.revision !== undefined) {
      const images = byRevision.get(draft.revision)?.replicaSet?.images;
      draft.images = images?.length ? images : undefined;
    }
  }
  return { drafts, revisionsWithoutStart: records.filter((r) => !r.start).length };
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
  const from = finiteOr(input?.range?.from, -Infinity);
  const to = finiteOr(input?.range?.to, Infinity);
  // Without a valid `now`, open regions end at the end of the range (or at their start): never the clock.
  const now = finiteOr(input?.now, finiteOr(input?.range?.to, 0));
  const cluster = typeof input?.cluster === 'string' ? input.cluster : '';

  const problems = emptyEventProblems();
  const events = dedupeEvents(
    listOf(input?.events).flatMap((raw) => {
      const event = normalizeEvent(raw, problems);
      return event ? [event] : [];
    })
  );
  notices.push(...eventProblemNotices(problems));
  const rollouts = parseAll(listOf(input?.rollouts), parseRollout, 'Rollout', notices);
  const replicaSets = parseAll(listOf(input?.replicaSets), parseReplicaSet, 'ReplicaSet', []);
  const analysisRuns = parseAll(listOf(input?.analysisRuns), parseAnalysisRun, 'AnalysisRun', notices);
  const experiments = parseAll(listOf(input?.experiments), parseExperiment, 'Experiment', notices);

  const grouping = groupByRollout(rollouts, replicaSets, analysisRuns, experiments, events);
  notices.push(...grouping.notices);

  const drafts: Draft[] = [];
  let revisionsWithoutStart = 0;
  for (const b of grouping.buckets) {
    const result = rolloutDrafts(b, grouping.runs, now, cluster);
    drafts.push(...result.drafts);
    revisionsWithoutStart += result.revisionsWithoutStart;
  }
  if (revisionsWithoutStart > 0) {
    notices.push(
      `${counted(revisionsWithoutStart, 'revision has', 'revisions have')} no known start time (its ReplicaSet was reused by a rollback and its Events expired); left out.`
    );
  }

  const views = new Map(rollouts.map((v) => [objectKey(v.namespace, v.name), v]));
  const { entries, reversed, skewed } = finish(mergeMoments(drafts), { from, to, now, cluster, views, input });
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

interface FinishContext {
  from: number;
  to: number;
  now: number;
  cluster: string;
  views: Map<string, RolloutView>;
  input: TimelineInput;
}

/** Drafts to entries: ends made consistent, kept when they meet the range, tagged. */
function finish(drafts: Draft[], ctx: FinishContext): { entries: TimelineEntry[]; reversed: number; skewed: number } {
  let reversed = 0;
  let skewed = 0;
  const entries: TimelineEntry[] = [];
  for (const draft of drafts) {
    const { momentKey, revisionMoment, mergeRank, ...entry } = draft;
    const endBeforeStart = entry.timeEnd < entry.time;
    if (entry.kind === 'point' || endBeforeStart) {
      entry.timeEnd = entry.time;
    }
    const overlaps =
      entry.kind === 'point'
        ? entry.time >= ctx.from && entry.time <= ctx.to
        : entry.time <= ctx.to && entry.timeEnd >= ctx.from;
    if (!overlaps) {
      continue;
    }
    if (endBeforeStart && entry.kind === 'region') {
      reversed++;
      entry.derivation += '; its recorded end is before its start (clock skew?), so it is shown as ending at its start';
    }
    if (entry.time > ctx.now + FUTURE_TOLERANCE_MS) {
      skewed++;
    }
    const view = ctx.views.get(objectKey(entry.namespace, entry.rollout));
    const tags = tagsFor(
      {
        cluster: ctx.cluster,
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
      ctx.input?.tagMapping
    );
    entries.push({ ...entry, tags });
  }
  return { entries, reversed, skewed };
}

/** At one instant, regions (what was going on) come before points (what happened). */
const kindOrder = (e: TimelineEntry) => (e.kind === 'region' ? 0 : 1);

function compareEntries(a: TimelineEntry, b: TimelineEntry): number {
  return (
    a.time - b.time ||
    kindOrder(a) - kindOrder(b) ||
    a.timeEnd - b.timeEnd ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) ||
    (a.message < b.message ? -1 : a.message > b.message ? 1 : 0)
  );
}

/** Sorted by time; ids that still collide (the same identity twice) get a deterministic suffix. */
function sortAndUniquify(entries: TimelineEntry[]): TimelineEntry[] {
  const sorted = [...entries].sort(compareEntries);
  const seen = new Map<string, number>();
  return sorted.map((entry) => {
    const n = seen.get(entry.id) ?? 0;
    seen.set(entry.id, n + 1);
    return n === 0 ? entry : { ...entry, id: `${entry.id}-${n + 1}` };
  });
}
