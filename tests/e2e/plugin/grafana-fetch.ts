/**
 * A `getBackendSrv().fetch`-shaped function that sends the plugin's requests over HTTP to the STAND-IN for
 * Grafana's server (tests/grafana-stand-in; Grafana cannot be built here, see docs/testing.md), with basic auth
 * as the admin. Relative URLs such as `/api/datasources/proxy/uid/<uid>/kube/...` are resolved against
 * GRAFANA_URL, the same way the browser resolves them against Grafana's origin. Like backendSrv, a JSON body is
 * parsed (text is kept when it is not JSON) and a non-2xx answer is an error with `status` and `data`. A request
 * without a complete answer within HARNESS_REQUEST_TIMEOUT_MS is an error that says so.
 */
import http from 'node:http';

import type { BackendSrvRequest, FetchResponse } from '@grafana/runtime';
import { Observable } from 'rxjs';

import { requestDeadline } from './deadline';

import { nodeStreamFetch } from '../../../src/datasource/kube/testing/node-stream-fetch';
import { pageStreamFetch, type StreamFetch } from '../../../src/datasource/kube/watch';
import {
  fetchError,
  fetchResponse,
  parseBody,
  withParams,
} from '../../../src/datasource/kube/testing/backend-srv-shape';

export interface GrafanaConnection {
  /** e.g. http://127.0.0.1:40123 (from <run dir>/grafana-url). */
  url: string;
  user: string;
  password: string;
}

export function grafanaFetch(connection: GrafanaConnection) {
  const origin = new URL(connection.url);
  const authorization = `Basic ${Buffer.from(`${connection.user}:${connection.password}`).toString('base64')}`;
  const requests: Array<{ method: string; url: string; status: number; bytes: number }> = [];

  const fetch = <T>(options: BackendSrvRequest): Observable<FetchResponse<T>> =>
    new Observable<FetchResponse<T>>((subscriber) => {
      const method = (options.method ?? 'GET').toUpperCase();
      const requestPath = withParams(options.url, options.params);
      const body = options.data === undefined ? undefined : JSON.stringify(options.data);
      const headers: Record<string, string | number> = {
        ...(options.headers as Record<string, string> | undefined),
        Authorization: authorization,
      };
      if (body !== undefined) {
        headers['Content-Type'] = 'application/json';
        headers['Content-Length'] = Buffer.byteLength(body);
      }
      const request = http.request(
        { hostname: origin.hostname, port: origin.port, path: requestPath, method, headers, agent: false },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            const status = response.statusCode ?? 0;
            const text = Buffer.concat(chunks).toString('utf8');
            const data = text === '' ? undefined : parseBody(text);
            requests.push({ method, url: requestPath, status, bytes: text.length === 0 ? 0 : Buffer.byteLength(text) });
            if (status < 200 || status >= 300) {
              subscriber.error(fetchError(status, response.statusMessage ?? '', data, options));
              return;
            }
            subscriber.next(fetchResponse(data as T, status, response.statusMessage ?? '', options));
            subscriber.complete();
          });
        }
      );
      requestDeadline(request, `${method} ${requestPath}`);
      request.on('error', (error) => subscriber.error(error));
      if (body !== undefined) {
        request.write(body);
      }
      request.end();
      return () => request.destroy();
    });

  return { fetch, requests };
}

/**
 * The browser's streaming `fetch` as the data source builds it for watches (kube/watch.ts `pageStreamFetch`: the URL
 * relative to the page, `X-Grafana-Org-Id`), here a GET with node:http whose body is a web ReadableStream (jest's
 * jsdom has no `fetch`), with the admin's basic auth in place of the session cookie.
 */
export function grafanaStreamFetch(connection: GrafanaConnection): StreamFetch {
  const authorization = `Basic ${Buffer.from(`${connection.user}:${connection.password}`).toString('base64')}`;
  const get = nodeStreamFetch({ Authorization: authorization });
  const fetch = (url: string, init: { headers: Record<string, string>; signal: AbortSignal }) => get(url, init);
  return pageStreamFetch({ baseUri: `${connection.url}/`, orgId: 1 }, fetch as unknown as typeof globalThis.fetch);
}
