import { abortableSleep, DEFAULT_RETRY_POLICY, isRetryableStatus, retryAfterSeconds, retryDelayMs } from './retry';

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
