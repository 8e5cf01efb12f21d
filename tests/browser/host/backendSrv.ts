// STAND-IN for Grafana's BackendSrv (public/app/core/services/backend_srv.ts with public/app/core/utils/fetch.ts and
// public/app/core/utils/query.ts). Grafana's own class is core code, not on npm: this follows its request path rule by
// rule, over the browser's fetch. Not covered: the fetch queue, token rotation, login ping on 401, alerts.
import type { BackendSrv, BackendSrvRequest, FetchError, FetchResponse } from '@grafana/runtime';
import { filter, lastValueFrom, Observable, Subject, takeUntil, throwIfEmpty } from 'rxjs';

/** The org of the signed-in user, sent with every local request (`contextSrv.user.orgId`). */
const ORG_ID = 1;
/** `HTTP_REQUEST_CANCELED` of Grafana's BackendSrv. */
const HTTP_REQUEST_CANCELED = -1;

/** query.ts `isLocalUrl`: anything that does not start with http is Grafana's own API. */
export const isLocalUrl = (url: string) => !/^http/.test(url);

/**
 * backend_srv.ts `parseRequestOptions`: for local URLs adds `X-Grafana-Org-Id`, drops the leading `/` (so the URL
 * resolves against the page's `<base href>`, which carries Grafana's sub-path) and renames `Authorization` to
 * `X-DS-Authorization` (the data source proxy renames it back; a browser's own Authorization never passes).
 */
export function parseRequestOptions(options: BackendSrvRequest): BackendSrvRequest {
  const parsed: BackendSrvRequest = { ...options, retry: options.retry ?? 0 };
  if (isLocalUrl(parsed.url)) {
    const headers: Record<string, string> = { ...parsed.headers, 'X-Grafana-Org-Id': String(ORG_ID) };
    if (parsed.url.startsWith('/')) {
      parsed.url = parsed.url.substring(1);
    }
    if (headers.Authorization) {
      headers['X-DS-Authorization'] = headers.Authorization;
      delete headers.Authorization;
    }
    parsed.headers = headers;
  }
  return parsed;
}

/** fetch.ts `serializeParams` over `parseUrlFromOptions`' clean params: undefined and empty values are dropped. */
export function parseUrlFromOptions(options: BackendSrvRequest): string {
  const params = (options.params ?? {}) as Record<string, unknown>;
  const pairs = Object.entries(params)
    .filter(([, value]) => !(value === undefined || (value && (value as { length?: number }).length === 0)))
    .flatMap(([key, value]) =>
      (Array.isArray(value) ? value : [value]).map(
        (item) => `${encodeURIComponent(key)}=${encodeURIComponent(String(item))}`
      )
    );
  return pairs.length > 0 ? `${options.url}?${pairs.join('&')}` : options.url;
}

/** fetch.ts `parseInitFromOptions`: default Accept, JSON content type for POST/PUT/PATCH, same-origin credentials. */
export function parseInitFromOptions(options: BackendSrvRequest): RequestInit {
  const headers = new Headers(options.headers as HeadersInit | undefined);
  const method = options.method?.toLowerCase() ?? '';
  if (['post', 'put', 'patch'].includes(method) && !headers.get('content-type')) {
    headers.set('content-type', 'application/json');
  }
  if (!headers.get('accept')) {
    headers.set('accept', 'application/json, text/plain, */*');
  }
  const isJson = headers.get('content-type')?.toLowerCase() === 'application/json';
  const data: unknown = options.data;
  let body: BodyInit | undefined;
  if (data && typeof data !== 'string') {
    body = isJson ? JSON.stringify(data) : new URLSearchParams(data as Record<string, string>);
  } else {
    body = (data as string | undefined) || undefined;
  }
  return { method: options.method, headers, body, credentials: options.credentials ?? 'same-origin' };
}

/** fetch.ts `parseResponseBody`: the declared response type, else JSON when it parses, else the text. */
async function parseResponseBody(response: Response, responseType: BackendSrvRequest['responseType']) {
  switch (responseType) {
    case 'arraybuffer':
      return response.arrayBuffer();
    case 'blob':
      return response.blob();
    case 'text':
      return response.text();
    case 'json':
      return response.headers.get('Content-Length') === '0' ? {} : response.json();
  }
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * backend_srv.ts `processRequestError`: `data` always becomes an object; a string body is wrapped into
 * `{message, error: statusText, response}`, and an `error` string is copied to a missing `message`.
 */
export function processRequestError(err: FetchError): FetchError<{ message: string; error?: string }> {
  let data = err.data ?? { message: 'Unexpected error' };
  if (typeof data === 'string') {
    data = { message: data, error: err.statusText, response: data };
  }
  if (data && !data.message && typeof data.error === 'string') {
    data = { ...data, message: data.error };
  }
  err.data = data;
  return err as FetchError<{ message: string; error?: string }>;
}

function isContentTypeJson(headers: Headers): boolean {
  return headers.get('content-type')?.toLowerCase() === 'application/json';
}

export interface HostBackendSrv extends BackendSrv {
  /** Cancels the request running with this id (runRequest calls it when its subscriber unsubscribes). */
  resolveCancelerIfExists(requestId: string): void;
}

/**
 * A BackendSrv over the browser's fetch with Grafana's request rules. `fetch` emits one FetchResponse, or fails
 * with a FetchError processed by `processRequestError`; a newer request with the same `requestId` cancels an
 * older one (`{cancelled: true, status: -1}`), and unsubscribing aborts the HTTP request.
 */
export function createBackendSrv(): HostBackendSrv {
  const inFlightRequests = new Subject<string>();

  function fetchObservable<T>(original: BackendSrvRequest): Observable<FetchResponse<T>> {
    if (original.requestId) {
      inFlightRequests.next(original.requestId);
    }
    const options = parseRequestOptions(original);
    const response = new Observable<FetchResponse<T>>((subscriber) => {
      const controller = new AbortController();
      fetch(parseUrlFromOptions(options), { ...parseInitFromOptions(options), signal: controller.signal })
        .then(async (res) => {
          const responseType = options.responseType ?? (isContentTypeJson(res.headers) ? 'json' : undefined);
          const data = (await parseResponseBody(res, responseType)) as T;
          if (!res.ok) {
            const error: FetchError = { status: res.status, statusText: res.statusText, data, config: options };
            subscriber.error(processRequestError(error));
            return;
          }
          const { status, statusText, ok, headers, url, type, redirected } = res;
          subscriber.next({ data, status, statusText, ok, headers, url, type, redirected, config: options });
          subscriber.complete();
        })
        .catch((cause: unknown) => {
          if (!controller.signal.aborted) {
            const message = cause instanceof Error ? cause.message : String(cause);
            subscriber.error(processRequestError({ status: 0, data: { message }, config: options }));
          }
        });
      return () => controller.abort();
    });
    return response.pipe(
      takeUntil(inFlightRequests.pipe(filter((id) => id === options.requestId))),
      throwIfEmpty(() => ({
        cancelled: true,
        data: null,
        status: HTTP_REQUEST_CANCELED,
        statusText: 'Request was aborted',
        config: options,
      }))
    );
  }

  const request = async <T>(options: BackendSrvRequest): Promise<T> =>
    (await lastValueFrom(fetchObservable<T>(options))).data;
  return {
    fetch: fetchObservable,
    request,
    datasourceRequest: <T>(options: BackendSrvRequest) => lastValueFrom(fetchObservable<T>(options)),
    get: (url, params, requestId, options) => request({ ...options, url, params, requestId, method: 'GET' }),
    delete: (url, data, options) => request({ ...options, url, data, method: 'DELETE' }),
    post: (url, data, options) => request({ ...options, url, data, method: 'POST' }),
    patch: (url, data, options) => request({ ...options, url, data, method: 'PATCH' }),
    put: (url, data, options) => request({ ...options, url, data, method: 'PUT' }),
    chunked: () => {
      throw new Error('chunked responses are not supported by the browser harness host');
    },
    resolveCancelerIfExists: (requestId: string) => inFlightRequests.next(requestId),
  };
}
