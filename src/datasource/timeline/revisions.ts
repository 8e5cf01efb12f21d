import { type Attempt, attemptOutcome, attemptSummary, latestAttempt, ONE_SECOND } from './attempt';
import { type Draft, type DraftEntry, openEnd } from './draft';
import type { NormalizedEvent } from './events';
import { entryId } from './hash';
import type { ReplicaSetView, RolloutView } from './objects';
import { formatTime } from './parse';
import { completionReasonInMessage, revisionInMessage } from './reasons';
import { sortStably } from './sort';
import type { Outcome, Precision, SourceRef } from './types';

/** A moment with how it was known. */
export interface KnownTime {
  time: number;
  precision: Precision;
  derivation: string;
  sources: SourceRef[];
}

/** One revision of a Rollout, as far as ReplicaSets, Events and status tell it. */
export interface RevisionRecord {
  namespace: string;
  rollout: string;
  revision: number;
  replicaSet?: ReplicaSetView;
  /** Set when this revision reused the ReplicaSet first rolled out as that revision (a rollback). */
  reusedFrom?: number;
  start?: KnownTime;
}

const ROLLBACK = /rollback/i;

const START_REASONS = new Set(['RolloutUpdated', 'NewReplicaSetCreated', 'RolloutNotCompleted']);

function eventRef(event: NormalizedEvent): SourceRef {
  return { kind: 'Event', namespace: event.namespace, name: event.name ?? event.reason, uid: event.uid };
}

function replicaSetRef(rs: ReplicaSetView): SourceRef {
  return { kind: 'ReplicaSet', namespace: rs.namespace, name: rs.name, uid: rs.uid };
}

function rolloutRef(rollout: RolloutView): SourceRef {
  return { kind: 'Rollout', namespace: rollout.namespace, name: rollout.name, uid: rollout.uid };
}

function condition(rollout: RolloutView | undefined, type: string) {
  return rollout?.conditions.find((c) => c.type === type);
}

function isCurrent(record: RevisionRecord, rollout: RolloutView | undefined): boolean {
  if (!rollout) {
    return false;
  }
  if (rollout.revision !== undefined) {
    return rollout.revision === record.revision;
  }
  const rs = record.replicaSet;
  return (
    rs !== undefined && rs.hash !== undefined && rs.hash === rollout.currentPodHash && rs.revision === record.revision
  );
}

/** The revisions of one Rollout, in order, and what `status.duration` says of its latest update attempt. */
export interface RevisionHistory {
  records: RevisionRecord[];
  attempt?: Attempt;
}

/**
 * The revisions of one Rollout with their start, from kept ReplicaSets (creation time, revision history),
 * Events (`RolloutUpdated`, `NewReplicaSetCreated`, `RolloutNotCompleted`) and the Rollout's status (its
 * `status.duration`, else its conditions).
 */
export function collectRevisions(
  namespace: string,
  rolloutName: string,
  replicaSets: ReplicaSetView[],
  rolloutEvents: NormalizedEvent[],
  rollout: RolloutView | undefined
): RevisionHistory {
  const records = new Map<number, RevisionRecord>();
  const ensure = (revision: number) => {
    let record = records.get(revision);
    if (!record) {
      record = { namespace, rollout: rolloutName, revision };
      records.set(revision, record);
    }
    return record;
  };
  // Stable order so that two ReplicaSets claiming one revision resolve the same way on every run.
  const sortedSets = replicaSets.slice();
  sortStably(sortedSets, (a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const rs of sortedSets) {
    // The revisions it served: its history, then its current revision.
    const served = rs.history.length + (rs.revision !== undefined ? 1 : 0);
    let first = rs.revision ?? Infinity;
    for (const revision of rs.history) {
      first = Math.min(first, revision);
    }
    for (let i = 0; i < served; i++) {
      const revision = i < rs.history.length ? rs.history[i] : rs.revision!;
      const record = ensure(revision);
      if (!record.replicaSet || rs.revision === revision) {
        record.replicaSet = rs;
        record.reusedFrom = revision > first ? first : undefined;
      }
    }
  }
  for (const event of rolloutEvents) {
    if (!START_REASONS.has(event.reason)) {
      continue;
    }
    const revision = revisionInMessage(event.message);
    if (revision === undefined) {
      continue;
    }
    const record = ensure(revision);
    if (!record.start || record.start.precision !== 'exact' || event.firstTime < record.start.time) {
      record.start = {
        time: event.firstTime,
        precision: 'exact',
        derivation: `started at the ${event.reason} event (${formatTime(event.firstTime)})`,
        sources: [eventRef(event)],
      };
    }
  }
  for (const record of records.values()) {
    const rs = record.replicaSet;
    if (!record.start && rs && record.reusedFrom === undefined && rs.created !== undefined) {
      record.start = {
        time: rs.created,
        precision: 'reconstructed',
        derivation: `start reconstructed from the creation of ReplicaSet ${rs.name}`,
        sources: [replicaSetRef(rs)],
      };
    }
  }
  const attempt = latestAttempt(
    rollout,
    (revision) => records.get(revision)?.start?.time,
    (time) => latestStartedBy(records.values(), time)
  );
  const attempted = attempt && records.get(attempt.revision);
  if (attempted && rollout) {
    startAttempt(attempted, attempt, rollout);
  }
  for (const record of records.values()) {
    if (record.start) {
      continue;
    }
    if (rollout && isCurrent(record, rollout)) {
      const notCompleted = condition(rollout, 'Completed');
      if (notCompleted?.status === 'False' && notCompleted.lastTransitionTime !== undefined) {
        record.start = {
          time: notCompleted.lastTransitionTime,
          precision: 'reconstructed',
          derivation: 'start reconstructed from the Rollout Completed=False condition',
          sources: [rolloutRef(rollout)],
        };
      } else if (notCompleted?.status === 'True' && notCompleted.lastTransitionTime !== undefined) {
        // A rollback that reused a ReplicaSet and completed: only its completion is still recorded.
        record.start = {
          time: notCompleted.lastTransitionTime,
          precision: 'reconstructed',
          derivation:
            'start not recorded (its ReplicaSet was reused); placed at its completion (Completed=True condition)',
          sources: [rolloutRef(rollout)],
        };
      }
    }
  }
  const sorted = [...records.values()];
  sortStably(sorted, (a, b) => a.revision - b.revision);
  return { records: sorted, attempt };
}

/** The latest revision started at or before the time. */
function latestStartedBy(records: Iterable<RevisionRecord>, time: number): number | undefined {
  let found: RevisionRecord | undefined;
  for (const r of records) {
    if (r.start && r.start.time <= time && (!found || r.start.time > found.start!.time)) {
      found = r;
    }
  }
  return found?.revision;
}

/**
 * The start of the revision an attempt is about: `status.duration.rolloutStartedAt`, exact, unless an Event told
 * it (the same moment, or the first start before a retry) or the revision's ReplicaSet was created well before
 * it (then the attempt is a retry).
 */
function startAttempt(record: RevisionRecord, attempt: Attempt, rollout: RolloutView): void {
  const startedAt = attempt.startedAt;
  const known = record.start;
  if (startedAt === undefined || known?.precision === 'exact') {
    return;
  }
  if (known === undefined || known.time >= startedAt - ONE_SECOND) {
    record.start = {
      time: startedAt,
      precision: 'exact',
      derivation: `started at status.duration.rolloutStartedAt (${formatTime(startedAt)})`,
      sources: [rolloutRef(rollout)],
    };
  }
}

interface Ending {
  outcome: Outcome;
  end?: KnownTime;
  /** Open while in progress: ends now. */
  open?: boolean;
  summary: string;
}

/**
 * The `RolloutCompleted` or `RolloutAborted` Event that ended each revision: the latest, an abort before a
 * completion at the same time, else the first listed.
 */
function terminalEvents(rolloutEvents: NormalizedEvent[]): Map<number, NormalizedEvent> {
  const byRevision = new Map<number, NormalizedEvent>();
  for (const e of rolloutEvents) {
    if (e.reason !== 'RolloutCompleted' && e.reason !== 'RolloutAborted') {
      continue;
    }
    const revision = revisionInMessage(e.message);
    if (revision === undefined) {
      continue;
    }
    const best = byRevision.get(revision);
    if (!best || e.lastTime > best.lastTime || (e.lastTime === best.lastTime && e.reason < best.reason)) {
      byRevision.set(revision, e);
    }
  }
  return byRevision;
}

function eventEnd(event: NormalizedEvent): KnownTime {
  return {
    time: event.lastTime,
    precision: 'exact',
    derivation: `ended at the ${event.reason} event (${formatTime(event.lastTime)})`,
    sources: [eventRef(event)],
  };
}

function statusEnd(
  rollout: RolloutView,
  time: number | undefined,
  what: string,
  precision: Precision
): KnownTime | undefined {
  return time === undefined
    ? undefined
    : { time, precision, derivation: `ended at ${what}`, sources: [rolloutRef(rollout)] };
}

/** The end `status.duration.finishedAt` gives an attempt, exact; undefined while it goes on. */
function attemptEnd(rollout: RolloutView | undefined, attempt: Attempt | undefined): KnownTime | undefined {
  if (!rollout || attempt?.finishedAt === undefined) {
    return undefined;
  }
  const status = attempt.completionStatus;
  return statusEnd(
    rollout,
    attempt.finishedAt,
    `status.duration.finishedAt${status ? ` (completionStatus ${status})` : ''}`,
    'exact'
  );
}

/**
 * The current revision's outcome and end: aborted, degraded or failed, completed, or still in progress. `attempt`
 * is the latest attempt when it is about this revision; `undone` when it is about the one before, which this
 * revision rolled back.
 */
function currentEnding(
  rollout: RolloutView,
  terminal: NormalizedEvent | undefined,
  attempt: Attempt | undefined,
  undone: Attempt | undefined
): Ending {
  const progressing = condition(rollout, 'Progressing');
  const invalid = condition(rollout, 'InvalidSpec');
  const attemptOutcomeHere = attempt && attemptOutcome(attempt);
  const aborted = rollout.abort || progressing?.reason === 'RolloutAborted';
  if (aborted) {
    const end =
      (terminal?.reason === 'RolloutAborted' ? eventEnd(terminal) : undefined) ??
      (attemptOutcomeHere === 'aborted' ? attemptEnd(rollout, attempt) : undefined) ??
      statusEnd(rollout, rollout.abortedAt, 'status.abortedAt', 'exact') ??
      statusEnd(rollout, progressing?.lastTransitionTime, 'the RolloutAborted condition', 'reconstructed');
    return {
      outcome: 'aborted',
      end,
      summary: `aborted: ${progressing?.message ?? rollout.statusMessage ?? 'no message'}`,
    };
  }
  if (invalid) {
    return { outcome: 'degraded', open: true, summary: `degraded: invalid spec: ${invalid.message ?? ''}`.trim() };
  }
  if (progressing?.status === 'False' && progressing.reason === 'ReplicaSetCreateError') {
    const end = statusEnd(
      rollout,
      progressing.lastTransitionTime,
      'the ReplicaSetCreateError condition',
      'reconstructed'
    );
    return { outcome: 'failed', end, summary: `failed: ${progressing.message ?? ''}`.trim() };
  }
  if (progressing?.status === 'False' && progressing.reason === 'ProgressDeadlineExceeded') {
    const end = statusEnd(
      rollout,
      progressing.lastTransitionTime,
      'the ProgressDeadlineExceeded condition',
      'reconstructed'
    );
    return { outcome: 'degraded', end, summary: `degraded: ${progressing.message ?? 'progress deadline exceeded'}` };
  }
  const promoted =
    rollout.stableRS !== undefined && rollout.currentPodHash !== undefined
      ? rollout.stableRS === rollout.currentPodHash
      : rollout.phase === 'Healthy';
  if (promoted) {
    const completed = condition(rollout, 'Completed');
    const end =
      (terminal?.reason === 'RolloutCompleted' ? eventEnd(terminal) : undefined) ??
      (attemptOutcomeHere === 'succeeded' ? attemptEnd(rollout, attempt) : undefined) ??
      attemptEnd(rollout, undone) ??
      (completed?.status === 'True'
        ? statusEnd(rollout, completed.lastTransitionTime, 'the Completed=True condition', 'reconstructed')
        : undefined);
    const reason = terminal?.reason === 'RolloutCompleted' ? completionReasonInMessage(terminal.message) : undefined;
    const status = (attemptOutcomeHere === 'succeeded' ? attempt : undone)?.completionStatus;
    const how = reason ? `: ${reason}` : status ? ` (${status})` : '';
    return { outcome: 'succeeded', end, summary: `completed${how}` };
  }
  if (attemptOutcomeHere !== undefined && attempt?.finishedAt !== undefined) {
    return {
      outcome: attemptOutcomeHere,
      end: attemptEnd(rollout, attempt),
      summary: attemptSummary(attempt) ?? attemptOutcomeHere,
    };
  }
  const phase = rollout.phase ?? (rollout.pauseConditions.length > 0 || rollout.specPaused ? 'Paused' : 'Progressing');
  const detail = rollout.statusMessage ?? rollout.pauseConditions[0]?.reason;
  return { outcome: 'inProgress', open: true, summary: `in progress (${phase}${detail ? `: ${detail}` : ''})` };
}

/** Only the immediate successor can tell a rollback: with revisions missing in between, it is unknown. */
function rolledBackByNext(
  record: RevisionRecord,
  next: RevisionRecord | undefined,
  rolloutEvents: NormalizedEvent[]
): boolean {
  if (next === undefined || next.revision !== record.revision + 1) {
    return false;
  }
  if (next.reusedFrom !== undefined) {
    return true;
  }
  const nextStart = next.start;
  for (const e of rolloutEvents) {
    if (e.reason === 'SkipSteps' && nextStart !== undefined && Math.abs(e.lastTime - nextStart.time) <= 120_000) {
      return true;
    }
    if (
      e.reason === 'RolloutCompleted' &&
      revisionInMessage(e.message) === next.revision &&
      ROLLBACK.test(completionReasonInMessage(e.message) ?? '')
    ) {
      return true;
    }
  }
  return false;
}

/** An end that was not recorded: where the next revision with a known start is first seen. */
function successorEnd(
  next: RevisionRecord | undefined,
  nextStarted: RevisionRecord | undefined
): KnownTime | undefined {
  return (
    nextStarted?.start && {
      time: nextStarted.start.time,
      precision: 'reconstructed',
      derivation:
        nextStarted === next
          ? `end not recorded; ends where revision ${nextStarted.revision} is first seen`
          : `end not recorded; ended before revision ${next!.revision} started (time unknown), shown ending where revision ${nextStarted.revision} is first seen`,
      sources: nextStarted.start.sources,
    }
  );
}

/**
 * Outcome of a revision that is no longer the current one. `next` is the following revision the cluster
 * still knows (with or without a start time); `nextStarted` the following one with a start time. `attempt` is the
 * latest update attempt when it is about this revision.
 */
function pastEnding(
  record: RevisionRecord,
  terminal: NormalizedEvent | undefined,
  next: RevisionRecord | undefined,
  nextStarted: RevisionRecord | undefined,
  rollout: RolloutView | undefined,
  rolloutEvents: NormalizedEvent[],
  attempt: Attempt | undefined
): Ending {
  const told = attempt && attemptOutcome(attempt);
  // A rolled-back attempt ends when the rollback has completed: the revision it undid ended before that.
  const attemptEnded = told !== undefined && told !== 'rolledBack' ? attemptEnd(rollout, attempt) : undefined;
  // A rollback is what a reader needs to see, even when the revision had completed before it.
  if (told === 'rolledBack' || rolledBackByNext(record, next, rolloutEvents)) {
    const target = next?.reusedFrom !== undefined ? ` (back to the ReplicaSet of revision ${next.reusedFrom})` : '';
    const endedAs = terminal ? (terminal.reason === 'RolloutCompleted' ? 'succeeded' : 'aborted') : told;
    const before = endedAs === 'succeeded' ? 'completed, then ' : endedAs === 'aborted' ? 'aborted, then ' : '';
    return {
      outcome: 'rolledBack',
      end: terminal ? eventEnd(terminal) : (attemptEnded ?? successorEnd(next, nextStarted)),
      summary: `${before}rolled back by revision ${next?.revision ?? record.revision + 1}${target}`,
    };
  }
  if (terminal) {
    const outcome: Outcome = terminal.reason === 'RolloutCompleted' ? 'succeeded' : 'aborted';
    const reason = outcome === 'succeeded' ? completionReasonInMessage(terminal.message) : undefined;
    const summary =
      outcome === 'succeeded' ? (reason ? `completed: ${reason}` : 'completed') : `aborted: ${terminal.message}`;
    return { outcome, end: eventEnd(terminal), summary };
  }
  if (told !== undefined && attemptEnded) {
    return { outcome: told, end: attemptEnded, summary: attemptSummary(attempt!) ?? told };
  }
  const rs = record.replicaSet;
  const isStable = rollout && rs?.hash !== undefined && rs.hash === rollout.stableRS && rs.revision === record.revision;
  if (isStable) {
    return {
      outcome: 'succeeded',
      end: successorEnd(next, nextStarted),
      summary: 'completed (its ReplicaSet is the stable one; completion time not recorded)',
    };
  }
  if (next) {
    const by = next.revision === record.revision + 1 ? `revision ${next.revision}` : 'a later revision';
    return {
      outcome: 'superseded',
      end: successorEnd(next, nextStarted),
      summary: `superseded by ${by} (whether it completed first is no longer recorded)`,
    };
  }
  return { outcome: 'unknown', summary: 'outcome not recorded' };
}

/**
 * One span per revision with a known start: start to completion, abort, successor, or now. The latest update
 * attempt (`status.duration`) gives exact times and the outcome of the revision it is about.
 */
export function revisionRegions(
  { records, attempt }: RevisionHistory,
  rollout: RolloutView | undefined,
  rolloutEvents: NormalizedEvent[],
  now: number,
  cluster: string
): DraftEntry[] {
  const regions: DraftEntry[] = [];
  const terminals = terminalEvents(rolloutEvents);
  const rolledBack = attempt !== undefined && attemptOutcome(attempt) === 'rolledBack' ? attempt : undefined;
  // Records are sorted by revision, one per revision: the next one is the following revision.
  for (let i = 0; i < records.length; i++) {
    const record = records[i];
    const start = record.start;
    if (start === undefined) {
      continue;
    }
    const terminal = terminals.get(record.revision);
    const about = attempt?.revision === record.revision ? attempt : undefined;
    const ending =
      rollout && isCurrent(record, rollout)
        ? currentEnding(rollout, terminal, about, rolledBack?.revision === record.revision - 1 ? rolledBack : undefined)
        : pastEnding(record, terminal, records[i + 1], nextStarted(records, i), rollout, rolloutEvents, about);
    let timeEnd: number;
    let endText: string;
    let endExact: boolean;
    let endUnknown: true | undefined;
    if (ending.end) {
      timeEnd = ending.end.time;
      endText = ending.end.derivation;
      endExact = ending.end.precision === 'exact';
    } else if (ending.open) {
      timeEnd = openEnd(start.time, now);
      endText = ending.outcome === 'inProgress' ? 'in progress: open until now' : 'still in this state: open until now';
      endExact = true;
    } else {
      timeEnd = start.time;
      endText = 'end time not recorded';
      endExact = false;
      endUnknown = true;
    }
    const rs = record.replicaSet;
    const sources = ending.end ? start.sources.concat(ending.end.sources) : start.sources.slice();
    if (rs && !sources.some((s) => s.kind === 'ReplicaSet' && s.name === rs.name)) {
      sources.push(replicaSetRef(rs));
    }
    regions.push({
      id: entryId(cluster, 'revision', record.namespace, record.rollout, record.revision),
      kind: 'region',
      span: 'revision',
      endUnknown,
      time: start.time,
      timeEnd,
      namespace: record.namespace,
      rollout: record.rollout,
      revision: record.revision,
      images: rs?.images.length ? rs.images : undefined,
      strategy: rollout?.strategy,
      category: 'lifecycle',
      outcome: ending.outcome,
      precision: start.precision === 'exact' && endExact ? 'exact' : 'reconstructed',
      derivation: `${start.derivation}; ${endText}`,
      message: `Revision ${record.revision} ${ending.summary}`,
      sources: dedupeSources(sources),
    });
  }
  return regions;
}

function nextStarted(records: RevisionRecord[], index: number): RevisionRecord | undefined {
  for (let i = index + 1; i < records.length; i++) {
    if (records[i].start !== undefined) {
      return records[i];
    }
  }
  return undefined;
}

/** The sources with the first of each kind/namespace/name kept (lists are short: a scan beats a set of keys). */
export function dedupeSources(sources: SourceRef[]): SourceRef[] {
  const kept: SourceRef[] = [];
  for (const s of sources) {
    if (!kept.some((k) => k.kind === s.kind && k.namespace === s.namespace && k.name === s.name)) {
      kept.push(s);
    }
  }
  return kept;
}

/** Rollback points: a revision that reused an older ReplicaSet, at the reused revision's start. */
export function rollbackPoints(
  { records }: RevisionHistory,
  rollout: RolloutView | undefined,
  cluster: string
): Draft[] {
  return records
    .filter((r) => r.reusedFrom !== undefined && r.start !== undefined)
    .map((record) => ({
      entry: {
        id: entryId(cluster, 'rollback', record.namespace, record.rollout, record.revision),
        kind: 'point',
        time: record.start!.time,
        timeEnd: record.start!.time,
        namespace: record.namespace,
        rollout: record.rollout,
        revision: record.revision,
        images: record.replicaSet?.images.length ? record.replicaSet.images : undefined,
        strategy: rollout?.strategy,
        category: 'lifecycle',
        outcome: 'rolledBack',
        precision: record.start!.precision,
        derivation: `${record.start!.derivation}; rollback seen in the ReplicaSet revision history`,
        message: `Rollback: revision ${record.revision} reuses the ReplicaSet of revision ${record.reusedFrom}`,
        sources: record.start!.sources,
      },
      revisionMoment: 'rollback',
      mergeRank: 1,
    }));
}
