import { type Draft, type DraftEntry, openEnd } from './draft';
import {
  analysisMoment,
  experimentAnalysisMoment,
  experimentMoment,
  revisionMomentKey,
  type RunFact,
  stepCompletedMoment,
} from './moments';
import { entryId } from './hash';
import type { AnalysisRunView, ExperimentView } from './objects';
import { COMPLETED_PHASES, outcomeOfPhase } from './reasons';
import { stepOfKind } from './steps';
import type { StepInfo, Strategy } from './types';

interface Owner {
  rollout: string;
  revision?: number;
  strategy?: Strategy;
  /** Canary steps of the Rollout's spec, to number the step a Step analysis or an Experiment ran for. */
  steps?: unknown[];
}

/**
 * The analysis of an Experiment a run is, by the name its Events use: the Experiment's status names the run of each
 * analysis; without that entry, the run's name tells it (`<experiment>-<analysis>`, with `.<n>` appended when that
 * name was taken). A run the status does not name for its analysis (created a second time from a stale cache) is
 * not the one the Experiment's Events report.
 */
function experimentAnalysisOf(run: AnalysisRunView, experiment: ExperimentView | undefined): string | undefined {
  const { name } = run;
  if (experiment === undefined || !name.startsWith(`${experiment.name}-`)) {
    return undefined;
  }
  for (const [analysis, named] of experiment.analysisRuns) {
    if (named === name) {
      return analysis;
    }
  }
  const analysis = name.slice(experiment.name.length + 1).replace(/\.\d+$/, '');
  return experiment.analysisRuns.has(analysis) ? undefined : analysis;
}

/**
 * The moments the Events about a run report: its own Events name the run. The Events an Experiment records about its
 * analyses (and forwards to its Rollout) name them by their analysis name.
 */
function runMoments(run: AnalysisRunView, experiment: ExperimentView | undefined, fact: RunFact): string[] {
  const moments = [analysisMoment(run.name, fact)];
  const analysis = experimentAnalysisOf(run, experiment);
  if (analysis !== undefined) {
    moments.push(experimentAnalysisMoment(analysis, fact));
  }
  return moments;
}

/**
 * One span per AnalysisRun: startedAt (or creation) to completedAt (or last measurement), or open while running.
 * The Events that report its start or its result become part of it.
 */
export function analysisRunRegion(
  run: AnalysisRunView,
  owner: Owner & { step?: StepInfo; experiment?: ExperimentView },
  now: number,
  cluster: string
): Draft | undefined {
  const startExact = run.startedAt !== undefined;
  const start = run.startedAt ?? run.created;
  if (start === undefined) {
    return undefined;
  }
  const phase = run.phase ?? 'Pending';
  const completed = COMPLETED_PHASES.has(phase);
  let timeEnd: number;
  let endText: string;
  let endExact = true;
  let endUnknown: true | undefined;
  if (!completed) {
    timeEnd = openEnd(start, now);
    endText = 'running: open until now';
  } else if (run.completedAt !== undefined) {
    timeEnd = run.completedAt;
    endText = 'end from status.completedAt';
  } else if (run.lastMeasurementAt !== undefined) {
    timeEnd = run.lastMeasurementAt;
    endText = 'end reconstructed from the last measurement (no status.completedAt before v1.7)';
    endExact = false;
  } else {
    timeEnd = start;
    endText = 'completion time not recorded';
    endExact = false;
    endUnknown = true;
  }
  const startText = startExact ? 'start from status.startedAt' : 'start reconstructed from the creation time';
  const runType = run.type ?? (run.experiment ? 'Experiment' : undefined);
  const failing = run.failingMetric;
  const outcome = run.terminated && phase === 'Successful' ? 'succeeded' : (outcomeOfPhase(phase) ?? 'unknown');
  const label = `${runType ? `${runType} analysis` : 'Analysis'} ${run.name}`;
  const entry: DraftEntry = {
    id: entryId(cluster, 'analysisrun', run.namespace, run.name, run.uid),
    kind: 'region',
    span: 'analysisRun',
    endUnknown,
    time: start,
    timeEnd,
    namespace: run.namespace,
    rollout: owner.rollout,
    revision: owner.revision,
    strategy: owner.strategy,
    category: 'analysis',
    reason: `AnalysisRun${phase}`,
    outcome,
    precision: startExact && endExact ? 'exact' : 'reconstructed',
    derivation: `${startText}; ${endText}`,
    message: `${label} ${completed ? phase : 'running'}${run.message ? `: ${run.message}` : ''}`,
    step: owner.step ?? stepOfKind(owner.steps, run.stepIndex, 'analysis'),
    analysis: {
      name: run.name,
      phase,
      type: runType,
      failingMetric: failing?.name,
      message: failing?.message ?? run.message,
    },
    sources: [{ kind: 'AnalysisRun', namespace: run.namespace, name: run.name, uid: run.uid }],
  };
  return {
    entry,
    startMoments: runMoments(run, owner.experiment, 'start'),
    endMoments: completed ? runMoments(run, owner.experiment, 'result') : undefined,
  };
}

/**
 * One span per Experiment: creation to completion (Progressing=ExperimentCompleted), or open while running. The
 * Events that report its creation or its result become part of it, and so does the completion of its step (the step
 * of an experiment completes when the Experiment succeeds).
 */
export function experimentRegion(exp: ExperimentView, owner: Owner, now: number, cluster: string): Draft | undefined {
  const start = exp.created;
  if (start === undefined) {
    return undefined;
  }
  const phase = exp.phase ?? 'Pending';
  const completed = COMPLETED_PHASES.has(phase);
  let timeEnd = start;
  let endText = 'completion time not recorded';
  let endUnknown: true | undefined;
  if (!completed) {
    timeEnd = openEnd(start, now);
    endText = 'running: open until now';
  } else if (exp.completedAt !== undefined) {
    timeEnd = exp.completedAt;
    endText = 'end reconstructed from the ExperimentCompleted condition';
  } else {
    endUnknown = true;
  }
  const step = stepOfKind(owner.steps, exp.stepIndex, 'experiment');
  const endMoments = completed ? [experimentMoment(exp.name, 'result')] : undefined;
  if (step && phase === 'Successful') {
    endMoments?.push(revisionMomentKey(stepCompletedMoment(step.index), owner.revision));
  }
  const entry: DraftEntry = {
    id: entryId(cluster, 'experiment', exp.namespace, exp.name, exp.uid),
    kind: 'region',
    span: 'experiment',
    endUnknown,
    time: start,
    timeEnd,
    namespace: exp.namespace,
    rollout: owner.rollout,
    revision: owner.revision,
    strategy: owner.strategy,
    category: 'steps',
    reason: `Experiment${phase}`,
    outcome: outcomeOfPhase(phase) ?? 'unknown',
    precision: 'reconstructed',
    derivation: `start reconstructed from the Experiment's creation time; ${endText}`,
    message: `Experiment ${exp.name} ${completed ? phase : 'running'}${exp.message ? `: ${exp.message}` : ''}`,
    step,
    sources: [{ kind: 'Experiment', namespace: exp.namespace, name: exp.name, uid: exp.uid }],
  };
  return { entry, startMoments: [experimentMoment(exp.name, 'start')], endMoments };
}
