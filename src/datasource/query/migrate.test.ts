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

  it('gives an annotation query saved before version 2 the detail level all and the categories it showed', () => {
    for (const version of [undefined, 1]) {
      expect(migrateQuery({ refId: 'Anno', queryType: 'annotations', version })).toMatchObject({
        version: QUERY_MODEL_VERSION,
        detail: 'all',
        categories: ['lifecycle', 'steps', 'analysis', 'errors'],
      });
    }
    const chosen = migrateQuery({
      refId: 'Anno',
      queryType: 'annotations',
      version: 1,
      categories: ['analysis'],
      detail: 'significant',
    });
    expect(chosen).toMatchObject({ detail: 'significant', categories: ['analysis'] });
  });

  it('leaves the detail level of a query of the current version, and table queries, as they are', () => {
    expect(migrateQuery({ refId: 'Anno', queryType: 'annotations', version: QUERY_MODEL_VERSION })).toEqual({
      refId: 'Anno',
      queryType: 'annotations',
      version: QUERY_MODEL_VERSION,
      namespaces: [],
      rollouts: [],
      labelSelector: '',
    });
    expect(migrateQuery({ refId: 'A', queryType: 'events', version: 1 })).not.toHaveProperty('detail');
  });

  it('leaves a query from a newer model version untouched', () => {
    const future = { refId: 'A', queryType: 'rollouts', version: QUERY_MODEL_VERSION + 1, shape: 'new' } as never;
    expect(migrateQuery(future)).toBe(future);
  });
});
