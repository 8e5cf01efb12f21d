import type { ReplicaSet } from 'kubernetes-types/apps/v1';
import type { Event } from 'kubernetes-types/core/v1';

import type { AnalysisRun, Experiment, Rollout } from '../model/argo';
import { ClusterStore, type StoreChange } from './clusterStore';

const owner = (kind: string, name: string) => [{ apiVersion: 'v1', kind, name, uid: `${kind}-${name}` }];
const meta = (name: string, version = '1', extra: object = {}) => ({
  namespace: 'shop',
  name,
  uid: `uid-${name}`,
  resourceVersion: version,
  ...extra,
});
const rollout = (name: string, version = '1'): Rollout => ({ metadata: meta(name, version) });
const replicaSet = (name: string, of: string, version = '1'): ReplicaSet => ({
  metadata: meta(name, version, { ownerReferences: owner('Rollout', of) }),
});
const experiment = (name: string, of: string): Experiment => ({
  metadata: meta(name, '1', { ownerReferences: owner('Rollout', of) }),
});
const run = (name: string, ownerKind: string, of: string, version = '1'): AnalysisRun => ({
  metadata: meta(name, version, { ownerReferences: owner(ownerKind, of) }),
});
const event = (kind: string, about: string, version = '1'): Event => ({
  metadata: meta(`${about}.${kind}.${version}`, version),
  involvedObject: { kind, name: about, namespace: 'shop' },
});

const names = (objects: Array<{ metadata?: { name?: string } }>) => objects.map((o) => o.metadata?.name);

describe('ClusterStore', () => {
  it('finds a Rollout with what it owns, through its Experiments too, and the Events about all of them', () => {
    const store = new ClusterStore();
    store.replace('Rollout', undefined, [rollout('checkout'), rollout('cart')]);
    store.replace('ReplicaSet', undefined, [replicaSet('checkout-a', 'checkout'), replicaSet('cart-a', 'cart')]);
    store.replace('Experiment', undefined, [experiment('checkout-exp', 'checkout')]);
    store.replace('AnalysisRun', undefined, [
      run('checkout-run', 'Rollout', 'checkout'),
      run('exp-run', 'Experiment', 'checkout-exp'),
      run('cart-run', 'Rollout', 'cart'),
    ]);
    store.replace('Event', undefined, [
      event('Rollout', 'checkout'),
      event('AnalysisRun', 'exp-run'),
      event('Experiment', 'checkout-exp'),
      event('ReplicaSet', 'checkout-a'),
      event('Rollout', 'cart'),
    ]);
    const objects = store.objectsOf('shop', 'checkout')!;
    expect(names([objects.rollout])).toEqual(['checkout']);
    expect(names(objects.replicaSets)).toEqual(['checkout-a']);
    expect(names(objects.experiments)).toEqual(['checkout-exp']);
    expect(names(objects.analysisRuns)).toEqual(['checkout-run', 'exp-run']);
    expect(names(objects.events)).toEqual(['checkout-exp.Experiment.1', 'checkout.Rollout.1', 'exp-run.AnalysisRun.1']);
    expect(store.objectsOf('shop', 'gone')).toBeUndefined();
  });

  it('charges a change to the Rollout it belongs to, and only to it', () => {
    const store = new ClusterStore();
    store.replace('Rollout', undefined, [rollout('checkout'), rollout('cart')]);
    store.replace('AnalysisRun', undefined, [run('checkout-run', 'Rollout', 'checkout')]);
    const checkout = store.generationOf('shop', 'checkout');
    const cart = store.generationOf('shop', 'cart');

    store.upsert('Event', event('AnalysisRun', 'checkout-run'));
    expect(store.generationOf('shop', 'checkout')).toBeGreaterThan(checkout);
    expect(store.generationOf('shop', 'cart')).toBe(cart);

    const afterEvent = store.generationOf('shop', 'checkout');
    store.upsert('AnalysisRun', run('checkout-run', 'Rollout', 'checkout'));
    expect(store.generationOf('shop', 'checkout')).toBe(afterEvent);
    store.upsert('AnalysisRun', run('checkout-run', 'Rollout', 'checkout', '2'));
    expect(store.generationOf('shop', 'checkout')).toBeGreaterThan(afterEvent);
  });

  it("tells the generation of some kinds of a Rollout's objects apart from the others", () => {
    const store = new ClusterStore();
    store.replace('Rollout', undefined, [rollout('checkout')]);
    store.replace('AnalysisRun', undefined, [run('checkout-run', 'Rollout', 'checkout')]);
    const runs = store.generationOf('shop', 'checkout', ['Rollout', 'AnalysisRun']);
    const all = store.generationOf('shop', 'checkout');
    expect(all).toBe(runs);

    store.upsert('Event', event('AnalysisRun', 'checkout-run'));
    expect(store.generationOf('shop', 'checkout', ['Rollout', 'AnalysisRun'])).toBe(runs);
    expect(store.generationOf('shop', 'checkout', ['Event'])).toBeGreaterThan(runs);
    expect(store.generationOf('shop', 'checkout')).toBeGreaterThan(all);

    store.upsert('AnalysisRun', run('checkout-run', 'Rollout', 'checkout', '2'));
    expect(store.generationOf('shop', 'checkout', ['Rollout', 'AnalysisRun'])).toBeGreaterThan(runs);
    expect(store.generationOf('shop', 'checkout', ['ReplicaSet'])).toBe(0);
    expect(store.generationOf('shop', 'unknown')).toBe(0);
  });

  it('finds an Event that arrived before the AnalysisRun it is about once the run arrives', () => {
    const store = new ClusterStore();
    store.replace('Rollout', undefined, [rollout('checkout')]);
    store.upsert('Event', event('AnalysisRun', 'late-run'));
    const before = store.generationOf('shop', 'checkout');
    expect(store.objectsOf('shop', 'checkout')!.events).toEqual([]);

    store.upsert('AnalysisRun', run('late-run', 'Rollout', 'checkout'));
    expect(store.generationOf('shop', 'checkout')).toBeGreaterThan(before);
    expect(names(store.objectsOf('shop', 'checkout')!.events)).toEqual(['late-run.AnalysisRun.1']);
  });

  it('charges both Rollouts when an object moves from one to the other, and the old one when it is deleted', () => {
    const store = new ClusterStore();
    store.replace('Rollout', undefined, [rollout('checkout'), rollout('cart')]);
    store.upsert('ReplicaSet', replicaSet('shared', 'checkout'));
    const generations = () => [store.generationOf('shop', 'checkout'), store.generationOf('shop', 'cart')];
    const [checkout, cart] = generations();
    store.upsert('ReplicaSet', replicaSet('shared', 'cart', '2'));
    const [movedCheckout, movedCart] = generations();
    expect(movedCheckout).toBeGreaterThan(checkout);
    expect(movedCart).toBeGreaterThan(cart);
    expect(names(store.objectsOf('shop', 'cart')!.replicaSets)).toEqual(['shared']);
    expect(store.objectsOf('shop', 'checkout')!.replicaSets).toEqual([]);

    store.remove('ReplicaSet', replicaSet('shared', 'cart', '3'));
    expect(store.generationOf('shop', 'cart')).toBeGreaterThan(movedCart);
    expect(store.generationOf('shop', 'checkout')).toBe(movedCheckout);
    expect(store.objectsOf('shop', 'cart')!.replicaSets).toEqual([]);
  });

  it('replaces the objects of a scope with a new list: what is gone is deleted, what is unchanged charges nothing', () => {
    const store = new ClusterStore();
    store.replace('Rollout', undefined, [rollout('checkout'), rollout('cart'), rollout('search')]);
    store.replace('ReplicaSet', undefined, [replicaSet('checkout-a', 'checkout'), replicaSet('cart-a', 'cart')]);
    const before = ['checkout', 'cart', 'search'].map((name) => store.generationOf('shop', name));
    const changes: StoreChange[] = [];
    store.subscribe((change) => changes.push(change));

    store.replace('ReplicaSet', 'shop', [replicaSet('checkout-a', 'checkout'), replicaSet('search-a', 'search')]);
    const after = ['checkout', 'cart', 'search'].map((name) => store.generationOf('shop', name));
    expect(after[0]).toBe(before[0]);
    expect(after[1]).toBeGreaterThan(before[1]);
    expect(after[2]).toBeGreaterThan(before[2]);
    expect(store.count('ReplicaSet')).toBe(2);
    expect(changes).toEqual([{ kind: 'ReplicaSet', namespace: 'shop' }]);

    store.drop('ReplicaSet', 'other');
    expect(store.count('ReplicaSet')).toBe(2);
    store.drop('ReplicaSet', undefined);
    expect(store.count('ReplicaSet')).toBe(0);
  });
});
