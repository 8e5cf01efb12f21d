import type { ReplicaSet } from 'kubernetes-types/apps/v1';
import type { Event } from 'kubernetes-types/core/v1';

import type { AnalysisRun, Experiment, Rollout } from '../model/argo';
import { selectRelated } from './related';

const owner = (kind: string, name: string) => [{ apiVersion: 'v1', kind, name, uid: `${kind}-${name}` }];
const rollout = (name: string): Rollout => ({ metadata: { namespace: 'shop', name, uid: name } }) as Rollout;
const replicaSet = (name: string, rolloutName: string): ReplicaSet => ({
  metadata: { namespace: 'shop', name, ownerReferences: owner('Rollout', rolloutName) },
});
const event = (kind: string, name: string, namespace = 'shop'): Event =>
  ({ metadata: { namespace, name: `${name}.1` }, involvedObject: { kind, name, namespace } }) as Event;

describe('selectRelated', () => {
  const objects = {
    rollouts: [rollout('checkout'), rollout('cart')],
    replicaSets: [replicaSet('checkout-6d4f', 'checkout'), replicaSet('cart-77aa', 'cart')],
    experiments: [
      {
        metadata: { namespace: 'shop', name: 'checkout-exp', ownerReferences: owner('Rollout', 'checkout') },
      } as Experiment,
    ],
    analysisRuns: [
      {
        metadata: { namespace: 'shop', name: 'checkout-run', ownerReferences: owner('Rollout', 'checkout') },
      } as AnalysisRun,
      {
        metadata: { namespace: 'shop', name: 'exp-run', ownerReferences: owner('Experiment', 'checkout-exp') },
      } as AnalysisRun,
      { metadata: { namespace: 'shop', name: 'cart-run', ownerReferences: owner('Rollout', 'cart') } } as AnalysisRun,
    ],
    events: [
      event('Rollout', 'checkout'),
      event('ReplicaSet', 'checkout-6d4f'),
      event('AnalysisRun', 'exp-run'),
      event('Rollout', 'cart'),
      event('Pod', 'checkout-6d4f-abcde'),
      event('Rollout', 'checkout', 'other-namespace'),
    ],
  };

  it('keeps a selected rollout with its replica sets, experiments, analysis runs and the events about them', () => {
    const selected = selectRelated(objects, (r) => r.metadata?.name === 'checkout');
    expect(selected.rollouts.map((r) => r.metadata?.name)).toEqual(['checkout']);
    expect(selected.replicaSets.map((r) => r.metadata?.name)).toEqual(['checkout-6d4f']);
    expect(selected.experiments.map((e) => e.metadata?.name)).toEqual(['checkout-exp']);
    expect(selected.analysisRuns.map((r) => r.metadata?.name)).toEqual(['checkout-run', 'exp-run']);
    expect(selected.events.map((e) => `${e.involvedObject.kind}/${e.involvedObject.name}`)).toEqual([
      'Rollout/checkout',
      'AnalysisRun/exp-run',
    ]);
  });

  it('drops events about pods, replica sets, and a namesake in another namespace', () => {
    const selected = selectRelated(objects, () => true);
    expect(selected.events.map((e) => `${e.involvedObject.kind}/${e.involvedObject.name}`)).toEqual([
      'Rollout/checkout',
      'AnalysisRun/exp-run',
      'Rollout/cart',
    ]);
  });
});
