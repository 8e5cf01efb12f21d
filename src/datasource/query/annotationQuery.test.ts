import { QUERY_MODEL_VERSION } from '../types';
import { newAnnotationQuery, withAnnotationDefaults } from './annotationQuery';

describe('withAnnotationDefaults', () => {
  it('gives a new annotation query the significant detail level, every category, points and regions, and reconstructed history', () => {
    expect(withAnnotationDefaults(newAnnotationQuery())).toEqual({
      refId: 'Anno',
      queryType: 'annotations',
      version: QUERY_MODEL_VERSION,
      namespaces: [],
      rollouts: [],
      labelSelector: '',
      detail: 'significant',
      categories: [],
      kinds: ['point', 'region'],
      outcomes: [],
      includeReconstructed: true,
      tagMatch: 'any',
    });
  });

  it('keeps what a query saved before the detail level existed showed: all entries of its categories', () => {
    expect(withAnnotationDefaults({ refId: 'Anno', queryType: 'annotations', version: 1 })).toMatchObject({
      version: QUERY_MODEL_VERSION,
      detail: 'all',
      categories: ['lifecycle', 'steps', 'analysis', 'errors'],
    });
    expect(withAnnotationDefaults({ refId: 'Anno' })).toMatchObject({ detail: 'all' });
  });

  it('keeps what the user chose, including an empty category list meaning all', () => {
    const query = withAnnotationDefaults({
      refId: 'Anno',
      queryType: 'annotations',
      version: QUERY_MODEL_VERSION,
      detail: 'all',
      categories: [],
      outcomes: ['failed'],
      includeReconstructed: false,
    });
    expect(query).toMatchObject({ detail: 'all', categories: [], outcomes: ['failed'], includeReconstructed: false });
  });
});
