import type { KubeClient } from '../kube/client';
import { EVENTS, type KubeResource, ROLLOUTS } from '../kube/resources';
import { fetchObjects } from './fetchObjects';
import { planRequests } from './plan';

type Item = { metadata: { namespace: string; name: string; uid: string } };

const item = (namespace: string, name: string): Item => ({
  metadata: { namespace, name, uid: `${namespace}/${name}` },
});

/** Answers each list from a table by plural and namespace, like the API server's list endpoints. */
function clientServing(lists: Record<string, Item[]>): KubeClient {
  return {
    list: async (resource: KubeResource<unknown>, options: { namespace?: string } = {}) => ({
      items: lists[`${resource.plural}@${options.namespace ?? '*'}`] ?? [],
      resourceVersion: '7',
    }),
    get: async () => ({}),
  } as unknown as KubeClient;
}

describe('fetchObjects', () => {
  it('takes a list of any length: 300,000 events in one cluster-wide list', async () => {
    const events = Array.from({ length: 300_000 }, (_, i) => item('shop', `event-${i}`));
    const client = clientServing({ 'rollouts@*': [item('shop', 'checkout')], 'events@*': events });
    const { objects } = await fetchObjects(
      client,
      planRequests('events', { namespaces: [], labelSelector: '' }).filter(
        (request) => request.resource === ROLLOUTS || request.resource === EVENTS
      )
    );
    expect(objects.events).toHaveLength(300_000);
    expect(objects.rollouts.map((rollout) => rollout.metadata?.name)).toEqual(['checkout']);
  });

  it('keeps an object once when two listed namespaces return it', async () => {
    const client = clientServing({
      'rollouts@shop': [item('shop', 'checkout'), item('shop', 'cart')],
      'rollouts@cart': [item('shop', 'cart'), item('cart', 'web')],
    });
    const { objects, snapshot } = await fetchObjects(client, [
      { resource: ROLLOUTS as KubeResource<unknown>, namespace: 'shop' },
      { resource: ROLLOUTS as KubeResource<unknown>, namespace: 'cart' },
    ]);
    expect(objects.rollouts.map((rollout) => `${rollout.metadata?.namespace}/${rollout.metadata?.name}`)).toEqual([
      'shop/checkout',
      'shop/cart',
      'cart/web',
    ]);
    expect(snapshot).toBe(
      '/apis/argoproj.io/v1alpha1/namespaces/shop/rollouts?&@7 /apis/argoproj.io/v1alpha1/namespaces/cart/rollouts?&@7'
    );
  });
});
