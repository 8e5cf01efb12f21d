/**
 * Stand-in for Grafana's backendSrv in jsdom tests (where Node's global fetch is not available): performs real
 * HTTP to 127.0.0.1 with node:http and returns the Observable `getBackendSrv().fetch` returns. Unsubscribing
 * aborts the request.
 */
import http from 'node:http';

import type { BackendSrvRequest, FetchResponse } from '@grafana/runtime';
import { Observable } from 'rxjs';

import type { KubeFetch } from '../transport';
import { fetchError, fetchResponse, parseBody, withParams } from './backend-srv-shape';

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
            const data = parseBody(Buffer.concat(chunks).toString('utf8'));
            const status = response.statusCode ?? 0;
            const statusText = response.statusMessage ?? '';
            if (status >= 200 && status < 300) {
              subscriber.next(fetchResponse(data as T, status, statusText, options));
              subscriber.complete();
            } else {
              subscriber.error(fetchError(status, statusText, data, options));
            }
          });
        }
      );
      request.on('error', (error) => subscriber.error(fetchError(502, 'Bad Gateway', String(error), options)));
      if (body) {
        request.write(body);
      }
      request.end();
      return () => request.destroy();
    });
}
