import { ClusterStore } from '../store/clusterStore';
import type { Rollout } from '../model/argo';
import fc from 'fast-check';

import { filterEntries, type TimelineFilter } from '../timeline/filter';
import { compareEntries } from '../timeline/order';
import { arbitraryRefreshes, changingStore, recordedObjects } from '../testing/recordedObjects';
import { Assembly, Selections } from './assembly';
import { RolloutCache } from './rolloutCache';

const rollout = (namespace: string, name: string, labels: Record<string, string> = {}): Rollout => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Rollout',
  metadata: { namespace, name, uid: `${namespace}-${name}`, resourceVersion: '1', labels },
});

const ALL = { namespaces: [], rollouts: [], labelSelector: '' };

/** When the Rollouts of `paused` paused at their canary step: their timelines hold an open pause. */
const PAUSED_AT = Date.parse('2026-11-20T10:05:00Z');
const paused = (name: string): Rollout =>
  ({
    ...rollout('shop', name),
    spec: { strategy: { canary: { steps: [{ setWeight: 20 }, { pause: {} }] } } },
    status: {
      phase: 'Paused',
      currentStepIndex: 1,
      pauseConditions: [{ reason: 'CanaryPauseStep', startTime: new Date(PAUSED_AT).toISOString() }],
      controllerPause: true,
    },
  }) as Rollout;

describe('Selections', () => {
  it('keeps a selection until a Rollout is added, changed or deleted', () => {
    const store = new ClusterStore();
    store.upsert('Rollout', rollout('shop', 'web', { team: 'a' }));
    store.upsert('Rollout', rollout('shop', 'api', { team: 'b' }));
    const selections = new Selections(store);

    const first = selections.select({ ...ALL, labelSelector: 'team=a' });
    expect(first.rollouts).toEqual([{ namespace: 'shop', name: 'web', owner: 'shop/web' }]);
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
      { namespace: 'shop', name: 'api', owner: 'shop/api' },
      { namespace: 'shop', name: 'web', owner: 'shop/web' },
    ]);

    store.remove('Rollout', rollout('shop', 'web'));
    expect(selections.select({ ...ALL, labelSelector: 'team=a' }).rollouts).toEqual([
      { namespace: 'shop', name: 'api', owner: 'shop/api' },
    ]);
    expect(selections.select({ ...ALL, namespaces: ['other'] }).rollouts).toEqual([]);
  });
});

describe('Assembly.timeline', () => {
  it("ends the open regions at each refresh's now, as the Rollouts' own timelines for that now do", () => {
    const store = new ClusterStore();
    store.upsert('Rollout', paused('web'));
    store.upsert('Rollout', paused('api'));
    const cache = new RolloutCache(store, { cluster: 'test' });
    const assembly = new Assembly(cache);
    const selection = new Selections(store).select(ALL);
    const fresh = (now: number) =>
      selection.rollouts
        .flatMap(
          ({ namespace, name }) => new RolloutCache(store, { cluster: 'test' }).timeline(namespace, name, now)!.entries
        )
        .sort(compareEntries);

    const first = assembly.timeline(selection, PAUSED_AT + 60_000);
    const later = assembly.timeline(selection, PAUSED_AT + 120_000);
    expect(first.entries.map((entry) => [entry.rollout, entry.span, entry.timeEnd])).toEqual([
      ['api', 'pause', PAUSED_AT + 60_000],
      ['web', 'pause', PAUSED_AT + 60_000],
    ]);
    expect(first.entries).toEqual(fresh(PAUSED_AT + 60_000));
    expect(later.entries).toEqual(fresh(PAUSED_AT + 120_000));
    // The clock moved, the objects did not: what a live answer compares stays the same.
    expect(later.unended).toBe(first.unended);
    expect(assembly.timeline(selection, PAUSED_AT + 120_000).entries).toBe(later.entries);
  });
});

describe('Assembly.timeline with a filter', () => {
  const FILTERS: TimelineFilter[] = [
    { detail: 'significant', outcomes: ['succeeded'] },
    { detail: 'significant', outcomes: ['aborted', 'failed', 'degraded'] },
    { detail: 'all', outcomes: ['inProgress'] },
    { kinds: ['region'], categories: ['analysis', 'steps'] },
    { tags: ['reason:RolloutPaused', 'outcome:failed'], tagMatch: 'any', includeReconstructed: false },
  ];
  const POOL = recordedObjects(['canary-abort', 'analysis-failure', 'experiment-step']);
  const AFTER_ALL = Date.parse('2030-01-01T00:00:00Z');

  it('keeps of the merged timeline what the filter keeps of it, at any now and after any change of objects', () => {
    fc.assert(
      fc.property(
        arbitraryRefreshes(POOL.length),
        // Before the recorded objects' times (their timelines are built for now), or after them all (open ones).
        fc.constantFrom(PAUSED_AT + 60_000, AFTER_ALL),
        (refreshes, start) => {
          const { store, replay } = changingStore(POOL);
          store.upsert('Rollout', paused('paused'));
          const assembly = new Assembly(new RolloutCache(store, { cluster: 'test' }));
          const selections = new Selections(store);
          replay(refreshes, start, (now) => {
            const selection = selections.select(ALL);
            for (const filter of FILTERS) {
              const whole = new Assembly(new RolloutCache(store, { cluster: 'test' })).timeline(selection, now);
              const expected = filterEntries(whole.entries, filter, whole.tagsOf).entries;
              const filtered = assembly.timeline(selection, now, filter);
              expect(filtered.entries).toEqual(expected);
              expect(filtered.entries.map((entry) => filtered.tagsOf(entry))).toEqual(
                expected.map((entry) => whole.tagsOf(entry))
              );
            }
          });
        }
      ),
      { numRuns: 25 }
    );
  });

  it('keeps the filtered list while only the clock moves', () => {
    const store = new ClusterStore();
    POOL.forEach(({ kind, object }) => store.upsert(kind, object));
    const assembly = new Assembly(new RolloutCache(store, { cluster: 'test' }));
    const selection = new Selections(store).select(ALL);
    const first = assembly.timeline(selection, AFTER_ALL, FILTERS[0]);
    expect(first.entries.length).toBeGreaterThan(0);
    expect(assembly.timeline(selection, AFTER_ALL + 1_000, FILTERS[0]).unended).toBe(first.unended);
  });
});
