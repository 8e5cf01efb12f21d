import type { ReplicaSet } from 'kubernetes-types/apps/v1';
import type { Event } from 'kubernetes-types/core/v1';

import { recordedScenarios } from '../frames/tables/testdata';
import type { AnalysisRun, Experiment, Rollout } from '../model/argo';
import { ClusterStore } from '../store/clusterStore';
import { selectRelated } from './related';

const names = (objects: Array<{ metadata?: { name?: string } }>) => objects.map((o) => o.metadata?.name).sort();

describe('the objects the store finds for a Rollout', () => {
  it('gives each Rollout what selectRelated gives it, for every recorded scenario', () => {
    for (const scenario of recordedScenarios()) {
      const objects = {
        rollouts: scenario.items<Rollout>('rollouts'),
        replicaSets: scenario.items<ReplicaSet>('replicasets'),
        analysisRuns: scenario.items<AnalysisRun>('analysisruns'),
        experiments: scenario.items<Experiment>('experiments'),
        events: scenario.items<Event>('events'),
      };
      const store = new ClusterStore();
      store.replace('Rollout', undefined, objects.rollouts);
      store.replace('ReplicaSet', undefined, objects.replicaSets);
      store.replace('AnalysisRun', undefined, objects.analysisRuns);
      store.replace('Experiment', undefined, objects.experiments);
      store.replace('Event', undefined, objects.events);
      expect(objects.rollouts.length).toBeGreaterThan(0);
      for (const one of objects.rollouts) {
        const related = selectRelated(objects, (candidate) => candidate === one);
        const kept = store.objectsOf(one.metadata!.namespace!, one.metadata!.name!)!;
        const sorted = (list: Array<{ metadata?: { name?: string } }>) => names(list).sort();
        expect([scenario.name, sorted(kept.replicaSets)]).toEqual([scenario.name, sorted(related.replicaSets)]);
        expect([scenario.name, sorted(kept.analysisRuns)]).toEqual([scenario.name, sorted(related.analysisRuns)]);
        expect([scenario.name, sorted(kept.experiments)]).toEqual([scenario.name, sorted(related.experiments)]);
        expect([scenario.name, sorted(kept.events)]).toEqual([scenario.name, sorted(related.events)]);
      }
    }
  });
});
