import type { DataFrame, QueryResultMetaNotice } from '@grafana/data';

import type { AnalysisRun, Experiment, Measurement, MetricResult, Rollout } from '../../model/argo';
import type { TagMapping } from '../../tags/tagMapping';
import { array, isRecord, parseTime, str } from '../../timeline/parse';
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
  NamespacedIndex,
  nameOf,
  namespaceOf,
  ownerOfKind,
  readableRows,
  revisionOf,
  skippedNotice,
  ROLLOUT_TYPE_LABEL,
  STEP_INDEX_LABEL,
} from './objects';
import { TagTexts } from './tagTexts';

/** What started the run: the `rollout-type` label, or `experiment` for the analyses of an experiment step. */
export type AnalysisRunKind = 'background' | 'step' | 'pre-promotion' | 'post-promotion' | 'experiment';

const KIND_BY_ROLLOUT_TYPE = new Map<string, AnalysisRunKind>([
  ['Background', 'background'],
  ['Step', 'step'],
  ['PrePromotion', 'pre-promotion'],
  ['PostPromotion', 'post-promotion'],
]);

/** A `step-index` label value: a canary step index. */
const STEP_INDEX = /^\d{1,9}$/;

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
  /** Metrics with the worst result, comma-separated; only when the run did not succeed. */
  failingMetric?: string;
  message?: string;
  /** Joined, see `tagsText`. */
  tags: string;
}

export interface AnalysisRunRowOptions {
  cluster: string;
  tagMapping?: TagMapping;
  /** Rollouts of the queried namespaces: give each run its Rollout's labels for the tags. */
  rollouts?: readonly Rollout[];
  /** Experiments: link the analyses of an experiment step to their Rollout and revision. */
  experiments?: readonly Experiment[];
}

export interface AnalysisRunsTableOptions extends AnalysisRunRowOptions {
  /** Epoch milliseconds: the end of runs still going. */
  now: number;
  notices?: QueryResultMetaNotice[];
}

/** Seconds a run took; for a run still going, the time it has run until `now`. */
function durationSeconds(row: AnalysisRunRow, now: number): number | undefined {
  return secondsBetween(row.started, row.completed ?? (isCompletedPhase(row.phase) ? undefined : now));
}

/** The columns of the analysis runs table; runs still going count up to `now`. */
export const analysisRunColumns = (now: number): ReadonlyArray<Column<AnalysisRunRow>> => [
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
  durationColumn('duration', 'Duration', (r) => durationSeconds(r, now)),
  stringColumn('failingMetric', 'Failing metric', (r) => r.failingMetric),
  stringColumn('message', 'Message', (r) => r.message),
  tagsColumn(),
];

/** The order of the analysis runs table: most recently started first. */
export function compareAnalysisRunRows(a: AnalysisRunRow, b: AnalysisRunRow): number {
  return newestFirst(a.started, b.started) || compareText(a.namespace, b.namespace) || compareText(a.name, b.name);
}

export const ANALYSIS_RUN_KIND = { one: 'analysis run', many: 'analysis runs' };

/** One row per AnalysisRun that can be read, in table order; what cannot be read is named in `skipped`. */
export function analysisRunRows(
  analysisRuns: readonly AnalysisRun[],
  options: AnalysisRunRowOptions
): { rows: AnalysisRunRow[]; skipped: string[] } {
  const experiments = NamespacedIndex.of(options.experiments ?? []);
  const tagTexts = new TagTexts(options.cluster, options.tagMapping, NamespacedIndex.of(options.rollouts ?? []));
  const { rows, skipped } = readableRows(analysisRuns, ANALYSIS_RUN_KIND, (run) =>
    analysisRunRow(run, experiments, tagTexts, options)
  );
  return { rows: rows.sort(compareAnalysisRunRows), skipped };
}

/** The analysis runs table of rows in table order (see `compareAnalysisRunRows`). */
export function analysisRunsFrame(
  rows: readonly AnalysisRunRow[],
  options: { now: number; notices?: QueryResultMetaNotice[] }
): DataFrame {
  return buildTable(rows, analysisRunColumns(options.now), { name: 'analysisRuns', notices: options.notices });
}

/** One row per AnalysisRun, most recently started first; a run that cannot be read is skipped with a notice. */
export function analysisRunsTable(analysisRuns: readonly AnalysisRun[], options: AnalysisRunsTableOptions): DataFrame {
  const { rows, skipped } = analysisRunRows(analysisRuns, options);
  return analysisRunsFrame(rows, {
    now: options.now,
    notices: [...(options.notices ?? []), ...skippedNotice(ANALYSIS_RUN_KIND, skipped)],
  });
}

function analysisRunRow(
  run: AnalysisRun,
  experiments: NamespacedIndex<Experiment>,
  tagTexts: TagTexts,
  options: AnalysisRunRowOptions
): AnalysisRunRow {
  const namespace = namespaceOf(run);
  const status = run.status ?? {};
  const experimentOwner = ownerOfKind(run, 'Experiment');
  const experiment = experimentOwner ? experiments.get(namespace, experimentOwner.name) : undefined;
  const rolloutName = ownerOfKind(run, 'Rollout')?.name ?? (experiment && ownerOfKind(experiment, 'Rollout')?.name);
  const revision = revisionOf(run) ?? (experiment ? revisionOf(experiment) : undefined);
  const rolloutType = labelOf(run, ROLLOUT_TYPE_LABEL);
  const stepLabel = labelOf(run, STEP_INDEX_LABEL);
  const phase = str(status.phase);
  const started = parseTime(status.startedAt) ?? createdAt(run);
  const completed = completedAt(run);
  const failing = failingMetrics(run);
  return {
    cluster: options.cluster,
    namespace,
    name: nameOf(run),
    rollout: rolloutName,
    revision,
    kind: (rolloutType && KIND_BY_ROLLOUT_TYPE.get(rolloutType)) || (experimentOwner ? 'experiment' : undefined),
    stepIndex: stepLabel !== undefined && STEP_INDEX.test(stepLabel) ? Number(stepLabel) : undefined,
    phase,
    started,
    completed,
    failingMetric:
      failing.length > 0 ? failing.map((metric) => str(metric.name) ?? '').join(', ') || undefined : undefined,
    message: str(status.message) ?? failing.map((metric) => str(metric.message)).find(Boolean),
    tags: tagTexts.textOf(namespace, rolloutName, { revision, category: 'analysis', outcome: outcomeOfPhase(phase) }),
  };
}

/** `status.completedAt` (v1.7+), else for a finished run the end of its last measurement. */
function completedAt(run: AnalysisRun): number | undefined {
  const status = run.status ?? {};
  const recorded = parseTime(status.completedAt);
  if (recorded !== undefined || !isCompletedPhase(status.phase)) {
    return recorded;
  }
  let latest: number | undefined;
  for (const metric of metricResultsOf(run)) {
    const finished = latestTime(metric.measurements, finishedAt);
    if (finished !== undefined && (latest === undefined || finished > latest)) {
      latest = finished;
    }
  }
  return latest;
}

function finishedAt(measurement: Measurement): string | undefined {
  return measurement.finishedAt;
}

const NO_METRICS: readonly MetricResult[] = [];

/** The metric results that are objects. */
function metricResultsOf(run: AnalysisRun): MetricResult[] {
  return (array(run.status?.metricResults) as MetricResult[]).filter(isRecord);
}

/** The metrics that gave the run's worst non-successful result (Failed before Error before Inconclusive). */
function failingMetrics(run: AnalysisRun): readonly MetricResult[] {
  const metrics = metricResultsOf(run);
  let worst: string | undefined;
  for (const { phase } of metrics) {
    if (isUnsuccessful(phase) && (worst === undefined || compareWorstFirst(phase, worst) < 0)) {
      worst = phase;
    }
  }
  return worst === undefined ? NO_METRICS : metrics.filter((metric) => metric.phase === worst);
}

function isUnsuccessful(phase: string | undefined): phase is string {
  return phase === 'Failed' || phase === 'Error' || phase === 'Inconclusive';
}
