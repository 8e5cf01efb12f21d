// The oracle of the real-stack annotation and table checks: from what a scenario driver observed (the Events of its
// namespace as its watch saw them, and its Rollouts, ReplicaSets, AnalysisRuns and Experiments read with the admin
// identity at the end; tests/e2e/lib/observations.mjs), the lifecycle, analysis and step entries the plugin must
// show, derived from Argo Rollouts' semantics and the behaviour the README documents. It shares no code with the
// plugin (it imports nothing from src/), so that a defect of the plugin cannot hide in both. The rules, one fact one
// entry:
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
//      and its result: the same facts, no entries of their own. The runs of an experiment step are owned by its
//      Experiment and belong to its revision; the Experiment's Events about them, and the copies it records on the
//      Rollout (v1.9+), name them by their analysis name: also the same facts.
// Steps (derived for the scenarios without pause steps; pauses are not derived, so the checks compare the steps
// category only for step-plugin and experiment-step)
//   R6 each RolloutStepCompleted Event is one point (no outcome), in the latest revision started at or before it,
//      except the completion of a plugin or experiment step whose run R7 or R8 shows succeeding: the same fact.
//   R7 plugin steps (v1.8): status.canary.stepPluginStatuses hold the operations of the current update's plugin
//      steps. Each Run is one span from its startedAt to its finishedAt (Successful: succeeded; Failed: failed), or,
//      still Running, to the Terminate (a full promotion: superseded) or Abort (aborted) of the same step that ended
//      it, or open (in progress) while the update is on its step. A Terminate or Abort of a step whose Run had
//      finished is one point at its finishedAt: aborted or superseded, failed when its phase is Failed or Error.
//      The StepPluginTransition Events (`transitioned to Running` its start, `transitioned to Failed` its result,
//      `aborted (…)`, `terminated (…)` the operation) report these facts; a transition to Error (retried) and every
//      transition of an earlier update (whose statuses are gone) is a point of its own, outcome by phase. Reason
//      StepPluginTransition for all.
//   R8 each Experiment of the Rollout is one span from its creation to its Progressing=ExperimentCompleted
//      transition (a failed Experiment records none: then its result Event, else its end is unknown and it is a
//      point at its start; open while running), in its revision, reason Experiment<Phase>, outcome by phase; the
//      Rollout's ExperimentCreated and the Experiment's Experiment<Phase> Events report its start and result. Each
//      Template<Status> Event of it is one point, outcome by status; each of its ScalingReplicaSet Events (its
//      templates' ReplicaSets) one lifecycle point in its revision.
// Revisions table
//   R9 a revision's steps reached: the highest step a RolloutStepCompleted Event of it names, its step AnalysisRuns
//      (step-index label), its Experiments (their name, <rollout>-<hash>-<revision>-<step index>) or its plugin steps
//      ran at, out of the spec's steps.
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
/** Outcome of an experiment's template status (Template<Status> Events). */
const TEMPLATE_OUTCOME = {
  Progressing: 'inProgress',
  Running: 'inProgress',
  Successful: 'succeeded',
  Failed: 'failed',
  Error: 'failed',
};
const STEP_COMPLETED = /^Rollout step (\d+)\/(\d+) completed \((.*)\)$/;
const STEP_PLUGIN_TRANSITION =
  /^Step plugin (.+) \(step (\d+)\) (?:transitioned to (\w+)|(aborted|terminated) \((\w+)\))$/;

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

const ownedBy = (object, owner) => (object.metadata.ownerReferences ?? []).some((o) => o.uid === owner.metadata.uid);

/** Outcome of a plugin step's operation: Failed or Error fail it, an Abort aborts it, a Terminate supersedes it. */
function pluginOutcome(operation, phase) {
  if (phase === 'Failed' || phase === 'Error') {
    return 'failed';
  }
  return { Abort: 'aborted', Terminate: 'superseded' }[operation] ?? PHASE_OUTCOME[phase];
}

/** The 0-based step index in an experiment step's Experiment name, `<rollout>-<hash>-<revision>-<index>[.n]`. */
function experimentStepIndex(experiment, rollout) {
  const hash = experiment.metadata.labels?.[POD_TEMPLATE_HASH];
  const revision = annotation(experiment, REVISION);
  const prefix = `${rollout.metadata.name}-${hash}-${revision}-`;
  const rest = experiment.metadata.name.startsWith(prefix) ? experiment.metadata.name.slice(prefix.length) : '';
  return /^\d+(\.\d+)?$/.test(rest) ? Number(rest.split('.')[0]) : undefined;
}

/** The latest revision started at or before `time` (in whole seconds, as the timestamps are). */
function revisionAt(time, revisions) {
  return revisions
    .filter((r) => r.start !== undefined && second(r.start) <= second(time))
    .reduce((found, r) => (!found || r.start >= found.start ? r : found), undefined)?.revision;
}

/** The expected lifecycle, analysis and step entries of one Rollout. */
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
      span: true,
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
  const experiments = observations.experiments.filter((e) => ownedBy(e, rollout));
  for (const run of observations.analysisRuns) {
    const experiment = experiments.find((e) => ownedBy(run, e));
    if (!ownedBy(run, rollout) && !experiment) {
      continue;
    }
    const phase = run.status?.phase ?? 'Pending';
    const start = ms(run.status?.startedAt) ?? ms(run.metadata.creationTimestamp);
    const end = COMPLETED_PHASES.has(phase) ? (ms(run.status?.completedAt) ?? start) : now;
    entries.push({
      what: `AnalysisRun ${run.metadata.name} (${phase})`,
      category: 'analysis',
      revision: Number(annotation(experiment ?? run, REVISION)),
      kind: spanKind(start, end),
      outcome: PHASE_OUTCOME[phase] ?? 'unknown',
      reason: `AnalysisRun${phase}`,
      time: start,
      timeEnd: end,
      span: true,
    });
  }
  entries.push(...stepEntries(rollout, rolloutEvents, revisions, experiments, observations, now));
  return entries.map((entry) => ({ rollout: name, ...entry }));
}

/** R6-R8: the step entries of one Rollout. */
function stepEntries(rollout, rolloutEvents, revisions, experiments, observations, now) {
  const entries = [];
  const current = Number(annotation(rollout, REVISION));
  const status = rollout.status ?? {};
  const point = (what, category, revision, time, outcome, reason) => ({
    what,
    category,
    revision,
    kind: 'point',
    outcome,
    reason,
    time,
    timeEnd: time,
  });
  // R7: the plugin steps of the current update.
  const operations = status.canary?.stepPluginStatuses ?? [];
  /** Facts the statuses show, `<step> <operation> <start|result>`: their Events add no entry. */
  const shown = new Set();
  /** Steps whose run succeeded: their RolloutStepCompleted adds no entry. */
  const succeededSteps = new Set();
  for (const op of operations.filter((o) => !o.disabled && o.operation === 'Run' && o.startedAt)) {
    const step = op.index + 1;
    const start = ms(op.startedAt);
    const ender = operations.find(
      (o) => o.index === op.index && (o.operation === 'Terminate' || o.operation === 'Abort') && !op.finishedAt
    );
    let end;
    let outcome;
    if (op.finishedAt && (op.phase === 'Successful' || op.phase === 'Failed')) {
      [end, outcome] = [ms(op.finishedAt), PHASE_OUTCOME[op.phase]];
      shown.add(`${step} Run result`);
      if (op.phase === 'Successful') {
        succeededSteps.add(`${current} ${step}`);
      }
    } else if (ender) {
      [end, outcome] = [ms(ender.finishedAt ?? ender.startedAt), pluginOutcome(ender.operation)];
      shown.add(`${step} ${ender.operation} result`);
    } else if (status.currentStepIndex === op.index && !status.abort) {
      [end, outcome] = [now, 'inProgress'];
    } else {
      [end, outcome] = [start, 'unknown'];
    }
    shown.add(`${step} Run start`);
    entries.push({
      what: `plugin step ${step}: ${op.operation} ${op.phase}`,
      category: 'steps',
      revision: current,
      kind: spanKind(start, end),
      outcome,
      reason: 'StepPluginTransition',
      time: start,
      timeEnd: end,
      span: true,
    });
  }
  for (const op of operations.filter((o) => !o.disabled && o.operation !== 'Run')) {
    const step = op.index + 1;
    if (shown.has(`${step} ${op.operation} result`)) {
      continue;
    }
    shown.add(`${step} ${op.operation} result`);
    const time = ms(op.finishedAt ?? op.startedAt);
    entries.push(
      point(
        `plugin step ${step}: ${op.operation} ${op.phase}`,
        'steps',
        current,
        time,
        pluginOutcome(op.operation, op.phase),
        'StepPluginTransition'
      )
    );
  }
  // R8: the Experiments, and the Events recorded on them.
  const completedExperimentSteps = new Set();
  for (const experiment of experiments) {
    const phase = experiment.status?.phase ?? 'Pending';
    const revision = Number(annotation(experiment, REVISION));
    const start = ms(experiment.metadata.creationTimestamp);
    const completed = (experiment.status?.conditions ?? []).find(
      (c) => c.type === 'Progressing' && c.reason === 'ExperimentCompleted'
    );
    const onIt = observations.events.filter(
      (e) => e.involvedObject.kind === 'Experiment' && e.involvedObject.name === experiment.metadata.name
    );
    // A failed Experiment keeps the Progressing condition it had (NewReplicaSetAvailable): its result Event tells
    // when it ended, and once that is gone its end is unknown (a point at its start).
    const result = onIt.find((e) => e.reason === `Experiment${phase}`);
    const end = COMPLETED_PHASES.has(phase)
      ? (ms(completed?.lastTransitionTime) ?? ms(result?.lastTimestamp) ?? start)
      : now;
    const index = experimentStepIndex(experiment, rollout);
    if (phase === 'Successful' && index !== undefined) {
      completedExperimentSteps.add(`${revision} ${index + 1}`);
    }
    entries.push({
      what: `Experiment ${experiment.metadata.name} (${phase})`,
      category: 'steps',
      revision,
      kind: spanKind(start, end),
      outcome: PHASE_OUTCOME[phase] ?? 'unknown',
      reason: `Experiment${phase}`,
      time: start,
      timeEnd: end,
      span: true,
    });
    for (const e of onIt) {
      const template = /^Template(\w+)$/.exec(e.reason);
      if (template) {
        entries.push(
          point(
            `Event ${e.reason}: ${e.message}`,
            'steps',
            revision,
            ms(e.lastTimestamp),
            TEMPLATE_OUTCOME[template[1]],
            e.reason
          )
        );
      } else if (e.reason === 'ScalingReplicaSet') {
        entries.push(
          point(`Event ${e.reason}: ${e.message}`, 'lifecycle', revision, ms(e.lastTimestamp), undefined, e.reason)
        );
      }
    }
  }
  // R6 and R7's Events: the Rollout's step completions and plugin transitions that no status shows.
  for (const e of rolloutEvents) {
    const time = ms(e.lastTimestamp);
    const revision = revisionAt(time, revisions);
    const completion = e.reason === 'RolloutStepCompleted' ? STEP_COMPLETED.exec(e.message) : undefined;
    if (completion) {
      const step = Number(completion[1]);
      const run = completion[3].startsWith('plugin: ')
        ? succeededSteps
        : completion[3] === 'experiment'
          ? completedExperimentSteps
          : undefined;
      if (!run?.has(`${revision} ${step}`)) {
        entries.push(point(`Event ${e.reason}: ${e.message}`, 'steps', revision, time, undefined, e.reason));
      }
      continue;
    }
    const transition = e.reason === 'StepPluginTransition' ? STEP_PLUGIN_TRANSITION.exec(e.message) : undefined;
    if (transition) {
      const step = Number(transition[2]);
      const operation = { aborted: 'Abort', terminated: 'Terminate' }[transition[4]] ?? 'Run';
      const phase = transition[3] ?? transition[5];
      const fact =
        operation === 'Run' ? (phase === 'Running' ? 'start' : phase === 'Error' ? 'retried' : 'result') : 'result';
      if (revision === current && shown.has(`${step} ${operation} ${fact}`)) {
        continue;
      }
      entries.push(
        point(`Event ${e.reason}: ${e.message}`, 'steps', revision, time, pluginOutcome(operation, phase), e.reason)
      );
    }
  }
  return entries;
}

/**
 * The lifecycle, analysis and step entries the plugin must show for a scenario's namespace, sorted by key (pauses
 * are not derived: see R6-R8).
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
    const revisions = revisionsOf(rollout, observations.replicaSets, events, now);
    const reached = stepsReached(rollout, revisions, events, observations);
    return revisions
      .filter((r) => r.start !== undefined)
      .map((r) => ({
        namespace: rollout.metadata.namespace,
        rollout: name,
        revision: r.revision,
        started: r.start,
        ended: r.outcome === 'inProgress' ? undefined : r.end,
        outcome: r.outcome,
        images: (r.replicaSet?.spec?.template?.spec?.containers ?? []).map((c) => c.image),
        stepsReached: reached.get(r.revision),
      }));
  });
}

/** R9: `<step>/<steps>` for each revision that reached a step. */
function stepsReached(rollout, revisions, events, observations) {
  const steps = rollout.spec.strategy.canary?.steps ?? [];
  const current = Number(annotation(rollout, REVISION));
  const highest = new Map();
  const reach = (revision, step, total) => {
    if (revision !== undefined && step > (highest.get(revision)?.step ?? 0)) {
      highest.set(revision, { step, total });
    }
  };
  /** The 0-based index when the spec has a step of that kind there (`analysis`, `experiment`, `plugin`). */
  const reachAt = (revision, index, kind) => {
    if (index !== undefined && steps[index]?.[kind]) {
      reach(revision, index + 1, steps.length);
    }
  };
  for (const e of events.filter((event) => event.reason === 'RolloutStepCompleted')) {
    const match = STEP_COMPLETED.exec(e.message);
    if (match) {
      reach(revisionAt(ms(e.lastTimestamp), revisions), Number(match[1]), Number(match[2]));
    }
  }
  for (const run of observations.analysisRuns.filter((r) => ownedBy(r, rollout))) {
    const index = run.metadata.labels?.['step-index'];
    reachAt(Number(annotation(run, REVISION)), index === undefined ? undefined : Number(index), 'analysis');
  }
  for (const experiment of observations.experiments.filter((e) => ownedBy(e, rollout))) {
    reachAt(Number(annotation(experiment, REVISION)), experimentStepIndex(experiment, rollout), 'experiment');
  }
  for (const op of rollout.status?.canary?.stepPluginStatuses ?? []) {
    if (!op.disabled && op.startedAt) {
      reachAt(current, op.index, 'plugin');
    }
  }
  return new Map([...highest].map(([revision, { step, total }]) => [revision, `${step}/${total}`]));
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
