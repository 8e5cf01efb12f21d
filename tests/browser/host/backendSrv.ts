import type { BackendSrv, BackendSrvRequest, FetchError, FetchResponse } from '@grafana/runtime';
import { lastValueFrom, Observable } from 'rxjs';

/** Query string the way Grafana's backendSrv builds it from `params` (arrays repeat the key). */
function withParams(url: string, params: BackendSrvRequest['params']): string {
  if (!params || typeof params !== 'object') {
    return url;
  }
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params as Record<string, unknown>)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item !== undefined && item !== null) {
        search.append(key, String(item));
      }
    }
  }
  const query = search.toString();
  return query ? `${url}${url.includes('?') ? '&' : '?'}${query}` : url;
}

function parseBody(text: string, responseType: BackendSrvRequest['responseType']): unknown {
  if (responseType === 'text') {
    return text;
  }
  try {
    return text === '' ? undefined : JSON.parse(text);
  } catch {
    return text;
  }
}

function requestBody(data: unknown): BodyInit | undefined {
  if (data === undefined) {
    return undefined;
  }
  return typeof data === 'string' ? data : JSON.stringify(data);
}

/**
 * `fetch` of Grafana's backendSrv over the browser's fetch: relative URLs reach the host server, which forwards
 * them to Grafana. Resolves with `{data, status, ok, ...}`; fails with a FetchError (`status`, `data`, `config`)
 * for HTTP errors, and with `cancelled: true` when unsubscribed before the answer.
 */
function fetchObservable<T>(options: BackendSrvRequest): Observable<FetchResponse<T>> {
  return new Observable<FetchResponse<T>>((subscriber) => {
    const controller = new AbortController();
    const data: unknown = options.data;
    const headers: Record<string, string> = { ...(options.headers as Record<string, string> | undefined) };
    if (data !== undefined && typeof data !== 'string' && !headers['Content-Type']) {
      headers['Content-Type'] = 'application/json';
    }
    fetch(withParams(options.url, options.params), {
      method: options.method ?? 'GET',
      headers,
      body: requestBody(data),
      signal: controller.signal,
    })
      .then(async (response) => {
        const body = parseBody(await response.text(), options.responseType);
        if (response.ok) {
          subscriber.next({
            data: body as T,
            status: response.status,
            statusText: response.statusText,
            ok: true,
            headers: response.headers,
            redirected: response.redirected,
            type: response.type,
            url: response.url,
            config: options,
          });
          subscriber.complete();
        } else {
          const error: FetchError = {
            status: response.status,
            statusText: response.statusText,
            data: body,
            config: options,
          };
          subscriber.error(error);
        }
      })
      .catch((cause: unknown) => {
        if (!controller.signal.aborted) {
          const error: FetchError = {
            status: 0,
            data: { message: cause instanceof Error ? cause.message : String(cause) },
            config: options,
          };
          subscriber.error(error);
        }
      });
    return () => controller.abort();
  });
}

/** A real-HTTP BackendSrv: every helper goes through `fetch`, as in Grafana. */
export function createBackendSrv(): BackendSrv {
  const request = async <T>(options: BackendSrvRequest): Promise<T> =>
    (await lastValueFrom(fetchObservable<T>(options))).data;
  return {
    fetch: fetchObservable,
    // Both deprecated, both still members of the BackendSrv interface.

    request,

    datasourceRequest: <T>(options: BackendSrvRequest) => lastValueFrom(fetchObservable<T>(options)),
    get: (url, params, _requestId, options) => request({ ...options, url, params, method: 'GET' }),
    delete: (url, data, options) => request({ ...options, url, data, method: 'DELETE' }),
    post: (url, data, options) => request({ ...options, url, data, method: 'POST' }),
    patch: (url, data, options) => request({ ...options, url, data, method: 'PATCH' }),
    put: (url, data, options) => request({ ...options, url, data, method: 'PUT' }),
    chunked: () => {
      throw new Error('chunked responses are not supported by the browser harness host');
    },
  };
}
