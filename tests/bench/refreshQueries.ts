/**
 * One refresh of the overview dashboard as Grafana runs it: the dashboard's variables resolved in order, then
 * every annotation query and panel query, each as its own query() call, concurrently. Free of side effects, so
 * the benchmark (with its Node stand-ins for browser-only modules) and the real-stack check both use it.
 */
import { type DataFrame, dateTime, type DataQueryRequest } from '@grafana/data';
import { firstValueFrom } from 'rxjs';

import type { DataSource } from '../../src/datasource/datasource';
import type { ReplaceVariables } from '../../src/datasource/query/interpolate';
import type { RolloutLensQuery } from '../../src/datasource/types';
import type { OverviewDashboard } from './dashboard';

/** Grafana's templateSrv.replace for the dashboard's variables: `$name` and `${name}`, multi-value via format. */
export function variableReplacer(values: ReadonlyMap<string, string | string[]>): ReplaceVariables {
  return (target, _scopedVars, format) =>
    target.replace(/\$(\w+)|\$\{(\w+)(?::[^}]*)?\}/g, (match, plain?: string, braced?: string) => {
      const value = values.get(plain ?? braced ?? '');
      if (value === undefined) {
        return match;
      }
      if (typeof format === 'function') {
        return format(value);
      }
      return Array.isArray(value) ? value.join(',') : value;
    });
}

export function queryRequest(
  targets: RolloutLensQuery[],
  range: { from: number; to: number }
): DataQueryRequest<RolloutLensQuery> {
  return {
    requestId: 'bench',
    interval: '1m',
    intervalMs: 60_000,
    range: {
      from: dateTime(range.from),
      to: dateTime(range.to),
      raw: { from: dateTime(range.from), to: dateTime(range.to) },
    },
    scopedVars: {},
    targets,
    timezone: 'utc',
    app: 'dashboard',
    startTime: range.to,
  } as unknown as DataQueryRequest<RolloutLensQuery>;
}

/** The dashboard's annotation queries (prepared as Grafana prepares them) and panels, one query() call each. */
export function refreshQueries(dataSource: DataSource, dashboard: OverviewDashboard): RolloutLensQuery[][] {
  return [
    ...dashboard.annotationQueries.map((annotation) => [
      dataSource.annotations.prepareAnnotation!({
        name: annotation.name,
        enable: true,
        iconColor: '',
        target: annotation.target,
      }).target as RolloutLensQuery,
    ]),
    ...dashboard.panelQueries.map((panel) => panel.targets),
  ];
}

/**
 * Resolves the dashboard's query variables in order, as Grafana does on load, each set to All (the dashboard's
 * default and the heaviest view): its custom all value, or every option.
 */
export async function resolveVariables(
  dataSource: DataSource,
  dashboard: OverviewDashboard,
  values: Map<string, string | string[]>
): Promise<void> {
  for (const variable of dashboard.variables) {
    const options = await dataSource.metricFindQuery(variable.query, { scopedVars: {} });
    const texts = options.map((option) => String(option.value ?? option.text));
    values.set(variable.name, variable.includeAll ? (variable.allValue ?? texts) : (texts[0] ?? ''));
  }
}

/**
 * Every annotation query and panel of one refresh, concurrently; resolves with the frames and query errors of their
 * first answers. A query stays open after it (a status panel answers as the others finish, a watched query as the
 * objects change): the first answer is the refresh's.
 */
export async function runRefreshQueries(
  dataSource: DataSource,
  dashboard: OverviewDashboard,
  range: { from: number; to: number }
): Promise<{ frames: DataFrame[]; errors: string[] }> {
  const responses = await Promise.all(
    refreshQueries(dataSource, dashboard).map((targets) =>
      firstValueFrom(dataSource.query(queryRequest(targets, range)))
    )
  );
  return {
    frames: responses.flatMap((response) => response.data as DataFrame[]),
    errors: responses.flatMap((response) => (response.errors ?? []).map((error) => error.message ?? 'query error')),
  };
}
