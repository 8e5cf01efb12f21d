// The oracle of the real-stack annotation and table checks: from what a scenario driver observed (the Events of its
// namespace as its watch saw them, and its Rollouts, ReplicaSets and AnalysisRuns read with the admin identity at the
// end; tests/e2e/lib/observations.mjs), the lifecycle and analysis entries the plugin must show, derived from Argo
// Rollouts' semantics and the behaviour the README documents. It shares no code with the plugin (it imports nothing
// from src/), so that a defect of the plugin cannot hide in both. The rules, one fact one entry:
//
// Lifecycle
//   R1 each revision of a Rollout is one span: from the first of its RolloutUpdated / NewReplicaSetCreated /
//      RolloutNotCompleted Events (else its ReplicaSet's creation) to the Event that ended it (RolloutCompleted,
//      RolloutAborted), or, when nothing ended it, to where the next revision started. Its outcome: the current
//      revision is aborted (status.abort or Progressing=RolloutAborted), succeeded (stableRS == currentPodHash) or in
//      progress; an earlier one is rolled back when the next revision reused an older ReplicaSet (its
//      revision-history annotation), else succeeded or aborted by its Event, else superseded.
//      Once the Events are gone (Kubernetes deletes them after an hour), the durable objects still tell: the current
//      revision completed when its Completed condition turned True; a revision whose ReplicaSet is still the stable
//      one (status.stableRS) completed; the current revision of a reused ReplicaSet has no recorded start and is
//      placed at its completion.
//   R2 each lifecycle Event of a Rollout (one Event object: the recorder folds repeats of one message into it) is one
//      point at its last time, about the revision its message names, else the latest revision started at or before
//      it. RolloutCompleted succeeded, RolloutAborted aborted, SkipSteps rolled back. The Events of one revision's
//      abort (or completion) are one fact, and so is the abort that status.abortedAt records.
//   R3 a revision that reused an older revision's ReplicaSet is one rollback point at its start (rolled back).
//   R4 status.restartedAt is one restart point, status Progressing=RolloutRetry one retry point.
// Analysis
//   R5 each AnalysisRun is one span from status.startedAt to status.completedAt (open while running), outcome by
//      phase; the Events about it (AnalysisRun<Phase> on the Rollout and on the run, Metric<Phase>) report its start
//      and its result: the same facts, no entries of their own.
// Every span whose start and end fall in the same second is a point (Kubernetes timestamps have one-second
// resolution); otherwise a region.

const REVISION = 'rollout.argoproj.io/revision';
const REVISION_HISTORY = 'rollout.argoproj.io/revision-history';
const POD_TEMPLATE_HASH = 'rollouts-pod-template-hash';
const ARGO_API = 'argoproj.io/v1alpha1';

/** Rollout Event reasons of the lifecycle category (Argo Rollouts' recorder, rollout/sync.go and controller.go). */
const LIFECYCLE_REASONS = new Set([
  'RolloutAddedToInformer',
  'RolloutDeleted',
  'RolloutUpdated',
  'NewReplicaSetCreated',
  'RolloutNotCompleted',
  'ScalingReplicaSet',
  'RolloutCompleted',
  'RolloutAborted',
  'SkipSteps',
]);
const START_REASONS = new Set(['RolloutUpdated', 'NewReplicaSetCreated', 'RolloutNotCompleted']);
/** One entry per revision for these: the recorder may write a fact twice with different messages. */
const ONE_PER_REVISION = new Set(['RolloutCompleted', 'RolloutAborted', 'SkipSteps']);
const EVENT_OUTCOME = { RolloutCompleted: 'succeeded', RolloutAborted: 'aborted', SkipSteps: 'rolledBack' };
const PHASE_OUTCOME = {
  Successful: 'succeeded',
  Failed: 'failed',
  Error: 'failed',
  Inconclusive: 'unknown',
  Running: 'inProgress',
  Pending: 'inProgress',
};
const COMPLETED_PHASES = new Set(['Successful', 'Failed', 'Error', 'Inconclusive']);

const ms = (timestamp) => (timestamp ? Date.parse(timestamp) : undefined);
const second = (time) => Math.floor(time / 1000);
const revisionNamed = (message) => {
  const match = /\brevision (\d+)\b/.exec(message ?? '');
  return match ? Number(match[1]) : undefined;
};
const annotation = (object, key) => object.metadata?.annotations?.[key];

/** A span is a region when it ends in a later second than it starts, else a point. */
const spanKind = (start, end) => (second(end) > second(start) ? 'region' : 'point');

/** What a check compares: category, revision, point or region, outcome and reason. */
export function entryKey(entry) {
  return [
    entry.category,
    `revision ${entry.revision ?? '-'}`,
    entry.kind,
    `outcome ${entry.outcome ?? 'none'}`,
    `reason ${entry.reason ?? '-'}`,
  ].join(' | ');
}

/** The revisions of one Rollout: start, end, outcome and the ReplicaSet that served each. */
function revisionsOf(rollout, replicaSets, events, now) {
  const owned = replicaSets.filter((rs) =>
    (rs.metadata.ownerReferences ?? []).some((o) => o.uid === rollout.metadata.uid)
  );
  const records = new Map();
  const record = (revision) => {
    if (!records.has(revision)) {
      records.set(revision, { revision });
    }
    return records.get(revision);
  };
  for (const rs of owned) {
    const current = Number(annotation(rs, REVISION));
    const history = (annotation(rs, REVISION_HISTORY) ?? '').split(',').filter(Boolean).map(Number);
    const first = Math.min(current, ...history);
    for (const revision of [...history, current]) {
      Object.assign(record(revision), { replicaSet: rs, reusedFrom: revision > first ? first : undefined });
    }
  }
  for (const e of events) {
    const revision = revisionNamed(e.message);
    if (START_REASONS.has(e.reason) && revision !== undefined) {
      const r = record(revision);
      r.start = Math.min(r.start ?? Infinity, ms(e.firstTimestamp));
    }
  }
  const status = rollout.status ?? {};
  const currentRevision = Number(annotation(rollout, REVISION));
  const conditions = status.conditions ?? [];
  const progressing = conditions.find((c) => c.type === 'Progressing');
  const completedCondition = conditions.find((c) => c.type === 'Completed' && c.status === 'True');
  for (const r of records.values()) {
    if (r.start === undefined && r.replicaSet && r.reusedFrom === undefined) {
      r.start = ms(r.replicaSet.metadata.creationTimestamp);
    } else if (r.start === undefined && r.revision === currentRevision) {
      r.start = ms(completedCondition?.lastTransitionTime);
    }
  }
  const sorted = [...records.values()].sort((a, b) => a.revision - b.revision);
  const ending = (reason, revision) =>
    events
      .filter((e) => e.reason === reason && revisionNamed(e.message) === revision)
      .reduce((latest, e) => Math.max(latest ?? -Infinity, ms(e.lastTimestamp)), undefined);
  const isStable = (r) =>
    r.replicaSet?.metadata.labels?.[POD_TEMPLATE_HASH] === status.stableRS &&
    Number(annotation(r.replicaSet, REVISION)) === r.revision;
  sorted.forEach((r, i) => {
    const next = sorted[i + 1];
    const completed = ending('RolloutCompleted', r.revision);
    const aborted = ending('RolloutAborted', r.revision);
    if (r.revision === currentRevision) {
      if (status.abort || progressing?.reason === 'RolloutAborted') {
        Object.assign(r, { outcome: 'aborted', end: aborted ?? ms(status.abortedAt) });
      } else if (status.stableRS && status.stableRS === status.currentPodHash) {
        Object.assign(r, { outcome: 'succeeded', end: completed ?? ms(completedCondition?.lastTransitionTime) });
      } else {
        Object.assign(r, { outcome: 'inProgress', end: now });
      }
    } else if (next && next.revision === r.revision + 1 && next.reusedFrom !== undefined) {
      Object.assign(r, { outcome: 'rolledBack', end: completed ?? aborted ?? next.start });
    } else if (completed !== undefined || aborted !== undefined) {
      const abortedLast = (aborted ?? -Infinity) >= (completed ?? -Infinity);
      Object.assign(r, abortedLast ? { outcome: 'aborted', end: aborted } : { outcome: 'succeeded', end: completed });
    } else if (isStable(r)) {
      Object.assign(r, { outcome: 'succeeded', end: next?.start });
    } else {
      Object.assign(r, { outcome: next ? 'superseded' : 'unknown', end: next?.start });
    }
  });
  return sorted;
}

/** The latest revision started at or before `time` (in whole seconds, as the timestamps are). */
function revisionAt(time, revisions) {
  return revisions
    .filter((r) => r.start !== undefined && second(r.start) <= second(time))
    .reduce((found, r) => (!found || r.start >= found.start ? r : found), undefined)?.revision;
}

/** The expected lifecycle and analysis entries of one Rollout. */
function rolloutEntries(rollout, observations, now) {
  const name = rollout.metadata.name;
  const about = (kind, objectName) => (e) =>
    e.involvedObject.kind === kind && e.involvedObject.name === objectName && e.involvedObject.apiVersion === ARGO_API;
  const rolloutEvents = observations.events.filter(about('Rollout', name));
  const revisions = revisionsOf(rollout, observations.replicaSets, rolloutEvents, now);
  const entries = [];
  for (const r of revisions.filter((rev) => rev.start !== undefined)) {
    const end = r.end ?? r.start;
    entries.push({
      what: `revision ${r.revision} (${r.outcome})`,
      category: 'lifecycle',
      revision: r.revision,
      kind: spanKind(r.start, end),
      outcome: r.outcome,
      time: r.start,
      timeEnd: end,
    });
    if (r.reusedFrom !== undefined) {
      entries.push({
        what: `rollback: revision ${r.revision} reuses the ReplicaSet of revision ${r.reusedFrom}`,
        category: 'lifecycle',
        revision: r.revision,
        kind: 'point',
        outcome: 'rolledBack',
        time: r.start,
        timeEnd: r.start,
      });
    }
  }
  const onePerRevision = new Set();
  for (const e of rolloutEvents.filter((event) => LIFECYCLE_REASONS.has(event.reason))) {
    const time = ms(e.lastTimestamp);
    const revision = revisionNamed(e.message) ?? revisionAt(time, revisions);
    if (ONE_PER_REVISION.has(e.reason)) {
      const fact = `${e.reason} ${revision}`;
      if (onePerRevision.has(fact)) {
        continue;
      }
      onePerRevision.add(fact);
    }
    entries.push({
      what: `Event ${e.reason}: ${e.message}`,
      category: 'lifecycle',
      revision,
      kind: 'point',
      outcome: EVENT_OUTCOME[e.reason],
      reason: e.reason,
      time,
      timeEnd: time,
    });
  }
  const status = rollout.status ?? {};
  const current = Number(annotation(rollout, REVISION));
  const progressing = (status.conditions ?? []).find((c) => c.type === 'Progressing');
  if ((status.abort || progressing?.reason === 'RolloutAborted') && !onePerRevision.has(`RolloutAborted ${current}`)) {
    const time = ms(status.abortedAt) ?? ms(progressing?.lastTransitionTime);
    entries.push({
      what: 'abort recorded in status only',
      category: 'lifecycle',
      revision: current,
      kind: 'point',
      outcome: 'aborted',
      reason: 'RolloutAborted',
      time,
      timeEnd: time,
    });
  }
  if (status.restartedAt) {
    const time = ms(status.restartedAt);
    entries.push({ what: 'restart', category: 'lifecycle', revision: current, kind: 'point', time, timeEnd: time });
  }
  if (progressing?.reason === 'RolloutRetry') {
    const time = ms(progressing.lastTransitionTime);
    entries.push({
      what: 'retry',
      category: 'lifecycle',
      revision: current,
      kind: 'point',
      reason: 'RolloutRetry',
      time,
      timeEnd: time,
    });
  }
  for (const run of observations.analysisRuns) {
    if (!(run.metadata.ownerReferences ?? []).some((o) => o.uid === rollout.metadata.uid)) {
      continue;
    }
    const phase = run.status?.phase ?? 'Pending';
    const start = ms(run.status?.startedAt) ?? ms(run.metadata.creationTimestamp);
    const end = COMPLETED_PHASES.has(phase) ? (ms(run.status?.completedAt) ?? start) : now;
    entries.push({
      what: `AnalysisRun ${run.metadata.name} (${phase})`,
      category: 'analysis',
      revision: Number(annotation(run, REVISION)),
      kind: spanKind(start, end),
      outcome: PHASE_OUTCOME[phase] ?? 'unknown',
      reason: `AnalysisRun${phase}`,
      time: start,
      timeEnd: end,
    });
  }
  return entries.map((entry) => ({ rollout: name, ...entry }));
}

/**
 * The lifecycle and analysis entries the plugin must show for a scenario's namespace, sorted by key.
 * `now`: where spans still in progress end (epoch ms).
 */
export function expectedEntries(observations, now = Date.parse(observations.observedAt)) {
  return observations.rollouts
    .flatMap((rollout) => rolloutEntries(rollout, observations, now))
    .sort((a, b) => entryKey(a).localeCompare(entryKey(b)) || a.time - b.time);
}

/** Each revision of each Rollout with its start, end, outcome and images: what the revisions table must show. */
export function expectedRevisions(observations, now = Date.parse(observations.observedAt)) {
  return observations.rollouts.flatMap((rollout) => {
    const name = rollout.metadata.name;
    const events = observations.events.filter(
      (e) => e.involvedObject.kind === 'Rollout' && e.involvedObject.name === name
    );
    return revisionsOf(rollout, observations.replicaSets, events, now)
      .filter((r) => r.start !== undefined)
      .map((r) => ({
        namespace: rollout.metadata.namespace,
        rollout: name,
        revision: r.revision,
        started: r.start,
        ended: r.outcome === 'inProgress' ? undefined : r.end,
        outcome: r.outcome,
        images: (r.replicaSet?.spec?.template?.spec?.containers ?? []).map((c) => c.image),
      }));
  });
}

/**
 * Compares two lists of entries by key, as multisets: what is expected and missing, what is shown and not expected.
 */
export function compareEntries(expected, actual) {
  const remaining = new Map();
  for (const e of actual) {
    const key = entryKey(e);
    remaining.set(key, [...(remaining.get(key) ?? []), e]);
  }
  const missing = [];
  for (const e of expected) {
    const list = remaining.get(entryKey(e));
    if (list?.length) {
      list.shift();
    } else {
      missing.push(e);
    }
  }
  const extra = [...remaining.values()].flat();
  return { missing, extra };
}
