import type { DataFrame, QueryResultMetaNotice } from '@grafana/data';

import type { AnalysisRun, Experiment, Rollout } from '../../kube/argo-types';
import { tagsFor, type TagMapping } from '../../tags/tagMapping';
import { parseTime } from '../../timeline/parse';
import { outcomeOfPhase } from '../../timeline/reasons';
import { compareWorstFirst, isCompletedPhase } from './analysisPhase';
import {
  buildTable,
  clusterColumn,
  compareText,
  durationColumn,
  newestFirst,
  numberColumn,
  secondsBetween,
  stringColumn,
  tagsColumn,
  timeColumn,
  type Column,
} from './fields';
import {
  createdAt,
  labelOf,
  latestTime,
  nameOf,
  namespaceOf,
  objectKey,
  ownerOfKind,
  revisionOf,
  ROLLOUT_TYPE_LABEL,
  STEP_INDEX_LABEL,
} from './objects';
import { strategyOf } from './rollouts';

/** What started the run: the `rollout-type` label, or `experiment` for the analyses of an experiment step. */
export type AnalysisRunKind = 'background' | 'step' | 'pre-promotion' | 'post-promotion' | 'experiment';

const KIND_BY_ROLLOUT_TYPE: Record<string, AnalysisRunKind> = {
  Background: 'background',
  Step: 'step',
  PrePromotion: 'pre-promotion',
  PostPromotion: 'post-promotion',
};

export interface AnalysisRunRow {
  cluster: string;
  namespace: string;
  name: string;
  rollout?: string;
  revision?: number;
  kind?: AnalysisRunKind;
  /** 0-based index of the canary step that started the run (the `step-index` label). */
  stepIndex?: number;
  phase?: string;
  started?: number;
  completed?: number;
  /** Seconds; for a run still going, the time it has run so far. */
  durationSeconds?: number;
  /** Metrics with the worst result, comma-separated; only when the run did not succeed. */
  failingMetric?: string;
  message?: string;
  tags: string[];
}

export interface AnalysisRunsTableOptions {
  cluster: string;
  /** Epoch milliseconds: the end of runs still going. */
  now: number;
  tagMapping?: TagMapping;
  /** Rollouts of the queried namespaces: give each run its Rollout's labels for the tags. */
  rollouts?: readonly Rollout[];
  /** Experiments: link the analyses of an experiment step to their Rollout and revision. */
  experiments?: readonly Experiment[];
  notices?: QueryResultMetaNotice[];
}

export const ANALYSIS_RUN_COLUMNS: ReadonlyArray<Column<AnalysisRunRow>> = [
  clusterColumn(),
  stringColumn('namespace', 'Namespace', (r) => r.namespace),
  stringColumn('name', 'Analysis run', (r) => r.name),
  stringColumn('rollout', 'Rollout', (r) => r.rollout),
  numberColumn('revision', 'Revision', (r) => r.revision),
  stringColumn('kind', 'Kind', (r) => r.kind),
  numberColumn('stepIndex', 'Step index', (r) => r.stepIndex),
  stringColumn('phase', 'Phase', (r) => r.phase),
  timeColumn('started', 'Started', (r) => r.started),
  timeColumn('completed', 'Completed', (r) => r.completed),
  durationColumn('duration', 'Duration', (r) => r.durationSeconds),
  stringColumn('failingMetric', 'Failing metric', (r) => r.failingMetric),
  stringColumn('message', 'Message', (r) => r.message),
  tagsColumn(),
];

/** One row per AnalysisRun, most recently started first. */
export function analysisRunsTable(analysisRuns: readonly AnalysisRun[], options: AnalysisRunsTableOptions): DataFrame {
  const rollouts = new Map((options.rollouts ?? []).map((r) => [objectKey(namespaceOf(r), nameOf(r)), r]));
  const experiments = new Map((options.experiments ?? []).map((e) => [objectKey(namespaceOf(e), nameOf(e)), e]));
  const rows = analysisRuns.map((run) => analysisRunRow(run, rollouts, experiments, options));
  rows.sort(
    (a, b) => newestFirst(a.started, b.started) || compareText(a.namespace, b.namespace) || compareText(a.name, b.name)
  );
  return buildTable(rows, ANALYSIS_RUN_COLUMNS, { name: 'analysisRuns', notices: options.notices });
}

export function analysisRunRow(
  run: AnalysisRun,
  rollouts: ReadonlyMap<string, Rollout>,
  experiments: ReadonlyMap<string, Experiment>,
  options: AnalysisRunsTableOptions
): AnalysisRunRow {
  const namespace = namespaceOf(run);
  const status = run.status ?? {};
  const experimentOwner = ownerOfKind(run, 'Experiment');
  const experiment = experimentOwner ? experiments.get(objectKey(namespace, experimentOwner.name)) : undefined;
  const rolloutName = ownerOfKind(run, 'Rollout')?.name ?? (experiment && ownerOfKind(experiment, 'Rollout')?.name);
  const rollout = rolloutName !== undefined ? rollouts.get(objectKey(namespace, rolloutName)) : undefined;
  const revision = revisionOf(run) ?? (experiment ? revisionOf(experiment) : undefined);
  const rolloutType = labelOf(run, ROLLOUT_TYPE_LABEL);
  const stepLabel = labelOf(run, STEP_INDEX_LABEL);
  const phase = status.phase || undefined;
  const started = parseTime(status.startedAt) ?? createdAt(run);
  const completed = completedAt(run);
  const failing = failingMetrics(run);
  return {
    cluster: options.cluster,
    namespace,
    name: nameOf(run),
    rollout: rolloutName,
    revision,
    kind: (rolloutType && KIND_BY_ROLLOUT_TYPE[rolloutType]) || (experimentOwner ? 'experiment' : undefined),
    stepIndex: stepLabel !== undefined && /^\d{1,9}$/.test(stepLabel) ? Number(stepLabel) : undefined,
    phase,
    started,
    completed,
    durationSeconds: secondsBetween(started, completed ?? (isCompletedPhase(phase) ? undefined : options.now)),
    failingMetric: failing.map((metric) => metric.name).join(', ') || undefined,
    message: status.message || failing.find((metric) => metric.message)?.message,
    tags: tagsFor(
      {
        cluster: options.cluster,
        namespace,
        rollout: rolloutName,
        revision,
        category: 'analysis',
        outcome: outcomeOfPhase(phase),
        strategy: rollout ? strategyOf(rollout) : undefined,
        rolloutLabels: rollout?.metadata?.labels,
        rolloutAnnotations: rollout?.metadata?.annotations,
      },
      options.tagMapping
    ),
  };
}

/** `status.completedAt` (v1.7+), else for a finished run the end of its last measurement. */
function completedAt(run: AnalysisRun): number | undefined {
  const status = run.status ?? {};
  const recorded = parseTime(status.completedAt);
  if (recorded !== undefined || !isCompletedPhase(status.phase)) {
    return recorded;
  }
  return latestTime(
    (status.metricResults ?? []).flatMap((metric) => (metric.measurements ?? []).map((m) => m.finishedAt))
  );
}

/** The metrics that gave the run's worst non-successful result (Failed before Error before Inconclusive). */
function failingMetrics(run: AnalysisRun): Array<{ name: string; message?: string }> {
  const unsuccessful = (run.status?.metricResults ?? []).filter(
    (metric) => metric.phase === 'Failed' || metric.phase === 'Error' || metric.phase === 'Inconclusive'
  );
  if (unsuccessful.length === 0) {
    return [];
  }
  const worst = [...unsuccessful].sort((a, b) => compareWorstFirst(a.phase ?? '', b.phase ?? ''))[0].phase;
  return unsuccessful
    .filter((metric) => metric.phase === worst)
    .map((metric) => ({ name: metric.name ?? '', message: metric.message }));
}
