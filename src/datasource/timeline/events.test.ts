import { dedupeEvents, emptyEventProblems, normalizeEvent, occurrenceTimes } from './events';

const core = {
  metadata: { name: 'web.18eb7c3d0ef77928', namespace: 'shop', uid: 'u1' },
  involvedObject: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'web', namespace: 'shop' },
  reason: 'RolloutStepCompleted',
  message: 'Rollout step 1/2 completed (setWeight: 50)',
  type: 'Normal',
  firstTimestamp: '2026-11-20T10:00:00Z',
  lastTimestamp: '2026-11-20T10:05:00Z',
  count: 2,
};

describe('normalizeEvent', () => {
  it('reads a core/v1 Event', () => {
    const problems = emptyEventProblems();
    expect(normalizeEvent(core, problems)).toEqual({
      key: 'shop/web.18eb7c3d0ef77928',
      namespace: 'shop',
      name: 'web.18eb7c3d0ef77928',
      uid: 'u1',
      involvedKind: 'Rollout',
      involvedName: 'web',
      reason: 'RolloutStepCompleted',
      type: 'Normal',
      message: 'Rollout step 1/2 completed (setWeight: 50)',
      aggregated: false,
      count: 2,
      firstTime: Date.parse('2026-11-20T10:00:00Z'),
      lastTime: Date.parse('2026-11-20T10:05:00Z'),
    });
    expect(problems).toEqual(emptyEventProblems());
  });

  it('reads the same Event from the events.k8s.io/v1 API identically', () => {
    const v1 = {
      metadata: core.metadata,
      regarding: core.involvedObject,
      reason: core.reason,
      note: core.message,
      type: core.type,
      eventTime: null,
      deprecatedFirstTimestamp: core.firstTimestamp,
      deprecatedLastTimestamp: core.lastTimestamp,
      deprecatedCount: core.count,
    };
    expect(normalizeEvent(v1, emptyEventProblems())).toEqual(normalizeEvent(core, emptyEventProblems()));
  });

  it('falls back to the creation time when an Event has no first or last timestamp', () => {
    const event = normalizeEvent(
      {
        ...core,
        firstTimestamp: null,
        lastTimestamp: null,
        metadata: { ...core.metadata, creationTimestamp: '2026-11-20T09:00:00Z' },
      },
      emptyEventProblems()
    );
    expect([event?.firstTime, event?.lastTime]).toEqual([
      Date.parse('2026-11-20T09:00:00Z'),
      Date.parse('2026-11-20T09:00:00Z'),
    ]);
  });

  it('counts an unset count of 0 once without reporting it', () => {
    const problems = emptyEventProblems();
    expect(normalizeEvent({ ...core, count: 0 }, problems)?.count).toBe(1);
    expect(problems.badCount).toBe(0);
  });
});

describe('dedupeEvents', () => {
  it('keeps the most advanced copy of an Event listed twice, whatever the order', () => {
    const older = normalizeEvent(core, emptyEventProblems())!;
    const newer = normalizeEvent({ ...core, count: 3, lastTimestamp: '2026-11-20T10:09:00Z' }, emptyEventProblems())!;
    expect(dedupeEvents([older, newer])).toEqual([newer]);
    expect(dedupeEvents([newer, older])).toEqual([newer]);
  });
});

describe('occurrenceTimes', () => {
  it('returns the first and last occurrence of a repeated Event, and one time otherwise', () => {
    const repeated = normalizeEvent(core, emptyEventProblems())!;
    expect(occurrenceTimes(repeated)).toEqual([Date.parse('2026-11-20T10:00:00Z'), Date.parse('2026-11-20T10:05:00Z')]);
    expect(occurrenceTimes({ ...repeated, count: 1 })).toEqual([Date.parse('2026-11-20T10:05:00Z')]);
  });
});
