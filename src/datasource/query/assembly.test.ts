import { ClusterStore } from '../store/clusterStore';
import type { Rollout } from '../model/argo';
import { Selections } from './assembly';

const rollout = (namespace: string, name: string, labels: Record<string, string> = {}): Rollout => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Rollout',
  metadata: { namespace, name, uid: `${namespace}-${name}`, resourceVersion: '1', labels },
});

const ALL = { namespaces: [], rollouts: [], labelSelector: '' };

describe('Selections', () => {
  it('keeps a selection until a Rollout is added, changed or deleted', () => {
    const store = new ClusterStore();
    store.upsert('Rollout', rollout('shop', 'web', { team: 'a' }));
    store.upsert('Rollout', rollout('shop', 'api', { team: 'b' }));
    const selections = new Selections(store);

    const first = selections.select({ ...ALL, labelSelector: 'team=a' });
    expect(first.rollouts).toEqual([{ namespace: 'shop', name: 'web' }]);
    expect(selections.select({ ...ALL, labelSelector: ' team=a ' })).toBe(first);

    // Objects of other kinds select no Rollout.
    store.upsert('ReplicaSet', { metadata: { namespace: 'shop', name: 'web-abc', uid: 'rs', resourceVersion: '1' } });
    expect(selections.select({ ...ALL, labelSelector: 'team=a' })).toBe(first);

    // A Rollout whose labels changed.
    store.upsert('Rollout', {
      ...rollout('shop', 'api', { team: 'a' }),
      metadata: { ...rollout('shop', 'api', { team: 'a' }).metadata, resourceVersion: '2' },
    });
    expect(selections.select({ ...ALL, labelSelector: 'team=a' }).rollouts).toEqual([
      { namespace: 'shop', name: 'api' },
      { namespace: 'shop', name: 'web' },
    ]);

    store.remove('Rollout', rollout('shop', 'web'));
    expect(selections.select({ ...ALL, labelSelector: 'team=a' }).rollouts).toEqual([
      { namespace: 'shop', name: 'api' },
    ]);
    expect(selections.select({ ...ALL, namespaces: ['other'] }).rollouts).toEqual([]);
  });
});
