import fs from 'node:fs';
import path from 'node:path';

import fc from 'fast-check';

import { ClusterStore, type StoredKind } from '../store/clusterStore';
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

/**
 * A store holding every one of these objects, and `replay`, which runs refreshes on it: before each, the objects it
 * names leave the store or come back (see `toggleObjects`) and the clock moves on from `start`.
 */
export function changingStore(objects: ReadonlyArray<{ kind: StoredKind; object: never }>) {
  const store = new ClusterStore();
  objects.forEach(({ kind, object }) => store.upsert(kind, object));
  const present = objects.map(() => true);
  const replay = (refreshes: readonly Refresh[], start: number, refresh: (now: number) => void) => {
    let now = start;
    for (const { toggled, later } of refreshes) {
      toggleObjects(store, objects, present, toggled);
      now += later;
      refresh(now);
    }
  };
  return { store, replay };
}

/** One refresh of `changingStore`: the objects (by index) that leave the store or come back, and the clock's move. */
export interface Refresh {
  toggled: number[];
  later: number;
}

/** Refreshes for a property test of `changingStore` with this many objects. */
export function arbitraryRefreshes(
  objects: number,
  { maxToggled = 4, maxRefreshes = 5 } = {}
): fc.Arbitrary<Refresh[]> {
  return fc.array(
    fc.record({
      toggled: fc.array(fc.integer({ min: 0, max: objects - 1 }), { maxLength: maxToggled }),
      later: fc.integer({ min: 0, max: 3_600_000 }),
    }),
    { minLength: 1, maxLength: maxRefreshes }
  );
}
