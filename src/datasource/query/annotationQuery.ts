import { DEFAULT_TIMELINE_FILTER } from '../timeline/defaults';
import { type AnnotationsQuery, QUERY_MODEL_VERSION, type RolloutLensQuery } from '../types';
import { migrateQuery } from './migrate';

/** The target of an annotation query that has none yet: a new one, of the current model version. */
export function newAnnotationQuery(): Partial<AnnotationsQuery> {
  return { refId: 'Anno', queryType: 'annotations', version: QUERY_MODEL_VERSION };
}

/**
 * An annotation query with every unset field at the default that gives a useful first result. A saved query is
 * migrated first (`migrateQuery`), which gives one saved before a field existed what it showed then.
 */
export function withAnnotationDefaults(query: Partial<RolloutLensQuery>): AnnotationsQuery {
  const migrated = migrateQuery({ ...query, queryType: 'annotations' }, 'annotations') as AnnotationsQuery;
  return {
    ...migrated,
    detail: migrated.detail ?? DEFAULT_TIMELINE_FILTER.detail,
    categories: migrated.categories ?? DEFAULT_TIMELINE_FILTER.categories,
    kinds: migrated.kinds ?? DEFAULT_TIMELINE_FILTER.kinds,
    outcomes: migrated.outcomes ?? DEFAULT_TIMELINE_FILTER.outcomes,
    includeReconstructed: migrated.includeReconstructed ?? DEFAULT_TIMELINE_FILTER.includeReconstructed,
    tagMatch: migrated.tagMatch ?? DEFAULT_TIMELINE_FILTER.tagMatch,
  };
}
