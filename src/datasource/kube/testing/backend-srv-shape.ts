/**
 * What Grafana's `getBackendSrv().fetch` hands back, for the test stand-ins that perform real HTTP in its place:
 * a FetchResponse on 2xx, otherwise an error shaped like backendSrv's FetchError `{status, statusText, data, config}`,
 * the body parsed as JSON when it is JSON and kept as text when it is not.
 */
import type { BackendSrvRequest, FetchError, FetchResponse } from '@grafana/runtime';

/** `url` with `params` appended as a query string, as backendSrv does. */
export function withParams(url: string, params: BackendSrvRequest['params']): string {
  const search = new URLSearchParams();
  Object.entries((params ?? {}) as Record<string, unknown>).forEach(([key, value]) => {
    if (value !== undefined && value !== null) {
      search.append(key, String(value));
    }
  });
  const text = search.toString();
  return text ? `${url}${url.includes('?') ? '&' : '?'}${text}` : url;
}

export function parseBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function fetchResponse<T>(
  data: T,
  status: number,
  statusText: string,
  config: BackendSrvRequest
): FetchResponse<T> {
  return {
    data,
    status,
    statusText,
    ok: true,
    headers: {} as Headers,
    redirected: false,
    type: 'basic',
    url: config.url,
    config,
  };
}

export function fetchError(status: number, statusText: string, data: unknown, config: BackendSrvRequest): FetchError {
  return { status, statusText, data, config } as FetchError;
}
