import fc from 'fast-check';

import { canaryWeightFrames, inProgressFrames, rolloutsInProgressFrames, weightFrames } from '../frames/series';
import type { Rollout } from '../model/argo';
import { ClusterStore } from '../store/clusterStore';
import { arbitraryRefreshes, changingStore, recordedObjects } from '../testing/recordedObjects';
import { timelineNotices, type TimelineProblems } from '../timeline/problems';
import { Assembly, type Selection, Selections } from './assembly';
import { RolloutCache } from './rolloutCache';
import { SeriesAssembly } from './seriesAssembly';
import { entriesInRange } from './timelineRange';

const SETTINGS = { cluster: 'test' };
const noticesOf = (problems: TimelineProblems) =>
  timelineNotices(problems).map((text) => ({ severity: 'warning' as const, text }));
const ALL = { namespaces: [], rollouts: [], labelSelector: '' };
const RECORDED = recordedObjects(['canary-promote', 'canary-abort', 'bluegreen-promote', 'analysis-failure']);
/** Every record of the recorded scenarios is before this. */
const AFTER_ALL = Date.parse('2030-01-01T00:00:00Z');
/**
 * Among the records of canary-promote, before its revision 2 started: timelines for such a `now` are built for it,
 * not ended from open ones, and hold entries after it (clock skew).
 */
const AMID_RECORDS = Date.parse('2026-11-26T03:57:58.500Z');

const recordedRollout = RECORDED.find(
  ({ kind, object }) => kind === 'Rollout' && (object as Rollout).metadata?.name === 'canary-promote'
)!.object as Rollout;

/** The recorded canary-promote Rollout in another state: its newest revision still rolling out, or its spec invalid. */
function variant(resourceVersion: string, status: Partial<NonNullable<Rollout['status']>>): Rollout {
  return {
    ...recordedRollout,
    metadata: { ...recordedRollout.metadata, resourceVersion },
    status: { ...recordedRollout.status, ...status },
  } as Rollout;
}
const progressing = {
  stableRS: '6b7dbcf44d',
  phase: 'Paused',
  currentStepIndex: 1,
  conditions: [],
  canary: { weights: { canary: { weight: 25, podTemplateHash: 'f4d4cd845' }, stable: { weight: 75 } } },
} as Partial<NonNullable<Rollout['status']>>;
const IN_PROGRESS = { kind: 'Rollout' as const, object: variant('in-progress', progressing) as never };
const INVALID_SPEC = {
  kind: 'Rollout' as const,
  object: variant('invalid-spec', {
    ...progressing,
    conditions: [{ type: 'InvalidSpec', status: 'True', message: 'bad', reason: 'InvalidSpec' }],
  } as Partial<NonNullable<Rollout['status']>>) as never,
};
/** An Event about the Rollout without a time: its timeline has a problem to tell. */
const UNTIMED_EVENT = {
  kind: 'Event' as const,
  object: {
    metadata: { namespace: 'e2e-canary-promote', name: 'canary-promote.untimed', uid: 'untimed', resourceVersion: '1' },
    involvedObject: { kind: 'Rollout', namespace: 'e2e-canary-promote', name: 'canary-promote' },
    reason: 'RolloutUpdated',
    message: 'Rollout updated',
    type: 'Normal',
  } as never,
};
/**
 * The store starts with the last of the Rollout's states; toggling the others puts them in (or takes the Rollout out
 * when it holds that state).
 */
const POOL = [...RECORDED, UNTIMED_EVENT, INVALID_SPEC, IN_PROGRESS];

/** The series as they were made before they were assembled per Rollout: from the merged timeline, built afresh. */
function fromScratch(store: ClusterStore, selection: Selection, range: { from: number; to: number }, now: number) {
  const cache = new RolloutCache(store, SETTINGS);
  const timeline = new Assembly(cache).timeline(selection, now);
  const history = entriesInRange(timeline.entries, { from: -Infinity, to: range.to });
  const rollouts = selection.rollouts.flatMap(({ namespace, name }) => cache.rollout(namespace, name) ?? []);
  const options = { range, now, cluster: 'test', notices: noticesOf(timeline.problems) };
  return {
    weights: canaryWeightFrames(history, rollouts, options),
    inProgress: rolloutsInProgressFrames(history, options),
  };
}

function assembled(series: SeriesAssembly, selection: Selection, range: { from: number; to: number }, now: number) {
  const options = { range, now, cluster: 'test' };
  const { weights, problems } = series.weights(selection, now);
  const updates = series.updates(selection, now);
  return {
    weights: weightFrames(weights, { ...options, notices: noticesOf(problems) }),
    inProgress: inProgressFrames(updates, { ...options, notices: noticesOf(updates.problems) }),
  };
}

describe('SeriesAssembly', () => {
  it('gives, after any changes of objects and moves of the clock, the series made afresh from the merged timeline', () => {
    // The range of each refresh, around its `now`: it may end before now, at it, or after it.
    const ranges = fc.array(
      fc.record({ from: fc.integer({ min: -3 * 3_600_000, max: 0 }), to: fc.integer({ min: -120_000, max: 120_000 }) }),
      { minLength: 5, maxLength: 5 }
    );
    fc.assert(
      fc.property(
        arbitraryRefreshes(POOL.length),
        ranges,
        fc.constantFrom(AMID_RECORDS, AFTER_ALL),
        (refreshes, around, start) => {
          const { store, replay } = changingStore(POOL);
          const series = new SeriesAssembly(new RolloutCache(store, SETTINGS));
          const selections = new Selections(store);
          let refresh = 0;
          replay(refreshes, start, (now) => {
            const { from, to } = around[refresh++];
            const selection = selections.select(ALL);
            // After all records, a range from before them, which holds their changes.
            const range = { from: start === AMID_RECORDS ? now + from : 0, to: now + to };
            expect(assembled(series, selection, range, now)).toEqual(fromScratch(store, selection, range, now));
          });
        }
      ),
      {
        numRuns: 40,
        examples: [
          // Revision 2 rolls out (the Rollout's status asks for 25 %) but starts after the range's end, which is
          // after now: the newest revision up to the end of the range is revision 1, completed.
          [[{ toggled: [], later: 0 }], [0, 0, 0, 0, 0].map(() => ({ from: -3_600_000, to: 200 })), AMID_RECORDS],
        ],
      }
    );
  });

  it('draws an update in progress at the weight its status asks for now, and an invalid spec as no longer in progress', () => {
    const store = new ClusterStore();
    RECORDED.forEach(({ kind, object }) => store.upsert(kind, object));
    const series = new SeriesAssembly(new RolloutCache(store, SETTINGS));
    const selection = () => new Selections(store).select({ ...ALL, rollouts: ['canary-promote'] });
    const now = AFTER_ALL;
    const range = { from: now - 60_000, to: now };
    const drawn = () => {
      const weight = weightFrames(series.weights(selection(), now).weights, { range, now, cluster: 'test' });
      const inProgress = inProgressFrames(series.updates(selection(), now), { range, now, cluster: 'test' });
      return [weight[0].fields[1].values, inProgress[0].fields[1].values];
    };

    expect(drawn()).toEqual([
      [100, 100],
      [0, 0],
    ]);
    store.upsert('Rollout', IN_PROGRESS.object);
    // 75 % was the last step the Events tell; the status asks for 25 % now.
    expect(drawn()).toEqual([
      [75, 25],
      [1, 1],
    ]);
    store.upsert('Rollout', INVALID_SPEC.object);
    // Degraded: its region stays open, but it counts as in progress only until now, and its status weight is not drawn.
    expect(drawn()).toEqual([
      [75, 75],
      [1, 0],
    ]);
  });

  it('keeps what a live answer compares while only the clock moves, and makes it again when objects change', () => {
    const store = new ClusterStore();
    RECORDED.forEach(({ kind, object }) => store.upsert(kind, object));
    store.upsert('Rollout', IN_PROGRESS.object);
    const series = new SeriesAssembly(new RolloutCache(store, SETTINGS));
    const selections = new Selections(store);
    const weights = series.weights(selections.select(ALL), AFTER_ALL).weights;
    const updates = series.updates(selections.select(ALL), AFTER_ALL);

    expect(series.weights(selections.select(ALL), AFTER_ALL + 60_000).weights).toBe(weights);
    expect(series.updates(selections.select(ALL), AFTER_ALL + 60_000)).toBe(updates);

    const event = RECORDED.find(
      ({ kind, object }) =>
        kind === 'Event' && (object as { involvedObject?: { kind?: string } }).involvedObject?.kind === 'Rollout'
    )!;
    store.remove(event.kind, event.object);
    expect(series.weights(selections.select(ALL), AFTER_ALL + 60_000).weights).not.toBe(weights);
    expect(series.updates(selections.select(ALL), AFTER_ALL + 60_000)).not.toBe(updates);
  });
});
