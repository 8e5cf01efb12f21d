import { isFetchError } from '@grafana/runtime';
import { firstValueFrom, lastValueFrom } from 'rxjs';

import { createBackendSrv, parseRequestOptions, parseUrlFromOptions, processRequestError } from './backendSrv';

function answer(status: number, body: string, contentType?: string): Response {
  return {
    ok: status >= 200 && status < 300,
    status,
    statusText: status === 400 ? 'Bad Request' : String(status),
    headers: new Headers(contentType ? { 'content-type': contentType } : {}),
    redirected: false,
    type: 'basic',
    url: '',
    text: () => Promise.resolve(body),
    json: () => Promise.resolve(JSON.parse(body)),
  } as Response;
}

describe('parseRequestOptions (backend_srv.ts)', () => {
  it('makes local URLs relative to the base href, adds the org and renames Authorization to X-DS-Authorization', () => {
    expect(
      parseRequestOptions({ url: '/api/datasources/proxy/uid/x/kube/api', headers: { Authorization: 'Bearer t' } })
    ).toEqual({
      url: 'api/datasources/proxy/uid/x/kube/api',
      retry: 0,
      headers: { 'X-Grafana-Org-Id': '1', 'X-DS-Authorization': 'Bearer t' },
    });
  });

  it('leaves absolute URLs alone', () => {
    expect(parseRequestOptions({ url: 'https://example.com/x', headers: { Authorization: 'a' } })).toEqual({
      url: 'https://example.com/x',
      retry: 0,
      headers: { Authorization: 'a' },
    });
  });
});

describe('parseUrlFromOptions (fetch.ts)', () => {
  it('drops undefined values and empty lists, repeats array keys and keeps empty strings', () => {
    expect(
      parseUrlFromOptions({
        url: 'api/x',
        params: { limit: 500, none: undefined, empty: [], blank: '', kinds: ['a', 'b'], selector: 'app=web' },
      })
    ).toBe('api/x?limit=500&blank=&kinds=a&kinds=b&selector=app%3Dweb');
    expect(parseUrlFromOptions({ url: 'api/x', params: { none: undefined } })).toBe('api/x');
  });
});

describe('processRequestError (backend_srv.ts)', () => {
  const config = { url: 'api/x' };

  it('wraps a text body into {message, error, response}', () => {
    expect(
      processRequestError({
        status: 400,
        statusText: 'Bad Request',
        data: 'Authentication to data source failed',
        config,
      }).data
    ).toEqual({
      message: 'Authentication to data source failed',
      error: 'Bad Request',
      response: 'Authentication to data source failed',
    });
  });

  it('copies an error string to a missing message, and gives an empty body a message', () => {
    expect(processRequestError({ status: 500, data: { error: 'boom' }, config }).data).toEqual({
      error: 'boom',
      message: 'boom',
    });
    expect(processRequestError({ status: 502, data: undefined, config }).data).toEqual({ message: 'Unexpected error' });
  });
});

describe('createBackendSrv', () => {
  const fetchMock = jest.fn<Promise<Response>, [string, RequestInit]>();

  beforeEach(() => {
    fetchMock.mockReset();
    global.fetch = fetchMock as unknown as typeof fetch;
  });

  it('sends the request as Grafana does and parses the JSON answer', async () => {
    fetchMock.mockResolvedValue(answer(201, '{"status":{"allowed":true}}', 'application/json'));

    const response = await firstValueFrom(
      createBackendSrv().fetch<{ status: { allowed: boolean } }>({
        url: '/api/datasources/proxy/uid/x/kube/apis',
        method: 'POST',
        params: { limit: 500, labelSelector: 'app=web' },
        data: { kind: 'SelfSubjectAccessReview' },
      })
    );

    const [url, init] = fetchMock.mock.calls[0];
    expect(url).toBe('api/datasources/proxy/uid/x/kube/apis?limit=500&labelSelector=app%3Dweb');
    expect(init.method).toBe('POST');
    expect(init.body).toBe('{"kind":"SelfSubjectAccessReview"}');
    expect(init.credentials).toBe('same-origin');
    expect(Object.fromEntries(new Headers(init.headers).entries())).toEqual({
      accept: 'application/json, text/plain, */*',
      'content-type': 'application/json',
      'x-grafana-org-id': '1',
    });
    expect(response.status).toBe(201);
    expect(response.data.status.allowed).toBe(true);
  });

  it('fails with a processed FetchError carrying status and body when Grafana answers an error', async () => {
    fetchMock.mockResolvedValue(answer(400, 'Authentication to data source failed'));

    const error = await firstValueFrom(createBackendSrv().fetch({ url: '/api/x' })).catch((e: unknown) => e);

    expect(isFetchError(error)).toBe(true);
    expect(error).toMatchObject({
      status: 400,
      data: { message: 'Authentication to data source failed', error: 'Bad Request' },
    });
  });

  it('returns text bodies that are not JSON as they are', async () => {
    fetchMock.mockResolvedValue(answer(200, 'ok'));

    await expect(createBackendSrv().get('/api/health')).resolves.toBe('ok');
  });

  it('cancels a request when another starts with the same request id', async () => {
    let resolveFirst: (r: Response) => void = () => undefined;
    fetchMock.mockReturnValueOnce(new Promise((resolve) => (resolveFirst = resolve)));
    fetchMock.mockResolvedValueOnce(answer(200, '{"n":2}', 'application/json'));
    const srv = createBackendSrv();

    const first = lastValueFrom(srv.fetch({ url: '/api/x', requestId: 'A' })).catch((e: unknown) => e);
    const second = lastValueFrom(srv.fetch<{ n: number }>({ url: '/api/x', requestId: 'A' }));
    resolveFirst(answer(200, '{"n":1}', 'application/json'));

    expect(await first).toMatchObject({ cancelled: true, status: -1 });
    expect((await second).data).toEqual({ n: 2 });
  });
});
