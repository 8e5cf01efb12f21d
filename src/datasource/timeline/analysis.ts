import { type Draft, type DraftEntry, openEnd } from './draft';
import { analysisMoment, experimentAnalysisMoment, experimentMoment, type RunFact } from './moments';
import { entryId } from './hash';
import type { AnalysisRunView, ExperimentView } from './objects';
import { COMPLETED_PHASES, outcomeOfPhase } from './reasons';
import type { Strategy } from './types';

interface Owner {
  rollout: string;
  revision?: number;
  strategy?: Strategy;
  /** Canary steps of the Rollout's spec, to number the step a Step analysis ran for. */
  steps?: unknown[];
}

/**
 * The moments the Events about a run report. Those of an Experiment's analysis name it by its analysis name
 * (the run is `<experiment>-<analysis>`).
 */
function runMoment(run: AnalysisRunView): (fact: RunFact) => string {
  const { experiment, name } = run;
  if (experiment && name.startsWith(`${experiment}-`)) {
    const analysis = name.slice(experiment.length + 1);
    return (fact) => experimentAnalysisMoment(analysis, fact);
  }
  return (fact) => analysisMoment(name, fact);
}

/**
 * One span per AnalysisRun: startedAt (or creation) to completedAt (or last measurement), or open while running.
 * The Events that report its start or its result become part of it.
 */
export function analysisRunRegion(run: AnalysisRunView, owner: Owner, now: number, cluster: string): Draft | undefined {
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
    step:
      run.stepIndex !== undefined && owner.steps && run.stepIndex < owner.steps.length
        ? { index: run.stepIndex + 1, total: owner.steps.length, description: 'analysis' }
        : undefined,
    analysis: {
      name: run.name,
      phase,
      type: runType,
      failingMetric: failing?.name,
      message: failing?.message ?? run.message,
    },
    sources: [{ kind: 'AnalysisRun', namespace: run.namespace, name: run.name, uid: run.uid }],
  };
  const moment = runMoment(run);
  return { entry, startMoment: moment('start'), endMoment: completed ? moment('result') : undefined };
}

/**
 * One span per Experiment: creation to completion (Progressing=ExperimentCompleted), or open while running. The
 * Events that report its creation or its result become part of it.
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
    sources: [{ kind: 'Experiment', namespace: exp.namespace, name: exp.name, uid: exp.uid }],
  };
  return {
    entry,
    startMoment: experimentMoment(exp.name, 'start'),
    endMoment: completed ? experimentMoment(exp.name, 'result') : undefined,
  };
}
