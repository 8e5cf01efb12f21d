import fc from 'fast-check';
import { addEntry, emptyEntryList, orderedEntries } from './order';
import type { TimelineEntry } from './types';

function entry(id: string, time: number, kind: 'point' | 'region', timeEnd: number, message: string): TimelineEntry {
  return {
    id,
    kind,
    time,
    timeEnd,
    namespace: 'shop',
    rollout: 'web',
    category: 'lifecycle',
    precision: 'exact',
    derivation: '',
    message,
    sources: [],
  };
}

/** The order as first written: one stable sort with the whole comparison, then suffixes in that order. */
function referenceOrder(entries: TimelineEntry[]): TimelineEntry[] {
  const rank = (e: TimelineEntry) => (e.kind === 'region' ? 0 : 1);
  const text = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const sorted = [...entries].sort(
    (a, b) =>
      a.time - b.time || rank(a) - rank(b) || a.timeEnd - b.timeEnd || text(a.id, b.id) || text(a.message, b.message)
  );
  const seen = new Map<string, number>();
  return sorted.map((e) => {
    const n = seen.get(e.id) ?? 0;
    seen.set(e.id, n + 1);
    return n === 0 ? e : { ...e, id: `${e.id}-${n + 1}` };
  });
}

/** The entries added as the entries of one Rollout. */
function ordered(entries: TimelineEntry[]): TimelineEntry[] {
  const list = emptyEntryList();
  const seenIds = new Set<string>();
  for (const e of entries) {
    addEntry(list, e, seenIds);
  }
  return orderedEntries(list);
}

describe('orderedEntries', () => {
  it('orders by time, regions first, by end, id and message, and suffixes repeated ids', () => {
    const arbitraryEntry = fc
      .tuple(
        fc.constantFrom('a', 'b', 'c'),
        fc.integer({ min: 0, max: 4 }),
        fc.constantFrom('point', 'region'),
        fc.integer({ min: 0, max: 2 }),
        fc.constantFrom('x', 'y')
      )
      .map(([id, time, kind, length, message]) => entry(id, time, kind, time + length, message));
    fc.assert(
      fc.property(fc.array(arbitraryEntry, { maxLength: 80 }), (entries) => {
        expect(ordered(entries)).toEqual(referenceOrder(entries));
      }),
      { numRuns: 2000 }
    );
  });

  it('keeps the entries themselves when their ids are unique', () => {
    const late = entry('late', 20, 'point', 20, '');
    const early = entry('early', 10, 'region', 15, '');
    const result = ordered([late, early]);
    expect(result[0]).toBe(early);
    expect(result[1]).toBe(late);
  });
});
