/**
 * STAND-IN for Grafana's data source proxy, used by the plugin-level real-stack checks until a real Grafana
 * server runs in the test bed. It gives the plugin's kube client a `getBackendSrv().fetch`-shaped function that
 * forwards `<base>/kube/<path>` to the real kube-apiserver of the test bed the way our routes in
 * src/datasource/plugin.json do: GET for every path, POST only for SelfSubjectAccessReviews, the
 * `Authorization: Bearer` header from the stored token, TLS verified against the cluster CA. Like Grafana, it
 * answers an upstream 401 with HTTP 400 "Authentication to data source failed", a transport error with 502,
 * and refuses what no route allows. Everything behind it (kube-apiserver, RBAC, Argo Rollouts) is real.
 */
import https from 'node:https';

import type { BackendSrvRequest, FetchResponse } from '@grafana/runtime';
import { Observable } from 'rxjs';

import { HarnessTimeout, requestDeadline } from './deadline';

import {
  fetchError,
  fetchResponse,
  parseBody,
  withParams,
} from '../../../src/datasource/kube/testing/backend-srv-shape';

export interface ProxyTarget {
  apiServerUrl: string;
  token: string;
  caCert: string;
}

export const PROXY_BASE_URL = '/api/datasources/proxy/uid/testbed';
const ROUTE_PREFIX = `${PROXY_BASE_URL}/kube`;
const ACCESS_REVIEW_PATH = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews';

export function proxyFetch(target: ProxyTarget) {
  const server = new URL(target.apiServerUrl);
  const agent = new https.Agent({ ca: target.caCert, keepAlive: true });
  const counts = { requests: 0 };

  const fetch = <T>(options: BackendSrvRequest): Observable<FetchResponse<T>> =>
    new Observable<FetchResponse<T>>((subscriber) => {
      const method = (options.method ?? 'GET').toUpperCase();
      const [pathOnly, inlineQuery] = options.url.split('?');
      if (!pathOnly.startsWith(ROUTE_PREFIX)) {
        subscriber.error(fetchError(502, 'Bad Gateway', '', options));
        return;
      }
      const kubePath = pathOnly.slice(ROUTE_PREFIX.length) || '/';
      const routed = method === 'GET' || (method === 'POST' && kubePath === ACCESS_REVIEW_PATH);
      if (!routed) {
        subscriber.error(fetchError(502, 'Bad Gateway', '', options));
        return;
      }
      const body = options.data === undefined ? undefined : JSON.stringify(options.data);
      const headers: Record<string, string | number> = {
        Accept: 'application/json',
        Authorization: `Bearer ${target.token}`,
      };
      if (body !== undefined) {
        headers['Content-Type'] = 'application/json';
        headers['Content-Length'] = Buffer.byteLength(body);
      }
      counts.requests++;
      const request = https.request(
        {
          hostname: server.hostname,
          port: server.port,
          path: withParams(inlineQuery ? `${kubePath}?${inlineQuery}` : kubePath, options.params),
          method,
          headers,
          agent,
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            const data = parseBody(Buffer.concat(chunks).toString('utf8'));
            const status = response.statusCode ?? 0;
            const statusText = response.statusMessage ?? '';
            if (status === 401) {
              // Grafana's rule: an upstream 401 becomes a 400 with this text.
              subscriber.error(fetchError(400, 'Bad Request', 'Authentication to data source failed', options));
            } else if (status < 200 || status >= 300) {
              subscriber.error(fetchError(status, statusText, data, options));
            } else {
              subscriber.next(fetchResponse(data as T, status, statusText, options));
              subscriber.complete();
            }
          });
        }
      );
      requestDeadline(request, `${method} ${kubePath}`);
      // Grafana answers a transport error with 502; the harness giving up is not Grafana's answer and says so.
      request.on('error', (error) =>
        subscriber.error(error instanceof HarnessTimeout ? error : fetchError(502, 'Bad Gateway', '', options))
      );
      if (body !== undefined) {
        request.write(body);
      }
      request.end();
      return () => request.destroy();
    });

  return { fetch, counts, close: () => agent.destroy() };
}
