import type { TimelineEntry } from '../../timeline/types';
import { revisionRowsFromTimeline } from './revisionRowsFromTimeline';

const t = (iso: string) => Date.parse(iso);

let nextId = 0;

/** Entries with their tags at hand, as the timeline's `tagTextOf` would join them. */
type TaggedEntry = TimelineEntry & { tags: string[] };
const tagTextOf = (e: TimelineEntry) => (e as TaggedEntry).tags.join(',');

function entry(fields: Partial<TaggedEntry> & Pick<TimelineEntry, 'kind' | 'time' | 'category'>): TaggedEntry {
  return {
    id: `rl-${nextId++}`,
    timeEnd: fields.time,
    namespace: 'default',
    rollout: 'web',
    precision: 'exact',
    derivation: '',
    message: '',
    sources: [],
    tags: [],
    ...fields,
  };
}

const revision3 = entry({
  kind: 'region',
  span: 'revision',
  category: 'lifecycle',
  time: t('2024-05-01T10:00:00Z'),
  timeEnd: t('2024-05-01T10:30:00Z'),
  revision: 3,
  outcome: 'aborted',
  images: ['web:3'],
  tags: ['rollout:web', 'revision:3'],
});

const revision4 = entry({
  kind: 'region',
  span: 'revision',
  category: 'lifecycle',
  time: t('2024-05-01T11:00:00Z'),
  timeEnd: t('2024-05-01T12:00:00Z'),
  revision: 4,
  outcome: 'inProgress',
  precision: 'reconstructed',
  images: ['web:4'],
});

const entries: TimelineEntry[] = [
  revision3,
  revision4,
  // Step completions carry no revision: they belong to the revision whose span holds them.
  entry({ kind: 'point', category: 'steps', time: t('2024-05-01T10:05:00Z'), step: { index: 1, total: 4 } }),
  entry({ kind: 'point', category: 'steps', time: t('2024-05-01T10:10:00Z'), step: { index: 2, total: 4 } }),
  entry({ kind: 'point', category: 'steps', time: t('2024-05-01T11:05:00Z'), step: { index: 1, total: 4 } }),
  // The run as an object (region) and as an event about it: one analysis, the region's phase.
  entry({
    kind: 'region',
    span: 'analysisRun',
    category: 'analysis',
    time: t('2024-05-01T10:10:00Z'),
    timeEnd: t('2024-05-01T10:29:00Z'),
    revision: 3,
    analysis: { name: 'web-abc-3-2', phase: 'Failed' },
  }),
  entry({
    kind: 'point',
    category: 'analysis',
    time: t('2024-05-01T10:11:00Z'),
    revision: 3,
    analysis: { name: 'web-abc-3-2', phase: 'Running' },
  }),
  entry({
    kind: 'region',
    span: 'analysisRun',
    category: 'analysis',
    time: t('2024-05-01T10:01:00Z'),
    timeEnd: t('2024-05-01T10:02:00Z'),
    revision: 3,
    analysis: { name: 'web-abc-3-bg', phase: 'Successful' },
  }),
  // A pause of 5 minutes inside revision 3, and one still open in revision 4 that started 20 minutes before its end.
  entry({
    kind: 'region',
    span: 'pause',
    category: 'steps',
    reason: 'RolloutPaused',
    time: t('2024-05-01T10:05:00Z'),
    timeEnd: t('2024-05-01T10:10:00Z'),
  }),
  entry({
    kind: 'region',
    span: 'pause',
    category: 'steps',
    reason: 'RolloutPaused',
    time: t('2024-05-01T11:40:00Z'),
    timeEnd: t('2024-05-01T12:00:00Z'),
  }),
  // Another rollout's step in the same minutes must not count.
  entry({
    kind: 'point',
    category: 'steps',
    time: t('2024-05-01T10:06:00Z'),
    rollout: 'api',
    step: { index: 4, total: 4 },
  }),
];

describe('revisionRowsFromTimeline', () => {
  const rows = revisionRowsFromTimeline(entries, tagTextOf);

  it('returns one row per revision region', () => {
    expect(rows.map((row) => row.revision)).toEqual([3, 4]);
  });

  it('takes the span, outcome, precision, images and tags of the revision region', () => {
    expect(rows[0]).toMatchObject({
      namespace: 'default',
      rollout: 'web',
      started: t('2024-05-01T10:00:00Z'),
      ended: t('2024-05-01T10:30:00Z'),
      inProgress: false,
      outcome: 'aborted',
      precision: 'exact',
      images: ['web:3'],
      tags: 'rollout:web,revision:3',
    });
  });

  it('leaves the end of a revision in progress open', () => {
    expect(rows[1]).toMatchObject({ ended: undefined, inProgress: true, precision: 'reconstructed' });
  });

  it('reports the highest step reached within each revision of the same rollout', () => {
    expect(rows[0]).toMatchObject({ stepsReached: 2, totalSteps: 4 });
    expect(rows[1]).toMatchObject({ stepsReached: 1, totalSteps: 4 });
  });

  it('counts each analysis run once, with the phase of its region', () => {
    expect([...rows[0].analysisPhases].sort()).toEqual(['Failed', 'Successful']);
    expect(rows[1].analysisPhases).toEqual([]);
  });

  it('sums the paused time of each revision', () => {
    expect(rows[0].pausedMs).toBe(300_000);
    expect(rows[1].pausedMs).toBe(1_200_000);
  });

  it('counts a pause attributed to the revision whole, even past the revision end', () => {
    const lingering = entry({
      kind: 'region',
      span: 'pause',
      category: 'steps',
      reason: 'RolloutPaused',
      revision: 3,
      time: t('2024-05-01T10:25:00Z'),
      timeEnd: t('2024-05-01T10:45:00Z'),
    });
    const [row] = revisionRowsFromTimeline([revision3, lingering], tagTextOf);
    expect(row.pausedMs).toBe(1_200_000);
  });

  it('counts only the entries of its own Rollout that name its revision', () => {
    const sameRevisionElsewhere = [
      entry({ kind: 'point', category: 'steps', time: revision3.time, revision: 3, step: { index: 4, total: 4 } }),
      entry({ kind: 'point', category: 'steps', time: revision3.time, revision: 3, step: { index: 3, total: 4 } }),
    ];
    sameRevisionElsewhere[0].rollout = 'api';
    sameRevisionElsewhere[1].namespace = 'other';
    const own = entry({
      kind: 'point',
      category: 'steps',
      time: revision3.time,
      revision: 3,
      step: { index: 1, total: 4 },
    });
    const [row] = revisionRowsFromTimeline([revision3, ...sameRevisionElsewhere, own], tagTextOf);
    expect(row).toMatchObject({ stepsReached: 1, totalSteps: 4 });
  });

  it('gives no end to a revision whose end is not recorded (drawn at its start)', () => {
    const [row] = revisionRowsFromTimeline(
      [{ ...revision3, kind: 'point', timeEnd: revision3.time, endUnknown: true, outcome: 'superseded' }],
      tagTextOf
    );
    expect(row).toMatchObject({
      ended: undefined,
      inProgress: false,
      pausedMs: undefined,
      pausesSince: undefined,
      stepsReached: undefined,
    });
  });

  it('ends a revision that started and ended within the same second at its start', () => {
    const sameSecond = { ...revision3, kind: 'point' as const, timeEnd: revision3.time, outcome: 'succeeded' as const };
    const step = entry({ kind: 'point', category: 'steps', time: revision3.time, step: { index: 1, total: 1 } });
    const [row] = revisionRowsFromTimeline([sameSecond, step], tagTextOf);
    expect(row).toMatchObject({
      started: revision3.time,
      ended: revision3.time,
      inProgress: false,
      outcome: 'succeeded',
      stepsReached: 1,
      totalSteps: 1,
    });
  });

  it('returns no row for an entry that is no revision span', () => {
    const { span: _span, ...notASpan } = revision3;
    expect(revisionRowsFromTimeline([notASpan], tagTextOf)).toEqual([]);
  });
});
