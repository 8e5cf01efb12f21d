import { compactEvent, compactReplicaSet } from './compact';
import { StringPool } from './stringPool';

describe('StringPool', () => {
  it('gives back the value, and forgets everything once it holds its limit', () => {
    const pool = new StringPool(2);
    expect(pool.share('a')).toBe('a');
    expect(pool.share('b')).toBe('b');
    expect(pool.share('a')).toBe('a');
    expect(pool.size).toBe(2);
    expect(pool.share('c')).toBe('c');
    expect(pool.size).toBe(1);
  });
});

describe('compact views with a pool', () => {
  const event = {
    metadata: { name: 'web.1', namespace: 'shop', uid: 'e1', resourceVersion: '7', managedFields: [{}] },
    involvedObject: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'web', namespace: 'shop', uid: 'r1' },
    reason: 'RolloutUpdated',
    message: 'Rollout updated to revision 2',
    type: 'Normal',
    count: 2,
    firstTimestamp: '2026-11-20T01:07:05Z',
    lastTimestamp: '2026-11-20T01:08:05Z',
    eventTime: null,
    source: { component: 'rollouts-controller' },
  };

  it('keep the same values as without one', () => {
    const pool = new StringPool();
    expect(compactEvent(event, pool)).toEqual(compactEvent(event));
    expect(compactEvent(event, pool)).toEqual({
      metadata: { name: 'web.1', namespace: 'shop', uid: 'e1', resourceVersion: '7' },
      involvedObject: event.involvedObject,
      reason: 'RolloutUpdated',
      message: 'Rollout updated to revision 2',
      type: 'Normal',
      count: 2,
      firstTimestamp: '2026-11-20T01:07:05Z',
      lastTimestamp: '2026-11-20T01:08:05Z',
      eventTime: null,
    });
  });

  it('keep a value that is not what its shape expects as it is', () => {
    const pool = new StringPool();
    expect(compactEvent({ ...event, reason: 42, involvedObject: 'web' }, pool)).toMatchObject({
      reason: 42,
      involvedObject: 'web',
    });
  });

  it("keep of a pod template only its containers' images", () => {
    const replicaSet = {
      metadata: { name: 'web-abc', namespace: 'shop', labels: { 'rollouts-pod-template-hash': 'abc' } },
      spec: {
        replicas: 2,
        template: {
          metadata: { labels: { 'rollouts-pod-template-hash': 'abc' } },
          spec: {
            containers: [{ name: 'app', image: 'example.test/app:2.0', env: [{ name: 'A', value: '1' }] }],
            initContainers: [{ name: 'init', image: 'example.test/init:1.0' }],
          },
        },
      },
    };
    expect(compactReplicaSet(replicaSet, new StringPool())).toEqual({
      metadata: replicaSet.metadata,
      spec: {
        replicas: 2,
        template: {
          spec: {
            containers: [{ image: 'example.test/app:2.0' }],
            initContainers: [{ image: 'example.test/init:1.0' }],
          },
        },
      },
    });
  });
});
