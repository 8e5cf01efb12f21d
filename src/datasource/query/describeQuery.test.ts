import type { RolloutLensQuery } from '../types';
import { describeQuery } from './describeQuery';

const everything = { namespaces: [], rollouts: [], labelSelector: '' };

describe('query descriptions a viewer can recognise', () => {
  it('tells annotation layers apart by their filter, not by refId', () => {
    const query = {
      refId: 'Anno',
      queryType: 'annotations',
      outcomes: ['aborted', 'failed', 'degraded'],
      kinds: ['region'],
      limit: 20,
    } as RolloutLensQuery;
    expect(describeQuery(query, { namespaces: ['shop', 'pay'], rollouts: [], labelSelector: '' })).toBe(
      'Annotations (outcomes Aborted, Failed, Degraded; regions only; limit 20) in shop, pay'
    );
    expect(describeQuery({ refId: 'Anno', queryType: 'annotations' }, everything)).toBe('Annotations');
    expect(describeQuery({ refId: 'Anno', queryType: 'annotations', detail: 'all' }, everything)).toBe(
      'Annotations (all entries)'
    );
  });

  it('names tables and series with the rollouts and labels they select', () => {
    expect(
      describeQuery(
        { refId: 'A', queryType: 'rollouts' },
        { namespaces: ['shop'], rollouts: ['web'], labelSelector: 'team=a' }
      )
    ).toBe('Rollouts table in shop, rollouts web, labels team=a');
    expect(describeQuery({ refId: 'A', queryType: 'series' }, everything)).toBe('Canary weight series');
    expect(describeQuery({ refId: 'A', queryType: 'series', metric: 'rolloutsInProgress' }, everything)).toBe(
      'Rollouts in progress series'
    );
  });
});
