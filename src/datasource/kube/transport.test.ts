import type { BackendSrvRequest, FetchResponse } from '@grafana/runtime';
import { NEVER, Observable, of, throwError } from 'rxjs';

import { fetchOnce, type KubeFetch } from './transport';

function response<T>(data: T, config: BackendSrvRequest): FetchResponse<T> {
  return {
    data,
    status: 200,
    statusText: 'OK',
    ok: true,
    headers: new Headers(),
    redirected: false,
    type: 'basic',
    url: config.url,
    config,
  };
}

const GET = { method: 'GET' as const, url: '/api/datasources/proxy/uid/x/kube/version' };

describe('fetchOnce', () => {
  it('sends the request with alerts off and resolves with the body of a synchronous answer', async () => {
    const seen: BackendSrvRequest[] = [];
    const fetch: KubeFetch = <T>(options: BackendSrvRequest) => {
      seen.push(options);
      return of(response({ gitVersion: 'v1.34.1' } as T, options));
    };

    const outcome = await fetchOnce(fetch, { ...GET, params: { limit: 1 } }, new AbortController().signal);

    expect(outcome).toEqual({ ok: true, data: { gitVersion: 'v1.34.1' } });
    expect(seen[0]).toMatchObject({
      url: GET.url,
      method: 'GET',
      params: { limit: 1 },
      showErrorAlert: false,
      showSuccessAlert: false,
    });
  });

  it('resolves a FetchError with its status and data', async () => {
    const fetch: KubeFetch = (options) =>
      throwError(() => ({ status: 403, statusText: 'Forbidden', data: { kind: 'Status' }, config: options }));

    const outcome = await fetchOnce(fetch, GET, new AbortController().signal);

    expect(outcome).toEqual({ ok: false, failure: { status: 403, data: { kind: 'Status' } }, headers: undefined });
  });

  it('treats a request backendSrv cancelled itself as a failure without status', async () => {
    const fetch: KubeFetch = (options) =>
      throwError(() => ({ status: -1, cancelled: true, data: null, config: options }));

    const outcome = await fetchOnce(fetch, GET, new AbortController().signal);

    expect(outcome).toEqual({ ok: false, failure: { status: undefined } });
  });

  it('treats a thrown network error as a failure without status', async () => {
    const fetch: KubeFetch = () => throwError(() => new TypeError('Failed to fetch'));

    const outcome = await fetchOnce(fetch, GET, new AbortController().signal);

    expect(outcome).toEqual({ ok: false, failure: { status: undefined, data: 'Failed to fetch' } });
  });

  it('unsubscribes and rejects as cancelled when the signal aborts', async () => {
    let unsubscribed = false;
    const fetch: KubeFetch = () =>
      new Observable((subscriber) => {
        const inner = NEVER.subscribe(subscriber);
        return () => {
          unsubscribed = true;
          inner.unsubscribe();
        };
      });
    const controller = new AbortController();

    const pending = fetchOnce(fetch, GET, controller.signal);
    controller.abort();

    await expect(pending).rejects.toMatchObject({ kind: 'cancelled' });
    expect(unsubscribed).toBe(true);
  });
});
