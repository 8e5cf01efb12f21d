import type { SelfSubjectAccessReview } from 'kubernetes-types/authorization/v1';
import type { APIResource, ListMeta } from 'kubernetes-types/meta/v1';
import type { Info } from 'kubernetes-types/version';

import { SharedRequests } from './coalesce';
import { type Deadline, DEFAULT_REQUEST_TIMEOUT_SECONDS, remainingMs, timeoutSignal } from './deadline';
import {
  cancelledError,
  classifyFailure,
  deadlinePassedError,
  type HttpFailure,
  isKubeError,
  KubeError,
  notKubernetesError,
  type RequestContext,
} from './errors';
import { type KubeResource, listPath, objectPath, qualifiedName } from './resources';
import {
  abortableSleep,
  type AttemptOutcome,
  DEFAULT_RETRY_POLICY,
  isIdempotent,
  isRetryableStatus,
  retryAfterSeconds,
  type RetryPolicy,
  type Sleep,
  withRetries,
} from './retry';
import { fetchOnce, type HttpRequest, type KubeFetch } from './transport';
import { type StreamFetch, watch, type WatchEnd, type WatchEvent, type WatchRequest } from './watch';

/** Route prefix of the data source proxy (see the data source's plugin.json). */
export const KUBE_ROUTE_PREFIX = 'kube';

/** `${instanceSettings.url}/kube`: where Kubernetes paths are appended. */
export function kubeProxyBaseUrl(instanceUrl: string): string {
  return `${instanceUrl.replace(/\/+$/, '')}/${KUBE_ROUTE_PREFIX}`;
}

export const DEFAULT_PAGE_SIZE = 500;
export const DEFAULT_CACHE_TTL_MS = 3_000;
export const DEFAULT_CACHE_MAX_ENTRIES = 64;
/**
 * The items of a list's pages in one array, allocated once: growing one array page by page leaves a trail of
 * outgrown copies, which for a list of 100,000 items is megabytes of garbage.
 */
export function joinPages<T>(pages: readonly T[][]): T[] {
  return pages.length === 1 ? pages[0] : pages.flat();
}

/**
 * Removes `metadata.managedFields` from the items of a page as it arrives. Nothing here reads them, and they are a
 * third to a half of what the API server sends for each object; kept, they would be held as long as the list.
 */
export function dropManagedFields<T>(items: T[]): T[] {
  for (const item of items) {
    const metadata = (item as { metadata?: { managedFields?: unknown } } | null)?.metadata;
    if (metadata?.managedFields !== undefined) {
      // The API server writes managedFields last in metadata, and deleting the last property is cheap.
      delete metadata.managedFields;
    }
  }
  return items;
}

/** A server that never stops sending continue tokens must not keep us paging forever. */
const MAX_PAGES = 1_000;

export interface KubeClientOptions {
  /** `kubeProxyBaseUrl(instanceSettings.url)`. */
  baseUrl: string;
  /** `(options) => getBackendSrv().fetch(options)`. */
  fetch: KubeFetch;
  retry?: Partial<RetryPolicy>;
  sleep?: Sleep;
  random?: () => number;
  now?: () => number;
  /** How long finished GET results are shared; 0 turns the cache off. */
  cacheTtlMs?: number;
  cacheMaxEntries?: number;
  /** Items per page of a list. */
  pageSize?: number;
  /** How long one request may wait for its answer before it is given up (and retried); default 15 s. */
  requestTimeoutMs?: number;
  /** The browser's `fetch` for watches (`pageStreamFetch`); without it the client cannot watch. */
  streamFetch?: StreamFetch;
}

export interface CallOptions {
  signal?: AbortSignal;
  /** Ignore the short-lived results cache (still joins an identical request in flight). */
  bypassCache?: boolean;
  /** The deadline of the query the call belongs to: no request and no retry goes past it. */
  deadline?: Deadline;
}

export interface ListOptions extends CallOptions {
  /** Undefined or empty: all namespaces. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Page size; default 500. */
  limit?: number;
  /**
   * Default true: the first page asks for `resourceVersion=0&resourceVersionMatch=NotOlderThan`, which the API
   * server answers from its watch cache instead of a quorum read of etcd. The data may be slightly stale, which
   * a dashboard tolerates. Later pages send only `continue` (Kubernetes rejects resourceVersionMatch with
   * continue), and the token pins them to the first page's snapshot. Set false for the most recent data.
   */
  fromWatchCache?: boolean;
}

/** A list whose items are turned into something else page by page, as each page arrives (see `KubeClient.list`). */
export interface MappedListOptions<T, U> extends ListOptions {
  /** Makes what is kept of each item, or undefined to leave it out. */
  mapItem: (item: T) => U | undefined;
}

export interface ListResult<T> {
  items: T[];
  /** resourceVersion of the list (of its first page's snapshot). */
  resourceVersion: string;
}

export interface GetOptions extends CallOptions {
  namespace?: string;
}

export interface ApiGroupResources {
  groupVersion: string;
  /** Top-level resources only (subresources such as `rollouts/status` left out). */
  resources: APIResource[];
}

export interface AccessReviewRequest {
  verb: string;
  /** '' for the core group, '*' for every group. */
  group: string;
  resource: string;
  /** Undefined: cluster-wide. */
  namespace?: string;
}

export interface AccessReviewResult {
  allowed: boolean;
  /** True when an authorizer explicitly denied (RBAC never does; it only fails to allow). */
  denied: boolean;
  reason?: string;
  evaluationError?: string;
}

interface KubeListBody<T> {
  items?: T[] | null;
  metadata?: ListMeta;
}

/** Path building rejects bad names with a RangeError; callers get the same KubeError as for the server's 400. */
function pathOrInvalid(build: () => string): string {
  try {
    return build();
  } catch (error) {
    if (error instanceof RangeError) {
      throw new KubeError({ kind: 'invalidRequest', message: `${error.message}.` });
    }
    throw error;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sortedQuery(params: Record<string, string | number>): string {
  return Object.keys(params)
    .sort()
    .map((key) => `${key}=${encodeURIComponent(String(params[key]))}`)
    .join('&');
}

/** What the rest of the data source reads through: the client, or the client bound to a query's deadline. */
export type KubeApi = Pick<KubeClient, 'list' | 'get' | 'version' | 'apiGroupResources' | 'accessReview'>;

/** What a watch reports to its caller. */
export interface WatchHandlers {
  signal: AbortSignal;
  /** The response headers arrived with 200: the watch is established. */
  onOpen?: () => void;
  onEvent: (event: WatchEvent<unknown>) => void;
}

/**
 * The only code that speaks HTTP to Kubernetes, through Grafana's data source proxy: paginated lists, discovery,
 * /version and SelfSubjectAccessReviews, with a timeout per request, retries of reads within the query's deadline,
 * cancellation, request sharing and KubeErrors.
 */
export class KubeClient {
  private readonly baseUrl: string;
  private readonly fetch: KubeFetch;
  private readonly retryPolicy: RetryPolicy;
  private readonly sleep: Sleep;
  private readonly random: () => number;
  private readonly now: () => number;
  private readonly pageSize: number;
  private readonly requestTimeoutMs: number;
  private readonly shared: SharedRequests;
  private readonly streamFetch: StreamFetch | undefined;

  constructor(options: KubeClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.fetch = options.fetch;
    this.retryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.sleep = options.sleep ?? abortableSleep;
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
    this.pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
    this.requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_SECONDS * 1000;
    this.streamFetch = options.streamFetch;
    this.shared = new SharedRequests({
      ttlMs: options.cacheTtlMs ?? DEFAULT_CACHE_TTL_MS,
      maxEntries: options.cacheMaxEntries ?? DEFAULT_CACHE_MAX_ENTRIES,
      now: this.now,
    });
  }

  /** The same client, with every call bound to `deadline` (a call's own deadline still wins). */
  within(deadline: Deadline): KubeApi {
    return {
      list: ((resource: KubeResource<unknown>, options: ListOptions = {}) =>
        this.list(resource, { deadline, ...options })) as KubeClient['list'],
      get: (resource, name, options = {}) => this.get(resource, name, { deadline, ...options }),
      version: (options = {}) => this.version({ deadline, ...options }),
      apiGroupResources: (groupVersion, options = {}) => this.apiGroupResources(groupVersion, { deadline, ...options }),
      accessReview: (review, options = {}) => this.accessReview(review, { deadline, ...options }),
    };
  }

  /**
   * Every item of a kind, cluster-wide or in one namespace, following `continue` tokens to the end. With `mapItem`,
   * each page's items are mapped as the page arrives, so that the raw items of a page are garbage before the next
   * page is read. Mapped lists are shared among callers that map them (each kind is mapped one way), never with
   * callers that read the items as they came.
   */
  async list<T>(resource: KubeResource<T>, options?: ListOptions): Promise<ListResult<T>>;
  async list<T, U>(resource: KubeResource<T>, options: MappedListOptions<T, U>): Promise<ListResult<U>>;
  async list<T, U>(
    resource: KubeResource<T>,
    options: ListOptions | MappedListOptions<T, U> = {}
  ): Promise<ListResult<T | U>> {
    const path = pathOrInvalid(() => listPath(resource, options.namespace));
    const limit = options.limit ?? this.pageSize;
    if (!Number.isInteger(limit) || limit < 1) {
      throw new KubeError({
        kind: 'invalidRequest',
        message: `The page size must be a positive integer, not ${limit}.`,
      });
    }
    const selectors: Record<string, string> = {};
    if (options.labelSelector) {
      selectors.labelSelector = options.labelSelector;
    }
    if (options.fieldSelector) {
      selectors.fieldSelector = options.fieldSelector;
    }
    const fromWatchCache = options.fromWatchCache ?? true;
    const firstPage: Record<string, string | number> = {
      ...selectors,
      limit,
      ...(fromWatchCache ? { resourceVersion: '0', resourceVersionMatch: 'NotOlderThan' } : {}),
    };
    const context: RequestContext = {
      path,
      verb: 'list',
      resource: qualifiedName(resource),
      namespace: options.namespace || undefined,
    };
    const mapItem = 'mapItem' in options ? options.mapItem : undefined;
    const mapPage = mapItem ? (items: T[]) => mappedItems(items, mapItem) : (items: T[]) => items;
    const key = `GET ${path}?${sortedQuery(firstPage)}`;
    return this.shared.run(
      mapItem ? `${key} mapped` : key,
      (signal) =>
        this.readAllPages<T, T | U>(context, firstPage, { ...selectors, limit }, mapPage, signal, options.deadline),
      options
    );
  }

  /** Whether this client can watch (it was given the browser's `fetch`). */
  get canWatch(): boolean {
    return this.streamFetch !== undefined;
  }

  /**
   * One watch request through the data source proxy: resolves with how the stream ended (`closed` by the API server,
   * or `gone`: 410, list again), rejects with a KubeError. The request timeout applies until the headers arrive.
   */
  watch(request: WatchRequest<unknown>, handlers: WatchHandlers): Promise<WatchEnd> {
    if (!this.streamFetch) {
      return Promise.reject(
        new KubeError({ kind: 'badResponse', message: 'This data source was not given a way to stream watches.' })
      );
    }
    return watch(request, {
      baseUrl: this.baseUrl,
      fetch: this.streamFetch,
      requestTimeoutMs: this.requestTimeoutMs,
      ...handlers,
    });
  }

  /** One object by name. */
  async get<T>(resource: KubeResource<T>, name: string, options: GetOptions = {}): Promise<T> {
    const path = pathOrInvalid(() => objectPath(resource, name, options.namespace));
    const context: RequestContext = {
      path,
      verb: 'get',
      resource: qualifiedName(resource),
      namespace: options.namespace,
    };
    return this.shared.run(
      `GET ${path}`,
      async (signal) => {
        const data = await this.send({ method: 'GET', url: this.url(path) }, context, signal, options.deadline);
        if (!isObject(data) || typeof data.kind !== 'string') {
          throw notKubernetesError(data, context, 200);
        }
        return data as T;
      },
      options
    );
  }

  /** GET /version: the API server's build, e.g. gitVersion `v1.34.1`. */
  version(options: CallOptions = {}): Promise<Info> {
    const context: RequestContext = { path: '/version', verb: 'get' };
    return this.shared.run(
      'GET /version',
      async (signal) => {
        const data = await this.send({ method: 'GET', url: this.url(context.path) }, context, signal, options.deadline);
        if (!isObject(data) || typeof data.gitVersion !== 'string') {
          throw notKubernetesError(data, context, 200);
        }
        return data as unknown as Info;
      },
      options
    );
  }

  /** Discovery of one group version, e.g. `argoproj.io/v1alpha1` (GET /apis/argoproj.io/v1alpha1) or `v1`. */
  async apiGroupResources(groupVersion: string, options: CallOptions = {}): Promise<ApiGroupResources> {
    if (!/^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?v[0-9]+((alpha|beta)[0-9]+)?$/.test(groupVersion)) {
      throw new KubeError({
        kind: 'invalidRequest',
        message: `"${groupVersion}" is not a group/version such as argoproj.io/v1alpha1.`,
      });
    }
    const path = groupVersion.includes('/') ? `/apis/${groupVersion}` : `/api/${groupVersion}`;
    const context: RequestContext = { path, verb: 'get' };
    return this.shared.run(
      `GET ${path}`,
      async (signal) => {
        const data = await this.send({ method: 'GET', url: this.url(path) }, context, signal, options.deadline);
        if (!isObject(data) || !Array.isArray(data.resources)) {
          throw notKubernetesError(data, context, 200);
        }
        const resources = (data.resources as APIResource[]).filter((resource) => !resource.name.includes('/'));
        return { groupVersion: typeof data.groupVersion === 'string' ? data.groupVersion : groupVersion, resources };
      },
      options
    );
  }

  /** Asks the API server whether this data source's identity may do `verb` (SelfSubjectAccessReview). */
  async accessReview(
    review: AccessReviewRequest,
    options: Pick<CallOptions, 'signal' | 'deadline'> = {}
  ): Promise<AccessReviewResult> {
    const path = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews';
    const body: SelfSubjectAccessReview = {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      spec: {
        resourceAttributes: {
          verb: review.verb,
          group: review.group,
          resource: review.resource,
          ...(review.namespace ? { namespace: review.namespace } : {}),
        },
      },
    };
    const context: RequestContext = {
      path,
      verb: 'create',
      resource: 'selfsubjectaccessreviews.authorization.k8s.io',
    };
    const controller = new AbortController();
    const forward = () => controller.abort();
    options.signal?.addEventListener('abort', forward, { once: true });
    try {
      if (options.signal?.aborted) {
        throw cancelledError(path);
      }
      const data = await this.send(
        { method: 'POST', url: this.url(path), data: body, readOnly: true },
        context,
        controller.signal,
        options.deadline
      );
      const status = isObject(data) && isObject(data.status) ? data.status : undefined;
      if (!status || typeof status.allowed !== 'boolean') {
        throw notKubernetesError(data, context, 201);
      }
      return {
        allowed: status.allowed,
        denied: status.denied === true,
        reason: typeof status.reason === 'string' && status.reason ? status.reason : undefined,
        evaluationError:
          typeof status.evaluationError === 'string' && status.evaluationError ? status.evaluationError : undefined,
      };
    } finally {
      options.signal?.removeEventListener('abort', forward);
    }
  }

  /** Resolves once no request of this client is running (also those every caller gave up on). */
  whenIdle(): Promise<void> {
    return this.shared.whenIdle();
  }

  private url(path: string): string {
    return `${this.baseUrl}${path}`;
  }

  private async readAllPages<T, U>(
    context: RequestContext,
    firstPage: Record<string, string | number>,
    nextPage: Record<string, string | number>,
    mapPage: (items: T[]) => U[],
    signal: AbortSignal,
    deadline: Deadline | undefined
  ): Promise<ListResult<U>> {
    let restarted = false;
    for (;;) {
      try {
        return await this.readPages<T, U>(context, firstPage, nextPage, mapPage, signal, deadline);
      } catch (error) {
        // A continue token expires after a few minutes (410 Expired); a consistent list must start over.
        if (isKubeError(error) && error.kind === 'expired' && !restarted) {
          restarted = true;
          continue;
        }
        throw error;
      }
    }
  }

  private async readPages<T, U>(
    context: RequestContext,
    firstPage: Record<string, string | number>,
    nextPage: Record<string, string | number>,
    mapPage: (items: T[]) => U[],
    signal: AbortSignal,
    deadline: Deadline | undefined
  ): Promise<ListResult<U>> {
    const pages: U[][] = [];
    let resourceVersion = '';
    let token: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const params = token === undefined ? firstPage : { ...nextPage, continue: token };
      const data = await this.send({ method: 'GET', url: this.url(context.path), params }, context, signal, deadline);
      if (!isObject(data) || !(Array.isArray(data.items) || data.items === null)) {
        throw notKubernetesError(data, context, 200);
      }
      const body = data as KubeListBody<T>;
      pages.push(mapPage(dropManagedFields(body.items ?? [])));
      if (token === undefined) {
        resourceVersion = body.metadata?.resourceVersion ?? '';
      }
      const next = body.metadata?.continue;
      if (!next) {
        return { items: joinPages(pages), resourceVersion };
      }
      if (next === token) {
        throw new KubeError({
          kind: 'badResponse',
          message: `The API server returned the same continue token twice for ${context.path}; the list cannot be completed.`,
          path: context.path,
        });
      }
      token = next;
    }
    throw new KubeError({
      kind: 'badResponse',
      message: `The list at ${context.path} did not end after ${MAX_PAGES} pages; narrow the query.`,
      path: context.path,
    });
  }

  /**
   * One request: each attempt waits at most the request timeout (less when the deadline is nearer), and reads are
   * retried within the policy and the deadline. Resolves with the body or rejects with a KubeError.
   */
  private send(
    request: HttpRequest,
    context: RequestContext,
    signal: AbortSignal,
    deadline: Deadline | undefined
  ): Promise<unknown> {
    const cancelled = () => cancelledError(context.path);
    return withRetries<unknown>(
      async () => {
        const timeoutMs = Math.min(this.requestTimeoutMs, remainingMs(deadline, this.now()));
        if (timeoutMs <= 0 && deadline !== undefined) {
          return { ok: false, error: deadlinePassedError(context, deadline.seconds), retryable: false };
        }
        const attempt = timeoutSignal(signal, timeoutMs);
        try {
          const outcome = await fetchOnce(this.fetch, request, attempt.signal);
          return outcome.ok ? { ok: true, value: outcome.data } : this.failedAttempt(request, context, outcome);
        } catch (error) {
          if (attempt.timedOut()) {
            const limit = timeoutMs < this.requestTimeoutMs ? 'deadline' : 'request';
            return this.failedAttempt(request, context, { failure: { timedOut: { afterMs: timeoutMs, limit } } });
          }
          throw isKubeError(error) && error.kind === 'cancelled' ? cancelled() : error;
        } finally {
          attempt.clear();
        }
      },
      {
        policy: this.retryPolicy,
        deadline,
        signal,
        sleep: this.sleep,
        random: this.random,
        now: this.now,
        cancelled,
      }
    );
  }

  private failedAttempt(
    request: HttpRequest,
    context: RequestContext,
    { failure, headers }: { failure: HttpFailure; headers?: Pick<Headers, 'get'> }
  ): AttemptOutcome<never> {
    return {
      ok: false,
      error: classifyFailure(failure, context),
      retryable: (request.readOnly || isIdempotent(request.method)) && isRetryableStatus(failure.status),
      retryAfterSeconds: retryAfterSeconds(failure.data, headers),
    };
  }
}

/** A page's items as `list` keeps them with `mapItem`: mapped, the undefined ones left out. */
export function mappedItems<T, U>(items: T[], mapItem: (item: T) => U | undefined): U[] {
  const mapped: U[] = [];
  for (const item of items) {
    const kept = mapItem(item);
    if (kept !== undefined) {
      mapped.push(kept);
    }
  }
  return mapped;
}

export function createKubeClient(options: KubeClientOptions): KubeClient {
  return new KubeClient(options);
}
