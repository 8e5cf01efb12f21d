import fc from 'fast-check';
import { filterEntries, limitEntries } from './filter';
import type { TimelineEntry } from './types';

/** Entries with their tags at hand, as the timeline's `tagsOf` would make them. */
type TaggedEntry = TimelineEntry & { tags: string[] };
const tagsOf = (e: TimelineEntry) => (e as TaggedEntry).tags;

function entry(overrides: Partial<TaggedEntry>): TaggedEntry {
  const time = overrides.time ?? 1000;
  return {
    id: `id-${overrides.rollout ?? 'web'}-${time}-${overrides.kind ?? 'point'}`,
    kind: 'point',
    time,
    timeEnd: time,
    namespace: 'shop',
    rollout: 'web',
    category: 'lifecycle',
    precision: 'exact',
    derivation: 'test',
    message: 'test',
    sources: [],
    tags: [],
    ...overrides,
  };
}

const entries = [
  entry({
    rollout: 'web',
    time: 1,
    category: 'lifecycle',
    outcome: 'succeeded',
    kind: 'region',
    timeEnd: 5,
    tags: ['team:a'],
  }),
  entry({ rollout: 'web-api', time: 2, category: 'analysis', outcome: 'failed', tags: ['team:a', 'tier:1'] }),
  entry({ rollout: 'cart', time: 3, category: 'traffic', precision: 'reconstructed', tags: ['team:b'], chatter: true }),
  entry({ rollout: 'cart', time: 4, category: 'lifecycle', outcome: 'rolledBack', precision: 'reconstructed' }),
];

const rolloutsOf = (result: { entries: TimelineEntry[] }) => result.entries.map((e) => `${e.rollout}@${e.time}`);

describe('filterEntries', () => {
  it('keeps everything with an empty filter', () => {
    expect(filterEntries(entries, {}, tagsOf).entries).toHaveLength(4);
  });

  it('leaves out the controller chatter at the significant detail level only', () => {
    expect(rolloutsOf(filterEntries(entries, { detail: 'significant' }, tagsOf))).toEqual([
      'web@1',
      'web-api@2',
      'cart@4',
    ]);
    expect(filterEntries(entries, { detail: 'all' }, tagsOf).entries).toHaveLength(4);
  });

  it('keeps only the chosen categories', () => {
    expect(rolloutsOf(filterEntries(entries, { categories: ['lifecycle'] }, tagsOf))).toEqual(['web@1', 'cart@4']);
  });

  it('keeps only the chosen outcomes, with none standing for entries without an outcome', () => {
    expect(rolloutsOf(filterEntries(entries, { outcomes: ['failed', 'rolledBack'] }, tagsOf))).toEqual([
      'web-api@2',
      'cart@4',
    ]);
    expect(rolloutsOf(filterEntries(entries, { outcomes: ['none'] }, tagsOf))).toEqual(['cart@3']);
  });

  it('keeps only points or only regions', () => {
    expect(rolloutsOf(filterEntries(entries, { kinds: ['region'] }, tagsOf))).toEqual(['web@1']);
    expect(filterEntries(entries, { kinds: ['point'] }, tagsOf).entries).toHaveLength(3);
  });

  it('drops reconstructed entries only when asked to', () => {
    expect(
      filterEntries(entries, { includeReconstructed: false }, tagsOf).entries.every((e) => e.precision === 'exact')
    ).toBe(true);
    expect(filterEntries(entries, { includeReconstructed: true }, tagsOf).entries).toHaveLength(4);
  });

  it('matches any or all of the tags', () => {
    expect(rolloutsOf(filterEntries(entries, { tags: ['team:a', 'team:b'] }, tagsOf))).toEqual([
      'web@1',
      'web-api@2',
      'cart@3',
    ]);
    expect(rolloutsOf(filterEntries(entries, { tags: ['team:a', 'tier:1'], tagMatch: 'all' }, tagsOf))).toEqual([
      'web-api@2',
    ]);
  });

  it('keeps rollouts named exactly or matching a /regex/', () => {
    expect(rolloutsOf(filterEntries(entries, { rollouts: ['web'] }, tagsOf))).toEqual(['web@1']);
    expect(rolloutsOf(filterEntries(entries, { rollouts: ['/^web/'] }, tagsOf))).toEqual(['web@1', 'web-api@2']);
    expect(rolloutsOf(filterEntries(entries, { rollouts: ['cart', '/-api$/'] }, tagsOf))).toEqual([
      'web-api@2',
      'cart@3',
      'cart@4',
    ]);
  });

  it('keeps nothing and says why when a rollout regex is invalid', () => {
    const result = filterEntries(entries, { rollouts: ['/web(/'] }, tagsOf);
    expect(result.entries).toEqual([]);
    expect(result.notices).toHaveLength(1);
    expect(result.notices[0]).toContain('/web(/');
  });
});

describe('limitEntries', () => {
  const many = Array.from({ length: 10 }, (_, i) => entry({ time: i * 10, rollout: `r${i}` }));
  const byTime = (sign: number) => (a: TimelineEntry, b: TimelineEntry) =>
    sign * (a.time - b.time) || sign * (a.timeEnd - b.timeEnd) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

  it('returns all entries without a notice when under the limit', () => {
    expect(limitEntries(many, 10)).toEqual({ entries: many, notices: [] });
  });

  it('keeps the newest entries in time order and says how many were cut', () => {
    const result = limitEntries([...many].reverse(), 3);
    expect(result.entries.map((e) => e.time)).toEqual([70, 80, 90]);
    expect(result.notices).toEqual([
      'Showing the newest 3 of 10 annotations: raise the limit or narrow the query to see older ones.',
    ]);
  });

  it('uses the default limit when the limit is not a positive number', () => {
    expect(limitEntries(many, Number.NaN).entries).toHaveLength(10);
    expect(limitEntries(many, 0).entries).toHaveLength(10);
  });

  it('keeps what sorting newest first, cutting and sorting back keeps, ties and repeated entries included', () => {
    const reference = (entries: TimelineEntry[], max: number) =>
      entries.length <= max ? entries : [...entries].sort(byTime(-1)).slice(0, max).sort(byTime(1));
    const time = fc.oneof(
      { weight: 20, arbitrary: fc.integer({ min: 0, max: 6 }) },
      { weight: 1, arbitrary: fc.constantFrom(Number.NaN, Infinity) }
    );
    const arbitraryEntry = fc
      .tuple(time, time, fc.constantFrom('a', 'b', 'c'), fc.string({ maxLength: 2 }))
      .map(([start, end, id, message]) => ({ ...entry({ time: start, timeEnd: end, message }), id }));
    fc.assert(
      fc.property(
        fc.array(arbitraryEntry, { maxLength: 40 }),
        fc.nat(5),
        fc.integer({ min: 1, max: 30 }),
        (list, repeated, max) => {
          const entries = [...list, ...list.slice(0, repeated)];
          const kept = limitEntries(entries, max).entries;
          const expected = reference(entries, max);
          expect(kept).toHaveLength(expected.length);
          kept.forEach((e, i) => expect(e).toBe(expected[i]));
        }
      ),
      { numRuns: 1500 }
    );
  });

  it('keeps what sorting newest first, cutting and sorting back keeps of entries in time order (a timeline)', () => {
    const arbitraryEntry = fc
      .tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 }), fc.constantFrom('a', 'b', 'c'))
      .map(([start, length, id]) => ({ ...entry({ time: start, timeEnd: start + length }), id }));
    fc.assert(
      fc.property(fc.array(arbitraryEntry, { maxLength: 40 }), fc.integer({ min: 1, max: 30 }), (list, max) => {
        // Sorted by start time only: entries of one start keep their generated order.
        const entries = [...list].sort((a, b) => a.time - b.time);
        const kept = limitEntries(entries, max).entries;
        const expected = entries.length <= max ? entries : [...entries].sort(byTime(-1)).slice(0, max).sort(byTime(1));
        expect(kept).toHaveLength(expected.length);
        kept.forEach((e, i) => expect(e).toBe(expected[i]));
      }),
      { numRuns: 1500 }
    );
  });
});
