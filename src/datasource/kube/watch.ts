import type { Status } from 'kubernetes-types/meta/v1';

import { timeoutSignal } from './deadline';
import { classifyFailure, isKubernetesStatus, KubeError, type RequestContext } from './errors';
import { type KubeResource, listPath, qualifiedName } from './resources';

/**
 * The part of the browser's `fetch` a watch needs: a GET whose answer has a readable body stream. `Response`
 * fits it.
 */
export type StreamFetch = (
  url: string,
  init: { headers: Record<string, string>; signal: AbortSignal }
) => Promise<StreamResponse>;

export interface StreamResponse {
  status: number;
  body: ReadableStream<Uint8Array> | null;
  text(): Promise<string>;
}

/** Where the page is and which organisation the user works in: what Grafana's backendSrv adds to a request. */
export interface PageContext {
  /** `document.baseURI`: the page's `<base href>`, which carries Grafana's sub-path. */
  baseUri: string;
  /** The signed-in user's organisation (`config.bootData.user.orgId`). */
  orgId?: number;
}

/**
 * The browser's `fetch`, for requests that backendSrv cannot make (it reads whole bodies), built as backendSrv
 * builds its own (parseRequestOptions, parseInitFromOptions in Grafana's public/app/core): a URL without its
 * leading `/` resolves against the page's `<base href>`, `X-Grafana-Org-Id` names the organisation, and the session
 * cookie goes along (`credentials: 'same-origin'`).
 */
export function pageStreamFetch(page: PageContext, fetch: typeof globalThis.fetch = globalThis.fetch): StreamFetch {
  return (url, init) => {
    const headers: Record<string, string> = { ...init.headers };
    if (page.orgId) {
      headers['X-Grafana-Org-Id'] = String(page.orgId);
    }
    const target = /^https?:/.test(url) ? url : new URL(url.replace(/^\/+/, ''), page.baseUri).toString();
    return fetch(target, { method: 'GET', headers, credentials: 'same-origin', signal: init.signal });
  };
}

/** One change a watch reports (https://kubernetes.io/docs/reference/using-api/api-concepts/#watch-events). */
export type WatchEvent<T> =
  | { type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: T; resourceVersion: string }
  | { type: 'BOOKMARK'; resourceVersion: string };

export interface WatchRequest<T> {
  resource: KubeResource<T>;
  /** Undefined: every namespace. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Changes after this version are reported (the list's resourceVersion, or the last one seen). */
  resourceVersion: string;
  /** The API server ends the watch after this long; the reflector then watches again. */
  timeoutSeconds: number;
}

export interface WatchOptions {
  /** Where Kubernetes paths are appended: `kubeProxyBaseUrl(instanceSettings.url)`. */
  baseUrl: string;
  fetch: StreamFetch;
  /** How long to wait for the response headers; once they arrived the stream may last as long as it likes. */
  requestTimeoutMs: number;
  signal: AbortSignal;
  /** The headers arrived with 200: the watch is established. */
  onOpen?: () => void;
  onEvent: (event: WatchEvent<unknown>) => void;
}

/** How a watch ended without an error. */
export type WatchEnd =
  /** The API server closed the stream (its timeout): watch again from the last resourceVersion. */
  | 'closed'
  /** 410 Gone: the resourceVersion is older than the API server's history; list again. */
  | 'gone';

/** No byte for this long beyond the API server's own timeout: the connection is taken for dead. */
const SILENCE_GRACE_MS = 30_000;

function queryOf(params: Record<string, string | number | undefined>): string {
  return Object.keys(params)
    .filter((key) => params[key] !== undefined && params[key] !== '')
    .sort()
    .map((key) => `${key}=${encodeURIComponent(String(params[key]))}`)
    .join('&');
}

/** `watch=1&resourceVersion=…&allowWatchBookmarks=true` on the list path of the resource and scope. */
export function watchUrl(baseUrl: string, request: WatchRequest<unknown>): string {
  const query = queryOf({
    allowWatchBookmarks: 'true',
    fieldSelector: request.fieldSelector,
    labelSelector: request.labelSelector,
    resourceVersion: request.resourceVersion,
    timeoutSeconds: request.timeoutSeconds,
    watch: 1,
  });
  return `${baseUrl.replace(/\/+$/, '')}${listPath(request.resource, request.namespace)}?${query}`;
}

function parseBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function resourceVersionOf(object: unknown): string {
  const version = (object as { metadata?: { resourceVersion?: unknown } } | null)?.metadata?.resourceVersion;
  return typeof version === 'string' ? version : '';
}

/**
 * One watch request: resolves with how the stream ended, or rejects with a KubeError (an HTTP error, an ERROR event
 * other than 410, a broken or silent stream). Every event is handed to `onEvent` as it arrives.
 */
export async function watch(request: WatchRequest<unknown>, options: WatchOptions): Promise<WatchEnd> {
  const context: RequestContext = {
    path: listPath(request.resource, request.namespace),
    verb: 'watch',
    resource: qualifiedName(request.resource),
    namespace: request.namespace,
  };
  const attempt = timeoutSignal(options.signal, options.requestTimeoutMs);
  let response: StreamResponse;
  try {
    response = await options.fetch(watchUrl(options.baseUrl, request), {
      headers: { Accept: 'application/json' },
      signal: attempt.signal,
    });
  } catch (error) {
    const timedOut = attempt.timedOut();
    attempt.clear();
    if (options.signal.aborted) {
      throw error;
    }
    throw classifyFailure(
      timedOut
        ? { timedOut: { afterMs: options.requestTimeoutMs, limit: 'request' } }
        : { status: undefined, data: error instanceof Error ? error.message : undefined },
      context
    );
  }
  // The headers are here: from now on only the caller's signal and the silence limit end the stream.
  attempt.clear();
  if (response.status === 410) {
    return 'gone';
  }
  if (response.status !== 200) {
    throw classifyFailure({ status: response.status, data: parseBody(await response.text()) }, context);
  }
  if (!response.body) {
    throw new KubeError({
      kind: 'badResponse',
      message: 'This browser cannot read a streamed answer, so the data source cannot watch; it lists instead.',
      path: context.path,
    });
  }
  options.onOpen?.();
  return readEvents(response.body, request, options, context);
}

async function readEvents(
  body: ReadableStream<Uint8Array>,
  request: WatchRequest<unknown>,
  options: WatchOptions,
  context: RequestContext
): Promise<WatchEnd> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const silenceMs = request.timeoutSeconds * 1000 + SILENCE_GRACE_MS;
  let silent = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const listen = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      silent = true;
      void reader.cancel();
    }, silenceMs);
  };
  const stop = () => void reader.cancel();
  options.signal.addEventListener('abort', stop, { once: true });
  let pending = '';
  try {
    listen();
    for (;;) {
      const { done, value } = await reader.read();
      if (silent) {
        throw new KubeError({
          kind: 'timeout',
          message: `The watch of ${context.path} sent nothing for ${Math.round(silenceMs / 1000)} s.`,
          path: context.path,
        });
      }
      if (done) {
        return 'closed';
      }
      listen();
      pending += decoder.decode(value, { stream: true });
      let start = 0;
      for (let newline = pending.indexOf('\n'); newline >= 0; newline = pending.indexOf('\n', start)) {
        const line = pending.slice(start, newline).trim();
        start = newline + 1;
        if (line !== '' && handleLine(line, options, context) === 'gone') {
          return 'gone';
        }
      }
      pending = pending.slice(start);
    }
  } finally {
    clearTimeout(timer);
    options.signal.removeEventListener('abort', stop);
    reader.releaseLock();
  }
}

function handleLine(line: string, options: WatchOptions, context: RequestContext): 'gone' | undefined {
  let parsed: { type?: unknown; object?: unknown };
  try {
    parsed = JSON.parse(line);
  } catch {
    throw new KubeError({
      kind: 'badResponse',
      message: `The watch of ${context.path} sent a line that is not JSON.`,
      path: context.path,
      detail: line.slice(0, 200),
    });
  }
  const { type, object } = parsed;
  if (type === 'ERROR') {
    const status = isKubernetesStatus(object) ? (object as Status) : undefined;
    if (status?.code === 410) {
      return 'gone';
    }
    throw classifyFailure({ status: status?.code ?? 500, data: object }, context);
  }
  if (type === 'BOOKMARK') {
    options.onEvent({ type, resourceVersion: resourceVersionOf(object) });
  } else if (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED') {
    options.onEvent({ type, object, resourceVersion: resourceVersionOf(object) });
  }
  return undefined;
}
