/**
 * A stand-in for the Kubernetes API server (behind Grafana's data source proxy), used by unit tests until the
 * real test bed (kube-apiserver + Grafana) replaces it in integration tests. It listens on 127.0.0.1, serves
 * under the proxy path `/api/datasources/proxy/uid/<uid>/kube`, and answers with the status bodies and list
 * semantics Kubernetes and Grafana really use: pagination with `limit`/`continue`/`remainingItemCount`, 410
 * Expired, 429 with Retry-After, 403 Forbidden Status objects, Grafana's 400 "Authentication to data source
 * failed" and its empty 502.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { Status } from 'kubernetes-types/meta/v1';

export const STAND_IN_PROXY_PATH = '/api/datasources/proxy/uid/stand-in/kube';

export interface RecordedRequest {
  method: string;
  /** Kubernetes path, without the proxy prefix. */
  path: string;
  query: URLSearchParams;
  body?: unknown;
  /** Set when the client went away before the answer was sent (an aborted fetch). */
  aborted: boolean;
  /** Resolves when the connection of this request is done, answered or aborted. */
  closed: Promise<void>;
  /** Bytes of the answer's body sent so far. */
  bytes: number;
}

export interface Reply {
  status: number;
  /** Objects are sent as JSON, strings as they are. */
  body?: unknown;
  headers?: Record<string, string>;
  /** A streamed answer (a watch): the headers go out at once, then whatever `stream` writes, until it ends. */
  stream?: (stream: ReplyStream) => void;
}

/** The body of a streamed answer, one chunk at a time, as the API server sends a watch. */
export interface ReplyStream {
  write(chunk: string): void;
  end(): void;
  /** Resolves when the client went away or the stream ended. */
  closed: Promise<void>;
}

export type Handler = (request: RecordedRequest) => Reply | Promise<Reply>;

export interface StandInApiServer {
  /** Pass to the kube client as its base URL. */
  baseUrl: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, reply: Reply, recorded: RecordedRequest): void {
  const { closed } = recorded;
  if (reply.stream) {
    response.writeHead(reply.status, { 'Content-Type': 'application/json', ...reply.headers });
    response.flushHeaders();
    reply.stream({
      write: (chunk) => {
        if (!response.destroyed && !response.writableEnded) {
          recorded.bytes += Buffer.byteLength(chunk);
          response.write(chunk);
        }
      },
      end: () => {
        if (!response.writableEnded) {
          response.end();
        }
      },
      closed,
    });
    return;
  }
  const isText = typeof reply.body === 'string' || reply.body === undefined;
  const payload = reply.body === undefined ? '' : isText ? String(reply.body) : JSON.stringify(reply.body);
  const contentType = isText ? 'text/plain; charset=utf-8' : 'application/json';
  recorded.bytes += Buffer.byteLength(payload);
  response.writeHead(reply.status, { 'Content-Type': contentType, ...reply.headers });
  response.end(payload);
}

export async function startStandInApiServer(handler: Handler): Promise<StandInApiServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const text = await readBody(request);
      let markClosed = () => {};
      const recorded: RecordedRequest = {
        method: request.method ?? 'GET',
        path: url.pathname.startsWith(STAND_IN_PROXY_PATH)
          ? url.pathname.slice(STAND_IN_PROXY_PATH.length)
          : url.pathname,
        query: url.searchParams,
        body: text ? JSON.parse(text) : undefined,
        aborted: false,
        bytes: 0,
        closed: new Promise<void>((resolve) => {
          markClosed = resolve;
        }),
      };
      requests.push(recorded);
      response.on('close', () => {
        if (!response.writableFinished) {
          recorded.aborted = true;
        }
        markClosed();
      });
      if (!url.pathname.startsWith(STAND_IN_PROXY_PATH)) {
        send(response, { status: 404, body: 'Not found' }, recorded);
        return;
      }
      const reply = await handler(recorded);
      if (!response.destroyed) {
        send(response, reply, recorded);
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}${STAND_IN_PROXY_PATH}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** Dispatches on `METHOD path`; anything else gets the API server's 404 Status. */
export function routes(table: Record<string, Handler>): Handler {
  return (request) => (table[`${request.method} ${request.path}`] ?? (() => notFound()))(request);
}

export function status(code: number, reason: string, message: string, details?: Status['details']): Status {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  };
}

export const EXPIRED_STATUS: Status = {
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message:
    'The provided continue parameter is too old to display a consistent list result. You can start a new list ' +
    'without the continue parameter, or use the continue token in this response to retrieve the remainder of the ' +
    'results. Continuing with the provided token results in an inconsistent list - objects that were created, ' +
    'modified, or deleted between the time the first chunk was returned and now may show up in the list.',
  reason: 'Expired',
  code: 410,
};

export function notFound(): Reply {
  return { status: 404, body: status(404, 'NotFound', 'the server could not find the requested resource', {}) };
}

export function forbidden(options: {
  user: string;
  verb: string;
  resource: string;
  group: string;
  namespace?: string;
}): Reply {
  const qualified = options.group ? `${options.resource}.${options.group}` : options.resource;
  const where = options.namespace ? `in the namespace "${options.namespace}"` : 'at the cluster scope';
  const message =
    `${qualified} is forbidden: User "${options.user}" cannot ${options.verb} resource "${options.resource}" ` +
    `in API group "${options.group}" ${where}`;
  return {
    status: 403,
    body: status(403, 'Forbidden', message, { group: options.group, kind: options.resource }),
  };
}

export function tooManyRequests(retryAfterSeconds: number): Reply {
  return {
    status: 429,
    headers: { 'Retry-After': String(retryAfterSeconds) },
    body: status(429, 'TooManyRequests', 'Too many requests, please try again later.', { retryAfterSeconds }),
  };
}

/** Grafana's data source proxy turns an upstream 401 into this. */
export function grafanaAuthenticationFailed(): Reply {
  return { status: 400, body: 'Authentication to data source failed' };
}

/** Grafana's data source proxy on a transport error (connection refused, TLS verification failed): no body. */
export function grafanaBadGateway(): Reply {
  return { status: 502 };
}

export function htmlPage(): Reply {
  return {
    status: 200,
    headers: { 'Content-Type': 'text/html; charset=utf-8' },
    body: '<!DOCTYPE html>\n<html><head><title>Welcome</title></head><body><h1>It works!</h1></body></html>',
  };
}

export interface CollectionOptions {
  kind: string;
  apiVersion: string;
  items: unknown[];
  resourceVersion: string;
  /** Answer the next request carrying a continue token with 410 Expired, this many times. */
  expireContinueTimes?: number;
}

interface ContinueToken {
  rv: string;
  start: number;
}

/**
 * A list endpoint with Kubernetes' chunking rules: `limit` caps a page, `continue` resumes at the snapshot of
 * the first page, `remainingItemCount` counts what is left, and `resourceVersionMatch` together with `continue`
 * is rejected as it is by the real API server.
 */
export function collection(options: CollectionOptions): Handler {
  let expirationsLeft = options.expireContinueTimes ?? 0;
  return (request) => {
    const continueParam = request.query.get('continue');
    const match = request.query.get('resourceVersionMatch');
    if (match && continueParam) {
      const reason = 'resourceVersionMatch is forbidden when continue is provided';
      return {
        status: 422,
        body: status(
          422,
          'Invalid',
          `ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: ${reason}`,
          {
            group: 'meta.k8s.io',
            kind: 'ListOptions',
            causes: [{ reason: 'FieldValueForbidden', message: `Forbidden: ${reason}`, field: 'resourceVersionMatch' }],
          }
        ),
      };
    }
    if (match && !request.query.get('resourceVersion')) {
      return {
        status: 422,
        body: status(422, 'Invalid', 'resourceVersionMatch is forbidden unless resourceVersion is provided'),
      };
    }
    let start = 0;
    let resourceVersion = options.resourceVersion;
    if (continueParam) {
      if (expirationsLeft > 0) {
        expirationsLeft--;
        return { status: 410, body: EXPIRED_STATUS };
      }
      const token = JSON.parse(Buffer.from(continueParam, 'base64').toString('utf8')) as ContinueToken;
      start = token.start;
      resourceVersion = token.rv;
    }
    const limitParam = Number(request.query.get('limit') ?? '0');
    const end = limitParam > 0 ? Math.min(start + limitParam, options.items.length) : options.items.length;
    const remaining = options.items.length - end;
    const metadata: Record<string, unknown> = { resourceVersion };
    if (remaining > 0) {
      const token: ContinueToken = { rv: resourceVersion, start: end };
      metadata.continue = Buffer.from(JSON.stringify(token), 'utf8').toString('base64');
      metadata.remainingItemCount = remaining;
    }
    return {
      status: 200,
      body: { kind: options.kind, apiVersion: options.apiVersion, metadata, items: options.items.slice(start, end) },
    };
  };
}

/** A promise the test resolves when it wants a held answer to go out. */
export function gate(): { opened: Promise<void>; open: () => void } {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}
