/**
 * Stand-in for Grafana's backendSrv in tests: performs real HTTP with Node's global fetch and returns an
 * Observable shaped like `getBackendSrv().fetch`: a FetchResponse on 2xx; on any other status it errors with a
 * FetchError-shaped object `{status, statusText, data, config}` (data parsed as JSON when possible, else text,
 * and, as in backendSrv, no response headers). Unsubscribing aborts the HTTP request, as backendSrv does.
 */
import type { BackendSrvRequest, FetchResponse } from '@grafana/runtime';
import { Observable } from 'rxjs';

import type { KubeFetch } from '../transport';
import { fetchError, parseBody, withParams } from './backend-srv-shape';

export function standInBackendSrvFetch(): KubeFetch {
  return <T>(options: BackendSrvRequest) =>
    new Observable<FetchResponse<T>>((subscriber) => {
      const controller = new AbortController();
      const hasBody = options.data !== undefined;
      fetch(withParams(options.url, options.params), {
        method: options.method ?? 'GET',
        headers: { ...(hasBody ? { 'Content-Type': 'application/json' } : {}), ...options.headers },
        body: hasBody ? JSON.stringify(options.data) : undefined,
        signal: controller.signal,
      })
        .then(async (response) => {
          const data = parseBody(await response.text());
          if (response.ok) {
            subscriber.next({
              data: data as T,
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
            subscriber.error(fetchError(response.status, response.statusText, data, options));
          }
        })
        .catch((error: unknown) => {
          if (!controller.signal.aborted) {
            subscriber.error(error);
          }
        });
      return () => controller.abort();
    });
}
