import fc from 'fast-check';
import { sortStably } from './sort';

interface Item {
  key: number;
  at: number;
}

const byKey = (a: Item, b: Item) => a.key - b.key;

describe('sortStably', () => {
  it('sorts like Array.prototype.sort, equal items in their order, short and long lists', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 60 }), (keys) => {
        const items = keys.map((key, at) => ({ key, at }));
        const sorted = items.slice();
        sortStably(sorted, byKey);
        expect(sorted).toEqual(items.slice().sort(byKey));
      }),
      { numRuns: 2000 }
    );
  });

  it('sorts only the given range, of arrays and typed arrays', () => {
    const values = Int32Array.from([9, 8, 7, 3, 2, 1, 0]);
    sortStably(values, (a, b) => a - b, 1, 5);
    expect(Array.from(values)).toEqual([9, 2, 3, 7, 8, 1, 0]);
    const long = Array.from({ length: 40 }, (_, i) => 40 - i);
    sortStably(long, (a, b) => a - b, 5, 35);
    expect(long).toEqual([40, 39, 38, 37, 36, ...Array.from({ length: 30 }, (_, i) => i + 6), 5, 4, 3, 2, 1]);
  });
});
