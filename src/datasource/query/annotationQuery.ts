import { DEFAULT_TIMELINE_FILTER } from '../timeline/defaults';
import type { AnnotationsQuery, RolloutLensQuery } from '../types';
import { migrateQuery } from './migrate';

/** An annotation query with every unset field at the default that gives a useful first result. */
export function withAnnotationDefaults(query: Partial<RolloutLensQuery>): AnnotationsQuery {
  const migrated = migrateQuery({ ...query, queryType: 'annotations' }, 'annotations') as AnnotationsQuery;
  return {
    ...migrated,
    categories: migrated.categories ?? DEFAULT_TIMELINE_FILTER.categories,
    kinds: migrated.kinds ?? DEFAULT_TIMELINE_FILTER.kinds,
    outcomes: migrated.outcomes ?? DEFAULT_TIMELINE_FILTER.outcomes,
    includeReconstructed: migrated.includeReconstructed ?? DEFAULT_TIMELINE_FILTER.includeReconstructed,
    tagMatch: migrated.tagMatch ?? DEFAULT_TIMELINE_FILTER.tagMatch,
  };
}
