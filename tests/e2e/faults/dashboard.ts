/**
 * One refresh of the bundled overview dashboard as Grafana runs it: every panel query and annotation query of this
 * plugin at once, with the dashboard's time range and its variables. What each query answered is kept as the
 * viewer would see it: the error messages, the notices, and the rows (to compare one refresh with another).
 */
import fs from 'node:fs';
import path from 'node:path';

import { type AnnotationQuery, type DataFrame, DataFrameType, type DataQueryRequest } from '@grafana/data';
import { firstValueFrom } from 'rxjs';

import type { DataSource } from '../../../src/datasource/datasource';
import type { VariableQuery } from '../../../src/datasource/query/variableQuery';
import type { RolloutLensQuery } from '../../../src/datasource/types';
import { dashboardRequest } from '../plugin/dashboard-request';
import type { VariableValue } from '../plugin/dashboard-variables';
import { DATASOURCE_TYPE } from './grafana';

interface DataSourceRef {
  type?: string;
}
interface Dashboard {
  uid: string;
  time: { from: string; to: string };
  panels: Array<{ title: string; datasource?: DataSourceRef; targets?: RolloutLensQuery[] }>;
  templating: { list: Array<{ name: string; query?: VariableQuery | string; datasource?: DataSourceRef }> };
  annotations: { list: Array<AnnotationQuery<RolloutLensQuery> & { datasource?: DataSourceRef }> };
}

export const OVERVIEW: Dashboard = JSON.parse(
  fs.readFileSync(path.resolve(__dirname, '../../../src/dashboards/overview.json'), 'utf8')
);

const isOurs = (ref: DataSourceRef | undefined) => ref?.type === DATASOURCE_TYPE;

/** Columns whose values follow the clock, not the cluster: left out when two refreshes are compared. */
const CLOCK_COLUMNS = new Set(['age', 'duration']);

export interface QueryAnswer {
  /** `panel <title>` or `annotations <name>`. */
  query: string;
  answeredMs: number;
  /** The messages of `response.errors`, as the panel shows them. */
  errors: string[];
  /** The notices of the frames (`meta.notices`). */
  notices: string[];
  /** One canonical JSON text per row or annotation, without the clock columns. */
  rows: string[];
  /** Set when `query()` itself failed instead of answering (it never should). */
  crashed?: string;
}

export interface Refresh {
  startedAt: Date;
  /** Until the last query of the refresh answered. */
  answeredMs: number;
  answers: QueryAnswer[];
}

function request(dashboard: Dashboard, targets: RolloutLensQuery[]): DataQueryRequest<RolloutLensQuery> {
  return dashboardRequest(`faults-${dashboard.uid}`, dashboard.time, targets);
}

/**
 * A series carries its last value to the end of the range with a point there: that point follows the clock, like
 * the clock columns, and is left out too.
 */
function rowsOf(frames: DataFrame[], rangeEnd: number): string[] {
  const rows: string[] = [];
  for (const frame of frames) {
    const fields = frame.fields.filter((field) => !CLOCK_COLUMNS.has(field.name));
    const series = frame.meta?.type === DataFrameType.TimeSeriesMulti;
    for (let i = 0; i < frame.length; i++) {
      if (series && i === frame.length - 1 && frame.fields[0].values[i] === rangeEnd) {
        continue;
      }
      rows.push(JSON.stringify(Object.fromEntries(fields.map((field) => [field.name, field.values[i] ?? null]))));
    }
  }
  return rows;
}

/** One query of the dashboard's time range, answered as a panel shows it; `started` is when its refresh began. */
export async function answer(
  dataSource: DataSource,
  query: string,
  targets: RolloutLensQuery[],
  started = Date.now()
): Promise<QueryAnswer> {
  try {
    const refresh = request(OVERVIEW, targets);
    const response = await firstValueFrom(dataSource.query(refresh));
    const frames = (response.data ?? []) as DataFrame[];
    return {
      query,
      answeredMs: Date.now() - started,
      errors: (response.errors ?? []).map((error) => error.message ?? String(error)),
      notices: frames.flatMap((frame) => (frame.meta?.notices ?? []).map((notice) => notice.text)),
      rows: rowsOf(frames, refresh.range.to.valueOf()),
    };
  } catch (error) {
    return {
      query,
      answeredMs: Date.now() - started,
      errors: [],
      notices: [],
      rows: [],
      crashed: error instanceof Error ? error.message : String(error),
    };
  }
}

/** Every panel and annotation query of this plugin in the overview dashboard, all at once, as one refresh does. */
export async function refreshOverview(dataSource: DataSource): Promise<Refresh> {
  const startedAt = new Date();
  const started = startedAt.getTime();
  // The "Data source status" panel reads nothing and never fails: it shows what these queries answered (and stays
  // subscribed until the next refresh), which scenes/problems-visible checks on the page.
  const panels = OVERVIEW.panels
    .filter((panel) => isOurs(panel.datasource) && !panel.targets?.every((target) => target.queryType === 'status'))
    .map((panel) => answer(dataSource, `panel ${panel.title}`, panel.targets ?? [], started));
  const annotations = OVERVIEW.annotations.list
    .filter((annotation) => isOurs(annotation.datasource))
    .map((annotation) => {
      const prepared = dataSource.annotations.prepareAnnotation!(annotation);
      return answer(dataSource, `annotations ${annotation.name}`, [prepared.target as RolloutLensQuery], started);
    });
  const answers = await Promise.all([...panels, ...annotations]);
  return { startedAt, answeredMs: Math.max(...answers.map((a) => a.answeredMs)), answers };
}

/** The dashboard's variables as a viewer would set them: the test bed's scenario namespaces, every rollout. */
export async function overviewVariables(dataSource: DataSource, values: Map<string, VariableValue>) {
  const query = (name: string) => OVERVIEW.templating.list.find((v) => v.name === name)?.query as VariableQuery;
  const namespaces = (await dataSource.metricFindQuery(query('namespace')))
    .map((option) => String(option.value ?? option.text))
    .filter((namespace) => namespace.startsWith('e2e-'));
  if (namespaces.length === 0) {
    throw new Error('no e2e-* namespace with rollouts: the scenarios have not run');
  }
  values.set('namespace', { value: namespaces });
  const rollouts = (await dataSource.metricFindQuery(query('rollout'))).map((option) =>
    String(option.value ?? option.text)
  );
  values.set('rollout', { all: true, options: rollouts });
  return { namespaces, rollouts };
}

/** What a refresh answered in all, in short, for a check's details. */
export function summary(refresh: Refresh) {
  return {
    startedAt: refresh.startedAt.toISOString(),
    answeredMs: refresh.answeredMs,
    queries: refresh.answers.map(({ query, answeredMs, errors, notices, rows, crashed }) => ({
      query,
      answeredMs,
      rows: rows.length,
      ...(errors.length > 0 ? { errors } : {}),
      ...(notices.length > 0 ? { notices } : {}),
      ...(crashed ? { crashed } : {}),
    })),
  };
}

/** Rows and annotations of `before` missing from `after` (lost) and those `after` has in addition (invented). */
export function compareRefreshes(before: Refresh, after: Refresh): { lost: string[]; invented: string[] } {
  const keyed = (refresh: Refresh) => refresh.answers.flatMap((a) => a.rows.map((row) => `${a.query}: ${row}`));
  const beforeRows = keyed(before);
  const afterRows = keyed(after);
  const afterSet = new Set(afterRows);
  const beforeSet = new Set(beforeRows);
  return {
    lost: beforeRows.filter((row) => !afterSet.has(row)),
    invented: afterRows.filter((row) => !beforeSet.has(row)),
  };
}

/** The distinct messages of a refresh: errors, or for a query that crashed, what it threw. */
export function distinctErrors(refresh: Refresh): string[] {
  return [...new Set(refresh.answers.flatMap((a) => [...a.errors, ...(a.crashed ? [`crashed: ${a.crashed}`] : [])]))];
}
