/**
 * The plugin's work after the lists are parsed, exactly as one refresh of the overview dashboard does it: the
 * real DataSource runs every annotation query and panel of the dashboard (interpolation, merging the lists,
 * related objects, the timeline, the annotation frames and the four table frames), with a kube client that
 * answers each list with the already parsed pages, so the pipeline starts where HTTP and JSON.parse end.
 */
import './node-globals';
import './browser-only-stubs';

import type { DataSourceInstanceSettings } from '@grafana/data';

import { DataSource } from '../../src/datasource/datasource';
import { joinPages, type KubeClient, type ListResult, mappedItems } from '../../src/datasource/kube/client';
import type { KubeResource } from '../../src/datasource/kube/resources';
import type { RolloutLensJsonData } from '../../src/datasource/types';
import { variableReplacer } from './refreshQueries';

/** One page of a list as the kube client keeps it: parsed, its items' managedFields dropped (`dropManagedFields`). */
export type ListPage = { items?: unknown[] | null };

/** The parsed pages of each list, by plural. */
export type ParsedLists = Record<string, ListPage[]>;

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

/**
 * A kube client that answers every list with the items of its already received pages, joined as the real one joins
 * them, and mapped page by page when the caller asks for it (the informer keeps compact views: `mapItem`), as the
 * real one maps them. Each kind is joined (and mapped) once and shared by every query, as the real client's
 * coalescing and short cache share one list among the panels of a refresh.
 */
export function parsedListsClient(lists: ParsedLists): KubeClient {
  const joined = new Map<string, unknown[]>();
  const client = {
    list: async <T, U>(
      resource: KubeResource<T>,
      options: { mapItem?: (item: T) => U | undefined } = {}
    ): Promise<ListResult<T | U>> => {
      const { mapItem } = options;
      const key = mapItem ? `${resource.plural} mapped` : resource.plural;
      let items = joined.get(key);
      if (!items) {
        const pages = (lists[resource.plural] ?? []).map((page) => (page.items ?? []) as T[]);
        items = joinPages<T | U>(mapItem ? pages.map((page) => mappedItems(page, mapItem)) : pages);
        joined.set(key, items);
      }
      return { items: items as Array<T | U>, resourceVersion: '1' };
    },
    // Nothing waits here: the query deadline has nothing to bound.
    within: () => client,
  };
  return client as unknown as KubeClient;
}
