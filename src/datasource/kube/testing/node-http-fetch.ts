/**
 * Stand-in for Grafana's backendSrv in jsdom tests (where Node's global fetch is not available): performs real
 * HTTP to 127.0.0.1 with node:http and returns the Observable `getBackendSrv().fetch` returns: a FetchResponse on
 * 2xx, otherwise an error shaped like backendSrv's FetchError `{status, statusText, data, config}`.
 * Unsubscribing aborts the request.
 */
import http from 'node:http';

import type { BackendSrvRequest, FetchResponse } from '@grafana/runtime';
import { Observable } from 'rxjs';

import type { KubeFetch } from '../transport';

function withParams(url: string, params: BackendSrvRequest['params']): string {
  const search = new URLSearchParams();
  Object.entries((params ?? {}) as Record<string, unknown>).forEach(([key, value]) => {
    if (value !== undefined && value !== null) {
      search.append(key, String(value));
    }
  });
  const text = search.toString();
  return text ? `${url}${url.includes('?') ? '&' : '?'}${text}` : url;
}

export function nodeHttpFetch(): KubeFetch {
  return <T>(options: BackendSrvRequest) =>
    new Observable<FetchResponse<T>>((subscriber) => {
      const url = new URL(withParams(options.url, options.params));
      const body = options.data === undefined ? undefined : JSON.stringify(options.data);
      const request = http.request(
        url,
        { method: options.method ?? 'GET', headers: body ? { 'Content-Type': 'application/json' } : {} },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let data: unknown = text;
            try {
              data = JSON.parse(text);
            } catch {
              // plain text stays text
            }
            const status = response.statusCode ?? 0;
            if (status >= 200 && status < 300) {
              subscriber.next({
                data: data as T,
                status,
                statusText: response.statusMessage ?? '',
                ok: true,
                headers: {} as Headers,
                redirected: false,
                type: 'basic',
                url: options.url,
                config: options,
              });
              subscriber.complete();
            } else {
              subscriber.error({ status, statusText: response.statusMessage ?? '', data, config: options });
            }
          });
        }
      );
      request.on('error', (error) =>
        subscriber.error({ status: 502, statusText: 'Bad Gateway', data: String(error), config: options })
      );
      if (body) {
        request.write(body);
      }
      request.end();
      return () => request.destroy();
    });
}
