import { isFetchError } from '@grafana/runtime';
import { firstValueFrom } from 'rxjs';

import { createBackendSrv } from './backendSrv';

function answer(status: number, body: string): Response {
  return {
    ok: status >= 200 && status < 300,
    status,
    statusText: String(status),
    headers: new Headers(),
    redirected: false,
    type: 'basic',
    url: '',
    text: () => Promise.resolve(body),
  } as Response;
}

describe('createBackendSrv', () => {
  const fetchMock = jest.fn<Promise<Response>, [string, RequestInit]>();

  beforeEach(() => {
    fetchMock.mockReset();
    global.fetch = fetchMock as unknown as typeof fetch;
  });

  it('sends params as a query string and JSON bodies with their content type, and parses the JSON answer', async () => {
    fetchMock.mockResolvedValue(answer(201, '{"status":{"allowed":true}}'));

    const response = await firstValueFrom(
      createBackendSrv().fetch<{ status: { allowed: boolean } }>({
        url: '/api/datasources/proxy/uid/x/kube/apis',
        method: 'POST',
        params: { limit: 500, labelSelector: 'app=web' },
        data: { kind: 'SelfSubjectAccessReview' },
      })
    );

    const [url, init] = fetchMock.mock.calls[0];
    expect(url).toBe('/api/datasources/proxy/uid/x/kube/apis?limit=500&labelSelector=app%3Dweb');
    expect(init.method).toBe('POST');
    expect(init.body).toBe('{"kind":"SelfSubjectAccessReview"}');
    expect(init.headers).toEqual({ 'Content-Type': 'application/json' });
    expect(response.status).toBe(201);
    expect(response.data.status.allowed).toBe(true);
  });

  it('fails with a FetchError carrying status and body when Grafana answers an error', async () => {
    fetchMock.mockResolvedValue(answer(400, '{"message":"Authentication to data source failed"}'));

    const error = await firstValueFrom(createBackendSrv().fetch({ url: '/api/x' })).catch((e: unknown) => e);

    expect(isFetchError(error)).toBe(true);
    expect(error).toMatchObject({ status: 400, data: { message: 'Authentication to data source failed' } });
  });

  it('returns text bodies that are not JSON as they are', async () => {
    fetchMock.mockResolvedValue(answer(200, 'ok'));

    await expect(createBackendSrv().get('/api/health')).resolves.toBe('ok');
  });
});
