import type { Deadline } from './deadline';
import { KubeError } from './errors';
import {
  abortableSleep,
  type AttemptOutcome,
  DEFAULT_RETRY_POLICY,
  isIdempotent,
  isRetryableStatus,
  retryAfterSeconds,
  retryDelayMs,
  withRetries,
} from './retry';

describe('isRetryableStatus', () => {
  it.each([undefined, 0, 429, 500, 502, 503, 504])('retries %s', (status) => {
    expect(isRetryableStatus(status)).toBe(true);
  });

  it.each([400, 401, 403, 404, 410, 422, 501])('does not retry %s', (status) => {
    expect(isRetryableStatus(status)).toBe(false);
  });
});

describe('retryAfterSeconds', () => {
  it('reads the Retry-After header when there is one', () => {
    expect(retryAfterSeconds(undefined, new Headers({ 'Retry-After': '3' }))).toBe(3);
  });

  it('reads details.retryAfterSeconds of a Kubernetes Status when headers are not passed on', () => {
    const body = { kind: 'Status', apiVersion: 'v1', code: 429, details: { retryAfterSeconds: 2 } };
    expect(retryAfterSeconds(body)).toBe(2);
  });

  it('ignores an HTTP date, a zero and a body that is no Status', () => {
    expect(
      retryAfterSeconds(undefined, new Headers({ 'Retry-After': 'Wed, 21 Oct 2026 07:28:00 GMT' }))
    ).toBeUndefined();
    expect(retryAfterSeconds({ kind: 'Status', details: { retryAfterSeconds: 0 } })).toBeUndefined();
    expect(retryAfterSeconds({ details: { retryAfterSeconds: 5 } })).toBeUndefined();
  });
});

describe('retryDelayMs', () => {
  const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100, maxDelayMs: 1_000, maxRetryAfterMs: 5_000 };

  it('doubles the delay per attempt up to the cap', () => {
    expect([0, 1, 2, 3, 4].map((attempt) => retryDelayMs(attempt, undefined, policy, () => 1))).toEqual([
      100, 200, 400, 800, 1000,
    ]);
  });

  it('jitters between half and all of the step', () => {
    expect(retryDelayMs(2, undefined, policy, () => 0)).toBe(200);
    expect(retryDelayMs(2, undefined, policy, () => 0.5)).toBe(300);
  });

  it('uses the server Retry-After, capped', () => {
    expect(retryDelayMs(0, 2, policy, () => 1)).toBe(2_000);
    expect(retryDelayMs(0, 60, policy, () => 1)).toBe(5_000);
  });
});

describe('abortableSleep', () => {
  it('rejects at once when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(abortableSleep(60_000, controller.signal)).rejects.toBeDefined();
  });

  it('rejects when the signal aborts during the wait', async () => {
    const controller = new AbortController();
    const waiting = abortableSleep(60_000, controller.signal);
    controller.abort();
    await expect(waiting).rejects.toBeDefined();
  });
});

describe('isIdempotent', () => {
  it('allows repeating reads only', () => {
    expect(isIdempotent('GET')).toBe(true);
    expect(isIdempotent('HEAD')).toBe(true);
    expect(isIdempotent('POST')).toBe(false);
    expect(isIdempotent('PATCH')).toBe(false);
  });
});

describe('withRetries', () => {
  const failure = (retryable: boolean, retryAfterSeconds?: number): AttemptOutcome<string> => ({
    ok: false,
    error: new KubeError({ kind: 'server', message: 'The Kubernetes API server failed (HTTP 503).', status: 503 }),
    retryable,
    retryAfterSeconds,
  });

  function harness(outcomes: Array<AttemptOutcome<string>>, deadline?: Deadline) {
    let clock = 0;
    const waits: number[] = [];
    const attempts: number[] = [];
    const run = withRetries<string>(
      async (index) => {
        attempts.push(clock);
        clock += 1_000; // every attempt takes a second
        return outcomes[Math.min(index, outcomes.length - 1)];
      },
      {
        policy: { maxRetries: 3, baseDelayMs: 300, maxDelayMs: 5_000, maxRetryAfterMs: 10_000 },
        deadline,
        signal: new AbortController().signal,
        sleep: async (ms) => {
          waits.push(ms);
          clock += ms;
        },
        random: () => 1,
        now: () => clock,
        cancelled: () => new KubeError({ kind: 'cancelled', message: 'cancelled' }),
      }
    );
    return { run, waits, attempts, clock: () => clock };
  }

  it('returns the first success', async () => {
    const { run, waits } = harness([failure(true), { ok: true, value: 'items' }]);
    await expect(run).resolves.toBe('items');
    expect(waits).toEqual([300]);
  });

  it('throws a failure that is not worth repeating at once, unchanged', async () => {
    const { run, attempts } = harness([failure(false)]);
    await expect(run).rejects.toMatchObject({ message: 'The Kubernetes API server failed (HTTP 503).' });
    expect(attempts).toHaveLength(1);
  });

  it('says how often it tried once the retries are used up', async () => {
    const { run, waits } = harness([failure(true)]);
    await expect(run).rejects.toMatchObject({
      kind: 'server',
      status: 503,
      attempts: 4,
      message: 'The Kubernetes API server failed (HTTP 503). Tried 4 times in 6.1 s.',
    });
    expect(waits).toEqual([300, 600, 1_200]);
  });

  it('waits as long as the server asks', async () => {
    const { run, waits } = harness([failure(true, 2), { ok: true, value: 'items' }]);
    await run;
    expect(waits).toEqual([2_000]);
  });

  it('never waits past the deadline: it gives up and says so', async () => {
    const { run, waits, clock } = harness([failure(true, 4)], { at: 5_500, seconds: 5.5 });
    await expect(run).rejects.toMatchObject({
      attempts: 2,
      message:
        'The Kubernetes API server failed (HTTP 503). Gave up after 2 attempts at the query deadline of 5.5 s ' +
        '(a data source setting).',
    });
    expect(waits).toEqual([4_000]);
    expect(clock()).toBe(6_000);
  });

  it('starts no attempt once the deadline has passed', async () => {
    const { run, attempts } = harness([failure(true)], { at: 1_000, seconds: 1 });
    await expect(run).rejects.toMatchObject({ attempts: 1, message: expect.stringMatching(/at the query deadline/) });
    expect(attempts).toEqual([0]);
  });
});
