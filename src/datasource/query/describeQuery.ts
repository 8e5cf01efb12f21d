import {
  CATEGORY_OPTIONS,
  DEFAULT_TIMELINE_FILTER,
  KIND_OPTIONS,
  type Option,
  OUTCOME_OPTIONS,
} from '../timeline/defaults';
import type { QueryType, RolloutLensQuery, SeriesMetric } from '../types';
import type { ResolvedFilter } from './interpolate';

const TABLE_NAMES: Record<Exclude<QueryType, 'annotations' | 'series'>, string> = {
  rollouts: 'Rollouts table',
  revisions: 'Revisions table',
  events: 'Events table',
  analysisRuns: 'Analysis runs table',
  status: 'Data source status',
};

const SERIES_NAMES: Record<SeriesMetric, string> = {
  canaryWeight: 'Canary weight series',
  rolloutsInProgress: 'Rollouts in progress series',
};

function labels<T extends string>(options: Array<Option<T>>, values: readonly T[]): string {
  return values.map((value) => options.find((o) => o.value === value)?.label ?? value).join(', ');
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((v) => b.includes(v));

/** What an annotation query keeps, in words: only what differs from showing everything. */
function annotationFilter(query: Extract<RolloutLensQuery, { queryType: 'annotations' }>): string[] {
  const parts: string[] = [];
  if (query.detail === 'all') {
    parts.push('all entries');
  }
  if (query.outcomes?.length) {
    parts.push(`outcomes ${labels(OUTCOME_OPTIONS, query.outcomes)}`);
  }
  if (query.categories?.length && !sameSet(query.categories, DEFAULT_TIMELINE_FILTER.categories)) {
    parts.push(`categories ${labels(CATEGORY_OPTIONS, query.categories)}`);
  }
  if (query.kinds?.length === 1) {
    parts.push(`${labels(KIND_OPTIONS, query.kinds).toLowerCase()} only`);
  }
  if (query.tags?.length) {
    parts.push(`tags ${query.tags.join(', ')}`);
  }
  if (query.limit !== undefined) {
    parts.push(`limit ${query.limit}`);
  }
  return parts;
}

/**
 * A query as a viewer can recognise it on the dashboard, e.g. `Annotations (outcomes In progress; regions only) in
 * demo` or `Rollouts table in demo, shop`. Annotation layers are told apart by their filter: Grafana gives every
 * one the refId `Anno`.
 */
export function describeQuery(query: RolloutLensQuery, filter: ResolvedFilter): string {
  let what: string;
  if (query.queryType === 'annotations') {
    const parts = annotationFilter(query);
    what = parts.length > 0 ? `Annotations (${parts.join('; ')})` : 'Annotations';
  } else if (query.queryType === 'series') {
    what = SERIES_NAMES[query.metric ?? 'canaryWeight'];
  } else {
    what = TABLE_NAMES[query.queryType];
  }
  const scope = [
    filter.namespaces.length > 0 ? ` in ${filter.namespaces.join(', ')}` : '',
    filter.rollouts.length > 0 ? `, rollouts ${filter.rollouts.join(', ')}` : '',
    filter.labelSelector ? `, labels ${filter.labelSelector}` : '',
  ];
  return what + scope.join('');
}
