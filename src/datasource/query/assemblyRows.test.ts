import fc from 'fast-check';

import { compareAnalysisRunRows } from '../frames/tables/analysisRuns';
import { compareEventRows } from '../frames/tables/events';
import { compareRevisionRows } from '../frames/tables/revisions';
import { compareRolloutRows } from '../frames/tables/rollouts';
import { arbitraryRefreshes, changingStore, recordedObjects } from '../testing/recordedObjects';
import { Assembly, Selections } from './assembly';
import { RolloutCache } from './rolloutCache';

const ALL = { namespaces: [], rollouts: [], labelSelector: '' };
const POOL = recordedObjects(['canary-abort', 'analysis-failure', 'experiment-step', 'step-plugin']);
/**
 * Before the recorded objects' times (their timelines are built for now), among those of some scenarios (and before
 * the others'), or after them all (open timelines ended at now).
 */
const STARTS = ['2026-01-01T00:00:00Z', '2026-11-26T03:58:00Z', '2030-01-01T00:00:00Z'].map(Date.parse);

/** In table order: sorting them (a stable sort) leaves them as they are. */
function expectInOrder<Row>(rows: readonly Row[], compare: (a: Row, b: Row) => number): void {
  expect(rows.slice().sort(compare)).toEqual(rows);
}

describe('Assembly rows', () => {
  // The tables are made from the merged rows as they come (the revisions table of those in the query's range).
  it('come in table order, for every kind of table, after any change of objects and at any now', () => {
    fc.assert(
      fc.property(
        arbitraryRefreshes(POOL.length, { maxToggled: 6, maxRefreshes: 6 }),
        fc.constantFrom(...STARTS),
        (refreshes, start) => {
          const { store, replay } = changingStore(POOL);
          const assembly = new Assembly(new RolloutCache(store, { cluster: 'test' }));
          const selections = new Selections(store);
          replay(refreshes, start, (now) => {
            const selection = selections.select(ALL);
            expectInOrder(assembly.revisionRows(selection, now).rows, compareRevisionRows);
            expectInOrder(assembly.eventRows(selection).rows, compareEventRows);
            expectInOrder(assembly.analysisRunRows(selection).rows, compareAnalysisRunRows);
            expectInOrder(assembly.rolloutRows(selection).rows, compareRolloutRows);
          });
        }
      ),
      { numRuns: 25 }
    );
  });
});
