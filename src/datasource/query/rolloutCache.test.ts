import fc from 'fast-check';

import { ClusterStore } from '../store/clusterStore';
import { recordedObjects, rolloutsOf, toggleObjects } from '../testing/recordedObjects';
import { RolloutCache } from './rolloutCache';

/** Every object of two recorded scenarios (three Rollouts, with AnalysisRuns, Experiments and their Events). */
const POOL = recordedObjects(['experiment-step', 'analysis-failure']);
const ROLLOUTS = rolloutsOf(POOL);
const NOW = Date.parse('2030-01-01T00:00:00Z');
const SETTINGS = { cluster: 'test' };
const PIECES = ['timeline', 'revisionRows', 'eventRows', 'analysisRunRows', 'rolloutRows'] as const;

/** The pieces of a Rollout a query would read, as plain data. */
function read(
  cache: RolloutCache,
  namespace: string,
  name: string,
  piece: (typeof PIECES)[number],
  now: number
): unknown {
  switch (piece) {
    case 'timeline': {
      const timeline = cache.timeline(namespace, name, now);
      return timeline && { entries: timeline.entries, problems: timeline.problems };
    }
    case 'revisionRows':
      return cache.revisionRows(namespace, name, now);
    default:
      return cache[piece](namespace, name);
  }
}

describe('RolloutCache', () => {
  it('gives, after any changes of the store, the pieces a cache made from scratch gives', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            // Objects that leave the store, or come back to it.
            toggled: fc.array(fc.integer({ min: 0, max: POOL.length - 1 }), { minLength: 1, maxLength: 4 }),
            // What the queries of this refresh read: some pieces stay unread, so others are kept while they change.
            pieces: fc.subarray([...PIECES], { minLength: 1 }),
            // The clock moves between refreshes, or not.
            later: fc.integer({ min: 0, max: 3_600_000 }),
          }),
          { minLength: 1, maxLength: 8 }
        ),
        (refreshes) => {
          const store = new ClusterStore();
          POOL.forEach(({ kind, object }) => store.upsert(kind, object));
          const present = POOL.map(() => true);
          const cache = new RolloutCache(store, SETTINGS);
          let now = NOW;
          for (const { toggled, pieces, later } of refreshes) {
            now += later;
            toggleObjects(store, POOL, present, toggled);
            const fresh = new RolloutCache(store, SETTINGS);
            for (const { namespace, name } of ROLLOUTS) {
              for (const piece of pieces) {
                expect(read(cache, namespace, name, piece, now)).toEqual(read(fresh, namespace, name, piece, now));
              }
            }
          }
        }
      ),
      { numRuns: 60 }
    );
  });

  it('keeps the rows of the AnalysisRuns when only Events of the Rollout changed, and makes them again when a run did', () => {
    const store = new ClusterStore();
    POOL.forEach(({ kind, object }) => store.upsert(kind, object));
    const cache = new RolloutCache(store, SETTINGS);
    const { namespace, name } = ROLLOUTS.find((rollout) => rollout.namespace === 'e2e-analysis-failure')!;
    const runs = cache.analysisRunRows(namespace, name);
    const events = cache.eventRows(namespace, name);
    const event = POOL.find(
      ({ kind, object }) =>
        kind === 'Event' &&
        (object as { involvedObject?: { kind?: string; name?: string } }).involvedObject?.name === name
    )!;
    store.remove(event.kind, event.object);

    expect(cache.analysisRunRows(namespace, name)).toBe(runs);
    expect(cache.eventRows(namespace, name)).not.toBe(events);
    expect(cache.eventRows(namespace, name)!.rows).toHaveLength(events!.rows.length - 1);

    const run = POOL.find(({ kind, object }) => kind === 'AnalysisRun' && JSON.stringify(object).includes(namespace))!;
    store.remove(run.kind, run.object);
    expect(cache.analysisRunRows(namespace, name)).not.toBe(runs);
    expect(cache.analysisRunRows(namespace, name)!.rows).toEqual([]);
  });
});
