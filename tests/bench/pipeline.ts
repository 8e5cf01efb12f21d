/**
 * The plugin's work after the lists are parsed, exactly as one refresh of the overview dashboard does it: the
 * real DataSource runs every annotation query and panel of the dashboard (interpolation, merging the lists,
 * related objects, the timeline, the annotation frames and the four table frames), with a kube client that
 * answers each list with the already parsed body, so the pipeline starts where HTTP and JSON.parse end.
 */
import './node-globals';
import './browser-only-stubs';

import type { DataSourceInstanceSettings } from '@grafana/data';

import { DataSource } from '../../src/datasource/datasource';
import type { KubeClient, ListResult } from '../../src/datasource/kube/client';
import type { KubeResource } from '../../src/datasource/kube/resources';
import type { RolloutLensJsonData } from '../../src/datasource/types';
import { variableReplacer } from './refreshQueries';

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

/** The real DataSource class over a kube client, with the dashboard variables' current values. */
export function benchDataSource(kube: KubeClient, variables: ReadonlyMap<string, string | string[]>): DataSource {
  return new DataSource(BENCH_DATASOURCE_SETTINGS, variableReplacer(variables), kube);
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
