/**
 * A `getBackendSrv().fetch`-shaped function that sends the plugin's requests over HTTP to the STAND-IN for
 * Grafana's server (tests/grafana-stand-in; Grafana cannot be built here, see docs/testing.md), with basic auth
 * as the admin. Relative URLs such as `/api/datasources/proxy/uid/<uid>/kube/...` are resolved against
 * GRAFANA_URL, the same way the browser resolves them against Grafana's origin. Like backendSrv, a JSON body is
 * parsed (text is kept when it is not JSON) and a non-2xx answer is an error with `status` and `data`.
 */
import http from 'node:http';

import type { BackendSrvRequest, FetchError, FetchResponse } from '@grafana/runtime';
import { Observable } from 'rxjs';

export interface GrafanaConnection {
  /** e.g. http://127.0.0.1:40123 (from <run dir>/grafana-url). */
  url: string;
  user: string;
  password: string;
}

function queryString(params: BackendSrvRequest['params']): string {
  if (!params) {
    return '';
  }
  const search = new URLSearchParams();
  Object.entries(params as Record<string, unknown>).forEach(([key, value]) => {
    if (value !== undefined && value !== null) {
      search.append(key, String(value));
    }
  });
  return search.toString();
}

function parseBody(text: string): unknown {
  if (text === '') {
    return undefined;
  }
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function grafanaFetch(connection: GrafanaConnection) {
  const origin = new URL(connection.url);
  const authorization = `Basic ${Buffer.from(`${connection.user}:${connection.password}`).toString('base64')}`;
  const requests: Array<{ method: string; url: string; status: number }> = [];

  const fetch = <T>(options: BackendSrvRequest): Observable<FetchResponse<T>> =>
    new Observable<FetchResponse<T>>((subscriber) => {
      const method = (options.method ?? 'GET').toUpperCase();
      const query = queryString(options.params);
      const requestPath = query ? `${options.url}${options.url.includes('?') ? '&' : '?'}${query}` : options.url;
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
            const data = parseBody(Buffer.concat(chunks).toString('utf8'));
            requests.push({ method, url: requestPath, status });
            if (status < 200 || status >= 300) {
              const error = { status, statusText: response.statusMessage ?? '', data, config: options } as FetchError;
              subscriber.error(error);
              return;
            }
            subscriber.next({
              data: data as T,
              status,
              statusText: response.statusMessage ?? '',
              ok: true,
              headers: new Headers(),
              redirected: false,
              type: 'basic',
              url: requestPath,
              config: options,
            });
            subscriber.complete();
          });
        }
      );
      request.on('error', (error) => subscriber.error(error));
      if (body !== undefined) {
        request.write(body);
      }
      request.end();
      return () => request.destroy();
    });

  return { fetch, requests };
}
