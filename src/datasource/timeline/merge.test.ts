import type { Draft, DraftEntry } from './draft';
import { mergeMoments, SAME_MOMENT_MS } from './merge';

function draft(
  id: string,
  time: number,
  overrides: Partial<DraftEntry> = {},
  moment: Omit<Draft, 'entry'> = { revisionMoment: 'aborted' }
): Draft {
  return {
    entry: {
      id,
      kind: 'point',
      time,
      timeEnd: time,
      namespace: 'shop',
      rollout: 'web',
      revision: 2,
      category: 'lifecycle',
      precision: 'exact',
      derivation: '',
      message: id,
      sources: [{ kind: 'Event', namespace: 'shop', name: id }],
      ...overrides,
    },
    ...moment,
  };
}

describe('mergeMoments', () => {
  it('merges an Event and a status reconstruction of the same abort into the Event', () => {
    const merged = mergeMoments([
      draft('status', 1000, {
        precision: 'reconstructed',
        message: 'Aborted: analysis failed',
        sources: [{ kind: 'Rollout', namespace: 'shop', name: 'web' }],
      }),
      draft('event', 2000, { message: 'Rollout aborted update to revision 2' }),
    ]);
    expect(merged).toHaveLength(1);
    expect(merged[0]).toMatchObject({ id: 'event', precision: 'exact', relatedMessages: ['Aborted: analysis failed'] });
    expect(merged[0].sources.map((s) => s.kind)).toEqual(['Event', 'Rollout']);
  });

  it('keeps moments apart when they are further apart than the window, or about other revisions or rollouts', () => {
    const merged = mergeMoments([
      draft('a', 0),
      draft('b', SAME_MOMENT_MS + 1),
      draft('c', 0, { revision: 3 }),
      draft('d', 0, { rollout: 'cart' }),
    ]);
    expect(merged.map((d) => d.id).sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('leaves regions and entries without a moment untouched', () => {
    const region = draft('region', 0, { kind: 'region', timeEnd: 10 });
    const plain = draft('plain', 0, {}, {});
    expect(
      mergeMoments([region, plain, draft('x', 0)])
        .map((d) => d.id)
        .sort()
    ).toEqual(['plain', 'region', 'x']);
  });
});
