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

  it('keeps the richer text: a message that says the same and more replaces that of the exact record', () => {
    const merged = mergeMoments([
      draft('event', 2000, { message: 'Rollout aborted update to revision 2' }),
      draft('status', 2000, {
        message: 'Rollout aborted update to revision 2: Step-based analysis phase error/failed',
        sources: [{ kind: 'Rollout', namespace: 'shop', name: 'web' }],
      }),
    ]);
    expect(merged).toHaveLength(1);
    expect(merged[0]).toMatchObject({
      id: 'event',
      time: 2000,
      message: 'Rollout aborted update to revision 2: Step-based analysis phase error/failed',
      relatedMessages: undefined,
    });
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

describe('mergeMoments with spans', () => {
  const run = (overrides: Partial<DraftEntry> = {}): Draft => ({
    entry: {
      id: 'run',
      kind: 'region',
      span: 'analysisRun',
      time: 0,
      timeEnd: 60_000,
      namespace: 'shop',
      rollout: 'web',
      revision: 2,
      category: 'analysis',
      outcome: 'failed',
      precision: 'exact',
      derivation: 'start from status.startedAt; end from status.completedAt',
      message: 'Step analysis web-1 Failed: metric failed',
      analysis: { name: 'web-1', phase: 'Failed' },
      sources: [{ kind: 'AnalysisRun', namespace: 'shop', name: 'web-1' }],
      ...overrides,
    },
    startMoments: ['analysis/web-1/start'],
    endMoments: ['analysis/web-1/result'],
  });
  const report = (id: string, time: number, fact: 'start' | 'result', overrides: Partial<DraftEntry> = {}) =>
    draft(id, time, { category: 'analysis', ...overrides }, { momentKey: `analysis/web-1/${fact}` });

  it('makes the points that report its start or result part of the span: their sources, not their messages', () => {
    const merged = mergeMoments([
      run(),
      report('running', 0, 'start'),
      report('failed', 61_000, 'result', { analysis: { name: 'web-1', phase: 'Failed', failingMetric: 'errors' } }),
    ]);
    expect(merged).toHaveLength(1);
    expect(merged[0]).toMatchObject({
      id: 'run',
      kind: 'region',
      time: 0,
      timeEnd: 60_000,
      message: 'Step analysis web-1 Failed: metric failed',
      relatedMessages: undefined,
      analysis: { name: 'web-1', phase: 'Failed', failingMetric: 'errors' },
    });
    expect(merged[0].sources.map((s) => s.name)).toEqual(['web-1', 'running', 'failed']);
  });

  it('takes the end it did not record from an exact point reporting its result', () => {
    const [merged] = mergeMoments([
      run({ timeEnd: 0, endUnknown: true, derivation: 'start from status.startedAt; completion time not recorded' }),
      report('failed', 30_000, 'result'),
    ]);
    expect(merged).toMatchObject({ timeEnd: 30_000, endUnknown: undefined });
    expect(merged.derivation).toBe(
      'start from status.startedAt; completion time not recorded; end from the reported Event'
    );
  });

  it('leaves points of another run, another Rollout or too far from the span apart', () => {
    const merged = mergeMoments([
      run(),
      draft('other-run', 60_000, {}, { momentKey: 'analysis/web-2/result' }),
      report('other-rollout', 60_000, 'result', { rollout: 'cart' }),
      report('too-late', 60_000 + SAME_MOMENT_MS + 1, 'result'),
    ]);
    expect(merged.map((d) => d.id).sort()).toEqual(['other-rollout', 'other-run', 'run', 'too-late']);
    expect(merged.find((d) => d.id === 'run')?.sources).toHaveLength(1);
  });
});
