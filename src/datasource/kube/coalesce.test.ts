import { SharedRequests } from './coalesce';

function deferred<T>() {
  let resolve: (value: T) => void = () => {};
  let reject: (error: unknown) => void = () => {};
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function shared(options: Partial<{ ttlMs: number; maxEntries: number; now: () => number }> = {}) {
  return new SharedRequests({ ttlMs: 0, maxEntries: 10, now: () => 0, ...options });
}

describe('SharedRequests', () => {
  it('starts one run for identical keys in flight and gives every caller its result', async () => {
    const requests = shared();
    const result = deferred<string>();
    const start = jest.fn(() => result.promise);

    const calls = [requests.run('k', start), requests.run('k', start), requests.run('k', start)];
    result.resolve('shared');

    expect(await Promise.all(calls)).toEqual(['shared', 'shared', 'shared']);
    expect(start).toHaveBeenCalledTimes(1);
  });

  it('starts again once the previous run finished and nothing is cached', async () => {
    const requests = shared();
    const start = jest.fn(async () => 'value');

    await requests.run('k', start);
    await requests.run('k', start);

    expect(start).toHaveBeenCalledTimes(2);
  });

  it('aborts the run only when its last caller aborts', async () => {
    const requests = shared();
    let runSignal: AbortSignal | undefined;
    const result = deferred<string>();
    const first = new AbortController();
    const second = new AbortController();

    const calls = [
      requests.run('k', (signal) => ((runSignal = signal), result.promise), { signal: first.signal }),
      requests.run('k', () => result.promise, { signal: second.signal }),
    ].map((call) => call.catch((error: { kind?: string }) => error.kind));
    await Promise.resolve();
    first.abort();
    expect(runSignal?.aborted).toBe(false);
    second.abort();
    expect(runSignal?.aborted).toBe(true);
    result.reject(new Error('aborted'));

    expect(await Promise.all(calls)).toEqual(['cancelled', 'cancelled']);
  });

  it('starts a fresh run for a caller arriving after every earlier caller aborted', async () => {
    const requests = shared();
    const start = jest.fn(() => new Promise<string>(() => {}));
    const leaving = new AbortController();

    const left = requests.run('k', start, { signal: leaving.signal }).catch(() => 'left');
    leaving.abort();
    await left;
    void requests.run('k', start);
    await Promise.resolve();

    expect(start).toHaveBeenCalledTimes(2);
  });

  it('shares a failure with every caller and does not cache it', async () => {
    let now = 0;
    const requests = shared({ ttlMs: 1_000, now: () => now });
    const start = jest.fn(async () => {
      throw new Error('boom');
    });

    await expect(Promise.all([requests.run('k', start), requests.run('k', start)])).rejects.toThrow('boom');
    await expect(requests.run('k', start)).rejects.toThrow('boom');

    expect(start).toHaveBeenCalledTimes(2);
  });

  it('serves results from the cache until the TTL passes', async () => {
    let now = 0;
    const requests = shared({ ttlMs: 1_000, now: () => now });
    let counter = 0;
    const start = async () => ++counter;

    expect(await requests.run('k', start)).toBe(1);
    now = 999;
    expect(await requests.run('k', start)).toBe(1);
    expect(await requests.run('k', start, { bypassCache: true })).toBe(2);
    now = 2_000;
    expect(await requests.run('k', start)).toBe(3);
  });

  it('keeps at most maxEntries results, dropping the oldest', async () => {
    const requests = shared({ ttlMs: 1_000, maxEntries: 2 });
    const start = jest.fn(async () => 'value');

    await requests.run('a', start);
    await requests.run('b', start);
    await requests.run('c', start);
    await requests.run('c', start);
    await requests.run('b', start);
    expect(start).toHaveBeenCalledTimes(3);

    await requests.run('a', start);
    expect(start).toHaveBeenCalledTimes(4);
  });

  it('rejects a caller whose signal is already aborted without starting', async () => {
    const requests = shared();
    const start = jest.fn(async () => 'value');
    const controller = new AbortController();
    controller.abort();

    await expect(requests.run('k', start, { signal: controller.signal })).rejects.toMatchObject({ kind: 'cancelled' });
    expect(start).not.toHaveBeenCalled();
  });

  it('becomes idle once abandoned runs settle', async () => {
    const requests = shared();
    const result = deferred<string>();
    const controller = new AbortController();
    let idle = false;

    const call = requests.run('k', () => result.promise, { signal: controller.signal }).catch(() => undefined);
    controller.abort();
    await call;
    const waiting = requests.whenIdle().then(() => {
      idle = true;
    });
    for (let tick = 0; tick < 10; tick++) {
      await Promise.resolve();
    }
    expect(idle).toBe(false);
    result.resolve('late');
    await waiting;

    expect(idle).toBe(true);
  });
});
