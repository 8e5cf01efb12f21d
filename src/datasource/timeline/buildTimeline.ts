import { type EntryTagger, rolloutTagger, type TagMapping } from '../tags/tagMapping';
import { analysisRunRegion, experimentRegion } from './analysis';
import type { Draft, DraftEntry } from './draft';
import { type EventOwner, eventPoint } from './eventPoints';
import { dedupeEvents, type NormalizedEvent, normalizeEvent } from './events';
import { groupByRollout, type Grouping, objectKey, type RolloutBucket } from './grouping';
import { mergeMoments } from './merge';
import {
  type AnalysisRunView,
  type ExperimentView,
  parseAnalysisRun,
  parseExperiment,
  parseReplicaSet,
  parseRollout,
  type RolloutView,
} from './objects';
import { addEntry, emptyEntryList, type EntryList, orderedEntries } from './order';
import { pauseRegions } from './pauses';
import { emptyTimelineProblems, type TimelineProblems, timelineNotices } from './problems';
import { revisionInMessage } from './reasons';
import { collectRevisions, type RevisionRecord, revisionRegions, rollbackPoints } from './revisions';
import { statusPoints } from './statusPoints';
import { stepOfKind } from './steps';
import { stepPluginDrafts } from './stepPlugins';
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
 * across a change), and which copy wins must not depend on the order of the list. `failed` counts the items that
 * could not be read.
 */
function parseAll<T extends { namespace: string; name: string }>(
  items: unknown[],
  parse: (o: unknown) => T | undefined
): { views: T[]; failed: number } {
  const views: T[] = [];
  const raws: unknown[] = [];
  const indexByName = new Map<string, number>();
  let failed = 0;
  for (const raw of items) {
    const view = parse(raw);
    if (view === undefined) {
      failed++;
      continue;
    }
    const k = objectKey(view.namespace, view.name);
    const index = indexByName.get(k);
    if (index === undefined) {
      indexByName.set(k, views.length);
      views.push(view);
      raws.push(raw);
    } else if (canonical(raw) > canonical(raws[index])) {
      views[index] = view;
      raws[index] = raw;
    }
  }
  return { views, failed };
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

const CHILD_NAME_REVISION = /^[a-z0-9]+-(\d+)(?:$|[-.])/;

/** `<rollout>-<podHash>-<revision>[-…]` -> revision, for AnalysisRuns and Experiments no longer kept. */
function revisionInChildName(name: string, rollout: string): number | undefined {
  const match = CHILD_NAME_REVISION.exec(name.slice(rollout.length + 1));
  return match ? Number(match[1]) : undefined;
}

/** The revision an Event is about: named in a Rollout's message, or that of the AnalysisRun or Experiment. */
function eventRevision(
  event: NormalizedEvent,
  b: RolloutBucket,
  runs: Map<string, AnalysisRunView>
): number | undefined {
  if (event.involvedKind === 'Rollout') {
    return revisionInMessage(event.message);
  }
  if (event.involvedKind === 'AnalysisRun') {
    return (
      runs.get(objectKey(event.namespace, event.involvedName))?.revision ??
      revisionInChildName(event.involvedName, b.name)
    );
  }
  const exp = b.experiments.find((e) => e.name === event.involvedName);
  return exp?.revision ?? revisionInChildName(event.involvedName, b.name);
}

/** The draft entries of one Rollout, merged, and how many of its revisions have no known start. */
interface RolloutDrafts {
  drafts: DraftEntry[];
  revisionsWithoutStart: number;
  /** See `latestMoment`. */
  latest: number;
}

/** Every draft entry of one Rollout, with revision and images filled in where the time tells them, merged. */
function rolloutDrafts(
  b: RolloutBucket,
  runs: Map<string, AnalysisRunView>,
  now: number,
  cluster: string
): RolloutDrafts {
  const history = collectRevisions(b.namespace, b.name, b.replicaSets, b.rolloutEvents, b.view);
  const records = history.records;
  const drafts: Draft[] = [];
  const addRegion = (entry: DraftEntry | undefined) => {
    if (entry) {
      drafts.push({ entry });
    }
  };
  const addSpan = (draft: Draft | undefined) => {
    if (draft) {
      drafts.push(draft);
    }
  };
  const owner = (revision: number | undefined) => ({
    rollout: b.name,
    revision,
    strategy: b.view?.strategy,
    steps: b.view?.steps,
  });
  revisionRegions(history, b.view, b.rolloutEvents, now, cluster).forEach(addRegion);
  drafts.push(...rollbackPoints(history, b.view, cluster));
  if (b.view) {
    drafts.push(...statusPoints(b.view, history.attempt, cluster));
    drafts.push(...stepPluginDrafts(b.view, now, cluster));
  }
  pauseRegions({
    namespace: b.namespace,
    rollout: b.name,
    view: b.view,
    events: b.rolloutEvents,
    now,
    cluster,
  }).forEach(addRegion);
  const experimentRevision = (exp: ExperimentView) => exp.revision ?? revisionInChildName(exp.name, b.name);
  for (const run of b.analysisRuns) {
    // The analyses of an Experiment belong to its revision and its step.
    const exp = run.experiment === undefined ? undefined : b.experiments.find((e) => e.name === run.experiment);
    const revision = run.revision ?? (exp && experimentRevision(exp)) ?? revisionInChildName(run.name, b.name);
    const step = exp && stepOfKind(b.view?.steps, exp.stepIndex, 'experiment');
    addSpan(analysisRunRegion(run, { ...owner(revision), step, experiment: exp }, now, cluster));
  }
  for (const exp of b.experiments) {
    addSpan(experimentRegion(exp, owner(experimentRevision(exp)), now, cluster));
  }
  const eventOwner: EventOwner = { rollout: b.name, strategy: b.view?.strategy, steps: b.view?.steps };
  for (const events of [b.rolloutEvents, b.childEvents]) {
    for (const event of events) {
      drafts.push(eventPoint(event, eventOwner, eventRevision(event, b, runs), cluster));
    }
  }
  const byRevision = new Map<number, RevisionRecord>();
  for (const r of records) {
    byRevision.set(r.revision, r);
  }
  for (const { entry } of drafts) {
    if (entry.revision === undefined) {
      const at = revisionAt(entry.time, records);
      if (at) {
        entry.revision = at.revision;
        entry.derivation += `; revision ${at.revision} inferred: the latest revision started before it`;
      }
    }
    if (!entry.images && entry.revision !== undefined) {
      const images = byRevision.get(entry.revision)?.replicaSet?.images;
      entry.images = images?.length ? images : undefined;
    }
  }
  let revisionsWithoutStart = 0;
  for (const r of records) {
    if (!r.start) {
      revisionsWithoutStart++;
    }
  }
  const latest = latestMoment(drafts);
  return { drafts: mergeMoments(drafts), revisionsWithoutStart, latest };
}

/** The latest start or recorded end among the drafts (an open end is no moment of the input). */
function latestMoment(drafts: readonly Draft[]): number {
  let latest = -Infinity;
  for (const { entry } of drafts) {
    latest = Math.max(latest, entry.time, Number.isFinite(entry.timeEnd) ? entry.timeEnd : -Infinity);
  }
  return latest;
}

/**
 * The timeline of Argo Rollouts activity: one ordered list of points and regions for the range, from Events
 * (exact, short-lived) and ReplicaSets, AnalysisRuns, Experiments and Rollout status (durable, coarser).
 * Pure; never throws: unusable input becomes a notice and the rest is still returned.
 */
export function buildTimeline(input: TimelineInput): TimelineResult {
  try {
    // Without a valid `now`, open regions end at the end of the range (or at their start): never the clock.
    const now = finiteOr(input?.now, finiteOr(input?.range?.to, 0));
    return buildOpen(input, now).result;
  } catch (error) {
    return failedTimeline(error);
  }
}

/**
 * A timeline whose regions still in progress have no end yet (they end at `Infinity`): `timelineAt` ends them at a
 * given `now`, so that a timeline need not be built again whenever the clock moves.
 */
export interface OpenTimeline {
  result: TimelineResult;
  /** The latest moment any record of the input names. */
  latest: number;
  /** The start of the range. */
  from: number;
}

/** `buildTimeline` with the regions still in progress left open. Never throws. */
export function buildOpenTimeline(input: Omit<TimelineInput, 'now'>): OpenTimeline {
  try {
    return buildOpen(input, Infinity);
  } catch (error) {
    return { result: failedTimeline(error), latest: -Infinity, from: -Infinity };
  }
}

/**
 * The open timeline with its open regions ending at `now`: what `buildTimeline` returns for that `now`, or
 * undefined when it cannot tell without building again. Building compares an open end only with moments of the
 * input (which span takes in a point, the order of entries, clock skew): when every such moment is before `now`,
 * each comparison comes out the same for `now` as for `Infinity`, so only the ends differ. A timeline without open
 * regions is returned as it is.
 */
export function timelineAt(open: OpenTimeline, now: number): TimelineResult | undefined {
  if (!(open.latest < now)) {
    return undefined;
  }
  const { result } = open;
  if (!result.entries.some(isOpenRegion)) {
    return result;
  }
  if (now < open.from) {
    // Open regions would end before the range and leave it: which ids repeat would change.
    return undefined;
  }
  return { ...result, entries: endOpenRegions(result.entries, now) };
}

/**
 * Entries of open timelines (several Rollouts' merged in timeline order, too) with their open regions ending at
 * `now`, for a `now` after every record of those timelines: the order stays as it is (see `timelineAt`).
 */
export function endOpenRegions(entries: readonly TimelineEntry[], now: number): TimelineEntry[] {
  return entries.map((entry) => (isOpenRegion(entry) ? openRegionEndedAt(entry, now) : entry));
}

/** A region of an open timeline still in progress. */
export const isOpenRegion = (entry: TimelineEntry) => entry.timeEnd === Infinity;

/** An open region ended at `now` (see `endOpenRegions`). */
export const openRegionEndedAt = (entry: TimelineEntry, now: number): TimelineEntry => ({ ...entry, timeEnd: now });

function failedTimeline(error: unknown): TimelineResult {
  const problems = emptyTimelineProblems();
  problems.failures.push(error instanceof Error ? error.message : String(error));
  return { entries: [], notices: timelineNotices(problems), problems, tagsOf: () => [], tagTextOf: () => '' };
}

function buildOpen(input: Omit<TimelineInput, 'now'>, now: number): OpenTimeline {
  const problems = emptyTimelineProblems();
  const from = finiteOr(input?.range?.from, -Infinity);
  const to = finiteOr(input?.range?.to, Infinity);
  const clusterName = typeof input?.cluster === 'string' ? input.cluster : '';

  const grouping = groupInput(input, problems);
  const buckets: Array<RolloutBucket | undefined> = grouping.buckets;

  const window: FinishWindow = { from, to, now, reversed: 0, skewed: 0 };
  const tags = timelineTags(input?.tagMapping, clusterName);
  const entries = emptyEntryList();
  let latest = -Infinity;
  // Each Rollout is finished right after its drafts, while they are at hand, and then let go: what was read
  // from its objects can be collected while the next ones are drafted.
  for (let i = 0; i < buckets.length; i++) {
    const bucket = buckets[i];
    buckets[i] = undefined;
    if (!bucket) {
      continue;
    }
    const rollout = rolloutDrafts(bucket, grouping.runs, now, clusterName);
    problems.revisionsWithoutStart += rollout.revisionsWithoutStart;
    latest = Math.max(latest, rollout.latest);
    if (finish(rollout.drafts, window, entries) > 0) {
      tags.addRollout(bucket.namespace, bucket.name, bucket.view);
    }
  }
  problems.reversed = window.reversed;
  problems.skewed = window.skewed;
  const result: TimelineResult = {
    entries: orderedEntries(entries),
    notices: timelineNotices(problems),
    problems,
    tagsOf: tags.tagsOf,
    tagTextOf: tags.tagTextOf,
  };
  return { result, latest, from };
}

/**
 * `tagsOf` and `tagTextOf` for the entries of one timeline: the tagger of each Rollout with entries (its labels and
 * annotations for the mapping's rules), looked up by the entry's namespace and Rollout.
 */
function timelineTags(mapping: TagMapping | undefined, clusterName: string) {
  const taggerOf = rolloutTagger(mapping);
  const byNamespace = new Map<string, Map<string, EntryTagger>>();
  const taggerOfEntry = ({ namespace, rollout }: TimelineEntry) =>
    byNamespace.get(namespace)?.get(rollout) ?? taggerOf({ cluster: clusterName, namespace, rollout });
  return {
    addRollout(namespace: string, rollout: string, view: RolloutView | undefined): void {
      const tagger = taggerOf({
        cluster: clusterName,
        namespace,
        rollout,
        rolloutLabels: view?.labels,
        rolloutAnnotations: view?.annotations,
      });
      const byName = byNamespace.get(namespace);
      if (byName) {
        byName.set(rollout, tagger);
      } else {
        byNamespace.set(namespace, new Map([[rollout, tagger]]));
      }
    },
    tagsOf(entry: TimelineEntry): string[] {
      return taggerOfEntry(entry)(entry);
    },
    tagTextOf(entry: TimelineEntry, separator: string): string {
      return taggerOfEntry(entry).text(entry, separator);
    },
  };
}

/**
 * The objects and Events of the input, read and sorted to their Rollouts. Only the grouping outlives this call:
 * the lists of what was read do not.
 */
function groupInput(input: Omit<TimelineInput, 'now'>, problems: TimelineProblems): Grouping {
  const normalized: NormalizedEvent[] = [];
  // forEach, not for…of: the holes of a sparse list are no Events at all.
  listOf(input?.events).forEach((raw) => {
    const event = normalizeEvent(raw, problems.events);
    if (event) {
      normalized.push(event);
    }
  });
  const events = dedupeEvents(normalized);
  const rollouts = parseAll(listOf(input?.rollouts), parseRollout);
  const replicaSets = parseAll(listOf(input?.replicaSets), parseReplicaSet);
  const analysisRuns = parseAll(listOf(input?.analysisRuns), parseAnalysisRun);
  const experiments = parseAll(listOf(input?.experiments), parseExperiment);
  problems.unreadable.Rollout += rollouts.failed;
  problems.unreadable.AnalysisRun += analysisRuns.failed;
  problems.unreadable.Experiment += experiments.failed;
  const grouping = groupByRollout(rollouts.views, replicaSets.views, analysisRuns.views, experiments.views, events);
  problems.orphanRuns += grouping.orphanRuns;
  problems.orphanEvents += grouping.orphanEvents;
  return grouping;
}

/** The range entries must meet, and the count of the corrections `finish` made. */
interface FinishWindow {
  from: number;
  to: number;
  now: number;
  reversed: number;
  skewed: number;
}

/**
 * Drafts of one Rollout to entries: ends made consistent, kept when they meet the range. A span that ends at its
 * start (within the same second, or with its end not recorded) is drawn as a point. A draft becomes its entry:
 * nothing else refers to it. Returns how many were kept.
 */
function finish(drafts: DraftEntry[], window: FinishWindow, entries: EntryList): number {
  let kept = 0;
  const seenIds = new Set<string>();
  for (const draft of drafts) {
    // Read once: drafts come in many shapes, so each read is slow.
    const { time } = draft;
    let { kind, timeEnd } = draft;
    const endBeforeStart = timeEnd < time;
    if (kind === 'point' || endBeforeStart) {
      draft.timeEnd = timeEnd = time;
    }
    if (kind === 'region' && timeEnd === time) {
      draft.kind = kind = 'point';
    }
    const overlaps =
      kind === 'point' ? time >= window.from && time <= window.to : time <= window.to && timeEnd >= window.from;
    if (!overlaps) {
      continue;
    }
    if (endBeforeStart && draft.span !== undefined) {
      window.reversed++;
      draft.derivation += '; its recorded end is before its start (clock skew?), so it is shown as ending at its start';
    }
    if (time > window.now + FUTURE_TOLERANCE_MS) {
      window.skewed++;
    }
    addEntry(entries, draft, seenIds);
    kept++;
  }
  return kept;
}
