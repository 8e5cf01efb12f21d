/**
 * The plugin's work after the lists are parsed, exactly as one refresh of the overview dashboard does it: the
 * real DataSource runs every annotation query and panel of the dashboard (interpolation, merging the lists,
 * related objects, the timeline, the annotation frames and the four table frames), with a kube client that
 * answers each list with the already parsed body, so the pipeline starts where HTTP and JSON.parse end.
 */
import './node-globals';
import './browser-only-stubs';

import { type DataFrame, dateTime, type DataQueryRequest, type DataSourceInstanceSettings } from '@grafana/data';
import { lastValueFrom } from 'rxjs';

import { DataSource } from '../../src/datasource/datasource';
import type { KubeClient, ListResult } from '../../src/datasource/kube/client';
import type { KubeResource } from '../../src/datasource/kube/resources';
import type { ReplaceVariables } from '../../src/datasource/query/interpolate';
import type { RolloutLensJsonData, RolloutLensQuery } from '../../src/datasource/types';
import type { OverviewDashboard } from './dashboard';

/** Parsed list bodies by plural, as the kube client would return their items. */
export type ParsedLists = Record<string, { items?: unknown[] | null }>;

export const BENCH_DATASOURCE_SETTINGS = {
  id: 1,
  uid: 'bench',
  type: 'rolloutlens-argorollouts-datasource',
  name: 'bench',
  url: '/api/datasources/proxy/uid/bench',
  access: 'proxy',
  readOnly: false,
  jsonData: {},
  meta: {},
} as unknown as DataSourceInstanceSettings<RolloutLensJsonData>;

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

/** The real DataSource class over a kube client, with the dashboard variables' current values. */
export function benchDataSource(kube: KubeClient, variables: ReadonlyMap<string, string | string[]>): DataSource {
  return new DataSource(BENCH_DATASOURCE_SETTINGS, variableReplacer(variables), kube);
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

/** A kube client that answers every list with the already parsed body. */
export function parsedListsClient(lists: ParsedLists): KubeClient {
  const client = {
    list: async <T>(resource: KubeResource<T>): Promise<ListResult<T>> => ({
      items: (lists[resource.plural]?.items ?? []) as T[],
      resourceVersion: '1',
    }),
  };
  return client as unknown as KubeClient;
}

/** Every annotation query and panel of one refresh, concurrently; resolves with the frames and query errors. */
export async function runRefreshQueries(
  dataSource: DataSource,
  dashboard: OverviewDashboard,
  range: { from: number; to: number }
): Promise<{ frames: DataFrame[]; errors: string[] }> {
  const responses = await Promise.all(
    refreshQueries(dataSource, dashboard).map((targets) =>
      lastValueFrom(dataSource.query(queryRequest(targets, range)))
    )
  );
  return {
    frames: responses.flatMap((response) => response.data as DataFrame[]),
    errors: responses.flatMap((response) => (response.errors ?? []).map((error) => error.message ?? 'query error')),
  };
}
