import type { Category } from '../timeline/types';
import { QUERY_MODEL_VERSION, QUERY_TYPES, type QueryType, type RolloutLensQuery } from '../types';

type SavedQuery = Partial<RolloutLensQuery>;

/** The categories an annotation query saved without any got before version 2. */
const CATEGORIES_BEFORE_VERSION_2: Category[] = ['lifecycle', 'steps', 'analysis', 'errors'];

const asStringList = (value: unknown): string[] =>
  Array.isArray(value)
    ? value.filter((item): item is string => typeof item === 'string')
    : typeof value === 'string' && value
      ? [value]
      : [];

/**
 * Brings a saved query (from a dashboard, Explore history or a provisioning file) to the current model.
 * Each model version adds one step here; a query from a newer plugin version is left as it is.
 */
export function migrateQuery(saved: SavedQuery, defaultType: QueryType = 'rollouts'): RolloutLensQuery {
  if ((saved.version ?? 0) > QUERY_MODEL_VERSION) {
    return saved as RolloutLensQuery;
  }
  const queryType: QueryType = QUERY_TYPES.includes(saved.queryType as QueryType)
    ? (saved.queryType as QueryType)
    : defaultType;
  // Version 0 is anything saved without a version: fields may be missing, or single strings instead of lists.
  const query = {
    ...saved,
    refId: saved.refId ?? 'A',
    queryType,
    version: QUERY_MODEL_VERSION,
    namespaces: asStringList(saved.namespaces),
    rollouts: asStringList(saved.rollouts),
    labelSelector: typeof saved.labelSelector === 'string' ? saved.labelSelector : '',
  } as RolloutLensQuery;
  // Version 2 added the detail level, whose default for new timeline queries leaves out the controller's chatter,
  // and made every category their default: a query saved before keeps showing what it showed.
  if ((saved.version ?? 0) < 2 && query.queryType === 'annotations') {
    query.detail ??= 'all';
    query.categories ??= CATEGORIES_BEFORE_VERSION_2;
  }
  return query;
}
