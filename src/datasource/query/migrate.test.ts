import { migrateQuery } from './migrate';
import { QUERY_MODEL_VERSION } from '../types';

describe('migrateQuery', () => {
  it('fills an unversioned query with the current version and empty filters', () => {
    expect(migrateQuery({ refId: 'A' })).toEqual({
      refId: 'A',
      queryType: 'rollouts',
      version: QUERY_MODEL_VERSION,
      namespaces: [],
      rollouts: [],
      labelSelector: '',
    });
  });

  it('turns single strings saved by hand into lists', () => {
    const migrated = migrateQuery({
      refId: 'A',
      queryType: 'events',
      namespaces: 'payments',
      rollouts: 'checkout',
    } as never);
    expect(migrated).toMatchObject({ queryType: 'events', namespaces: ['payments'], rollouts: ['checkout'] });
  });

  it('replaces an unknown query type with the default for the context', () => {
    expect(migrateQuery({ refId: 'Anno', queryType: 'nonsense' } as never, 'annotations').queryType).toBe(
      'annotations'
    );
  });

  it('keeps fields it does not know, and is idempotent', () => {
    const once = migrateQuery({ refId: 'B', queryType: 'revisions', hide: true, namespaces: ['a'] });
    expect(once.hide).toBe(true);
    expect(migrateQuery(once)).toEqual(once);
  });

  it('leaves a query from a newer model version untouched', () => {
    const future = { refId: 'A', queryType: 'rollouts', version: QUERY_MODEL_VERSION + 1, shape: 'new' } as never;
    expect(migrateQuery(future)).toBe(future);
  });
});
