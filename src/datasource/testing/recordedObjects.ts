import fs from 'node:fs';
import path from 'node:path';

import type { ClusterStore, StoredKind } from '../store/clusterStore';
import {
  compactAnalysisRun,
  compactEvent,
  compactExperiment,
  compactReplicaSet,
  compactRollout,
} from '../store/compact';

const FILES: Array<[StoredKind, string, (item: unknown) => unknown]> = [
  ['Rollout', 'rollouts.json', compactRollout],
  ['ReplicaSet', 'replicasets.json', compactReplicaSet],
  ['AnalysisRun', 'analysisruns.json', compactAnalysisRun],
  ['Experiment', 'experiments.json', compactExperiment],
  ['Event', 'events.json', compactEvent],
];

/** Every object of recorded scenarios (`tests/fixtures/recorded/<scenario>`), as the store keeps them. */
export function recordedObjects(scenarios: readonly string[]): Array<{ kind: StoredKind; object: never }> {
  return scenarios.flatMap((scenario) =>
    FILES.flatMap(([kind, file, compact]) => {
      const text = fs.readFileSync(path.resolve(__dirname, '../../../tests/fixtures/recorded', scenario, file), 'utf8');
      return (JSON.parse(text) as { items: unknown[] }).items.map((item) => ({ kind, object: compact(item) as never }));
    })
  );
}

/** The namespace and name of each Rollout among them. */
export function rolloutsOf(objects: ReadonlyArray<{ kind: StoredKind; object: never }>) {
  return objects
    .filter(({ kind }) => kind === 'Rollout')
    .map(({ object }) => {
      const { namespace, name } = (object as { metadata: { namespace: string; name: string } }).metadata;
      return { namespace, name };
    });
}

/** Takes each of these objects out of the store when `present` says it is in, puts it back when not. */
export function toggleObjects(
  store: ClusterStore,
  objects: ReadonlyArray<{ kind: StoredKind; object: never }>,
  present: boolean[],
  indices: readonly number[]
): void {
  for (const index of indices) {
    const { kind, object } = objects[index];
    if (present[index]) {
      store.remove(kind, object);
    } else {
      store.upsert(kind, object);
    }
    present[index] = !present[index];
  }
}
