import { withAnnotationDefaults } from './annotationQuery';

describe('withAnnotationDefaults', () => {
  it('gives a new annotation query every category but the traffic chatter, points and regions, and reconstructed history', () => {
    expect(withAnnotationDefaults({ refId: 'Anno' })).toMatchObject({
      queryType: 'annotations',
      categories: ['lifecycle', 'steps', 'analysis', 'errors'],
      kinds: ['point', 'region'],
      outcomes: [],
      includeReconstructed: true,
      tagMatch: 'any',
    });
  });

  it('keeps what the user chose, including an empty category list meaning all', () => {
    const query = withAnnotationDefaults({
      refId: 'Anno',
      queryType: 'annotations',
      categories: [],
      outcomes: ['failed'],
      includeReconstructed: false,
    });
    expect(query).toMatchObject({ categories: [], outcomes: ['failed'], includeReconstructed: false });
  });
});
