import fc from 'fast-check';

import { MergedPieces, type Piece } from './mergedPieces';

interface Item {
  owner: string;
  at: number;
  label: string;
}

const compare = (a: Item, b: Item) => a.at - b.at;

/** What the merged list must be: every piece's items, sorted stably, ties in the order of the pieces. */
function reference(pieces: ReadonlyArray<Piece<Item>>): Item[] {
  return pieces.flatMap((piece) => piece.items).sort(compare);
}

const OWNERS = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];

const arbitraryItems = (owner: string) =>
  fc
    .array(fc.record({ at: fc.integer({ min: 0, max: 6 }), label: fc.constantFrom('x', 'y', 'z') }), { maxLength: 5 })
    .map((items) => items.map((item) => ({ owner, ...item })));

/** A selection of Rollouts (owners, in order) and, for each, either a new piece or the one it had. */
const arbitraryRefresh = fc.record({
  owners: fc.subarray(OWNERS, { minLength: 0 }),
  // Few changed pieces, as in a steady refresh, so that they are merged in rather than everything sorted again.
  changed: fc.array(
    fc.integer({ min: 0, max: 7 }).map((n) => n === 0),
    { minLength: OWNERS.length, maxLength: OWNERS.length }
  ),
  items: fc.tuple(...OWNERS.map((owner) => arbitraryItems(owner))),
});

describe('MergedPieces', () => {
  it('merges the pieces of a refresh like a stable sort of all of them, whichever pieces changed since the last', () => {
    fc.assert(
      fc.property(fc.array(arbitraryRefresh, { minLength: 1, maxLength: 6 }), (refreshes) => {
        const merged = new MergedPieces<Item>(compare);
        const current = new Map<string, Item[]>();
        for (const refresh of refreshes) {
          const pieces = refresh.owners.map((owner) => {
            const index = OWNERS.indexOf(owner);
            if (refresh.changed[index] || !current.has(owner)) {
              current.set(owner, refresh.items[index]);
            }
            return { owner, items: current.get(owner)! };
          });
          expect(merged.update(pieces)).toEqual(reference(pieces));
        }
      }),
      { numRuns: 500 }
    );
  });

  it('returns the very same list when no piece changed, and a new one when one did', () => {
    const merged = new MergedPieces<Item>(compare);
    const a = [{ owner: 'a', at: 1, label: 'x' }];
    const b = [{ owner: 'b', at: 0, label: 'y' }];
    const first = merged.update([
      { owner: 'a', items: a },
      { owner: 'b', items: b },
    ]);
    expect(first.map((item) => item.owner)).toEqual(['b', 'a']);
    expect(
      merged.update([
        { owner: 'a', items: a },
        { owner: 'b', items: b },
      ])
    ).toBe(first);
    const changed = merged.update([
      { owner: 'a', items: a },
      { owner: 'b', items: [{ owner: 'b', at: 2, label: 'y' }] },
    ]);
    expect(changed).not.toBe(first);
    expect(changed.map((item) => `${item.owner}${item.at}`)).toEqual(['a1', 'b2']);
  });
});
