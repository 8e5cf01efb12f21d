import { ClusterStore, type StoredKind } from '../store/clusterStore';
import {
  compactAnalysisRun,
  compactEvent,
  compactExperiment,
  compactReplicaSet,
  compactRollout,
} from '../store/compact';
import type { StringPool } from '../store/stringPool';
import type { KubeClient } from './client';
import { type Deadline } from './deadline';
import { cancelledError, isKubeError } from './errors';
import {
  ANALYSIS_RUNS,
  EVENTS,
  EXPERIMENTS,
  type KubeResource,
  qualifiedName,
  REPLICA_SETS,
  ROLLOUTS,
} from './resources';
import { abortableSleep, type Sleep } from './retry';
import { StreamBudget, type StreamHolder } from './streamBudget';
import type { WatchEvent } from './watch';

/** One kind in one scope, as a query reads it: the resource, a namespace (undefined: all) and the selectors. */
export interface ScopeRequest {
  resource: KubeResource<unknown>;
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

/** How reading one requested scope went: `error` when its objects could not be read. */
export interface ScopeOutcome {
  request: ScopeRequest;
  error?: unknown;
}

export interface ReadOptions {
  signal?: AbortSignal;
  /** The query's deadline: lists and the refresh check end by it. */
  deadline?: Deadline;
}

/** What a scope does now, for the health check. */
export interface ScopeStatus {
  resource: string;
  /** Undefined: all namespaces. */
  namespace?: string;
  /** `watching`: changes stream in; `lists`: read by a list at every refresh, with the reason. */
  mode: 'watching' | 'connecting' | 'lists';
  reason?: string;
}

export interface InformerOptions {
  client: KubeClient;
  store?: ClusterStore;
  /** Shared by the data sources of one page (see streamBudget.ts). */
  streams?: StreamBudget;
  now?: () => number;
  sleep?: Sleep;
  random?: () => number;
  /** A scope no query read for this long, and that no open query reads, stops. Default 10 minutes. */
  idleMs?: number;
  /** The API server ends each watch after this long; it is then started again. Default 5 minutes. */
  watchTimeoutSeconds?: number;
  /** After falling back to lists, watching is tried again this much later. Default 10 minutes. */
  retryWatchAfterMs?: number;
  /** From this many namespaces of one kind on, one cluster-wide scope is used when the identity may list it. */
  clusterWideFrom?: number;
}

const MINUTE = 60_000;
/** A refresh check (and a list) vouches for the queries of one refresh, which start within this time. */
const REFRESH_WINDOW_MS = 3_000;
/** Watches that fail this many times in a row without ever delivering fall back to lists. */
const FAILURES_BEFORE_LISTS = 5;
const BACKOFF_FIRST_MS = 1_000;
const BACKOFF_MAX_MS = 30_000;

interface KindOf {
  kind: StoredKind;
  compact: (item: unknown, strings: StringPool) => unknown;
}

const KINDS = new Map<string, KindOf>([
  [ROLLOUTS.plural, { kind: 'Rollout', compact: compactRollout }],
  [REPLICA_SETS.plural, { kind: 'ReplicaSet', compact: compactReplicaSet }],
  [ANALYSIS_RUNS.plural, { kind: 'AnalysisRun', compact: compactAnalysisRun }],
  [EXPERIMENTS.plural, { kind: 'Experiment', compact: compactExperiment }],
  [EVENTS.plural, { kind: 'Event', compact: compactEvent }],
]);

/** The kinds that show a rollout's progress first, when not every scope can have a stream. */
const STREAM_PRIORITY = [EVENTS.plural, ROLLOUTS.plural, ANALYSIS_RUNS.plural, REPLICA_SETS.plural, EXPERIMENTS.plural];

const groupKey = (scope: ScopeRequest) =>
  `${scope.resource.plural}?${scope.labelSelector ?? ''}&${scope.fieldSelector ?? ''}`;
const scopeKey = (scope: ScopeRequest) => `${groupKey(scope)}@${scope.namespace ?? ''}`;

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Waits for `promise`, or rejects as the caller's signal aborts (the shared work goes on for the others). */
function joined<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) {
    return promise;
  }
  if (signal.aborted) {
    return Promise.reject(cancelledError());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(cancelledError());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      }
    );
  });
}

/**
 * The informer of one data source instance: for each kind and scope the queries read, a reflector lists it once
 * and then keeps one watch open through Grafana's data source proxy, so that a refresh of an unchanged cluster
 * makes no list. See docs/architecture.md for what happens on 410 Gone, a dropped stream, a missing watch
 * permission and an idle scope.
 */
export class Informer {
  readonly store: ClusterStore;
  readonly client: KubeClient;
  readonly streams: StreamBudget;
  readonly now: () => number;
  readonly sleep: Sleep;
  readonly random: () => number;
  readonly idleMs: number;
  readonly watchTimeoutSeconds: number;
  readonly retryWatchAfterMs: number;
  private readonly clusterWideFrom: number;
  private readonly reflectors = new Map<string, Reflector>();
  private readonly clusterWide = new Map<string, Promise<boolean>>();
  private check: { at: number; done: Promise<void> } | undefined;
  private sweepTimer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;

  constructor(options: InformerOptions) {
    this.client = options.client;
    this.store = options.store ?? new ClusterStore();
    this.streams = options.streams ?? new StreamBudget(Infinity);
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? abortableSleep;
    this.random = options.random ?? Math.random;
    this.idleMs = options.idleMs ?? 10 * MINUTE;
    this.watchTimeoutSeconds = options.watchTimeoutSeconds ?? 300;
    this.retryWatchAfterMs = options.retryWatchAfterMs ?? 10 * MINUTE;
    this.clusterWideFrom = options.clusterWideFrom ?? 4;
  }

  /**
   * Makes the store current for every requested scope: from the watch when one streams, else by a list (which starts
   * a watch). A refresh that can answer from the store first checks that the API server still answers and still
   * allows the identity to read (one SelfSubjectAccessReview per refresh): a server that is down or hangs, a token
   * that was revoked, fail the query as a list would; a revoked permission makes every scope list again, which
   * fails with the API server's own message.
   */
  async read(requests: readonly ScopeRequest[], options: ReadOptions = {}): Promise<ScopeOutcome[]> {
    if (this.stopped) {
      throw new Error('This data source instance was stopped.');
    }
    this.sweep();
    const scopes = await this.scopesFor(requests);
    const reflectors = scopes.map((scope) => this.reflectorFor(scope));
    const served = reflectors.find((reflector) => reflector.isCurrent());
    if (served) {
      await this.refreshCheck(served.scope, options);
    }
    const ordered = [...new Set(reflectors)].sort(
      (a, b) => STREAM_PRIORITY.indexOf(a.scope.resource.plural) - STREAM_PRIORITY.indexOf(b.scope.resource.plural)
    );
    const errors = new Map<Reflector, unknown>();
    await Promise.all(
      ordered.map((reflector) => reflector.makeCurrent(options).catch((error: unknown) => errors.set(reflector, error)))
    );
    this.retireCoveredScopes(reflectors.filter((reflector) => !errors.has(reflector)));
    const outcomes: ScopeOutcome[] = requests.map((request, index) => {
      const error = errors.get(reflectors[index]);
      return error === undefined ? { request } : { request, error };
    });
    // A cluster-wide scope read in place of namespaces and refused (the identity lost its cluster-wide access): the
    // kind is read per namespace again, where the identity may still read, or where the refusal names the namespace.
    const refusedWide = outcomes.filter(
      ({ request, error }, index) =>
        request.namespace !== undefined &&
        scopes[index].namespace === undefined &&
        isKubeError(error) &&
        error.kind === 'forbidden'
    );
    if (refusedWide.length === 0) {
      return outcomes;
    }
    for (const { request } of refusedWide) {
      this.clusterWide.set(request.resource.plural, Promise.resolve(false));
      this.reflectors.get(scopeKey({ ...request, namespace: undefined }))?.stop();
      this.reflectors.delete(scopeKey({ ...request, namespace: undefined }));
    }
    const again = await this.read(
      refusedWide.map(({ request }) => request),
      options
    );
    return outcomes.map((outcome) => (refusedWide.includes(outcome) ? again[refusedWide.indexOf(outcome)] : outcome));
  }

  /** Keeps the scopes of these requests watched while a query that reads them is open; returns the release. */
  hold(requests: readonly ScopeRequest[]): () => void {
    const held = requests
      .map((request) => this.reflectorOf(request))
      .filter((reflector): reflector is Reflector => reflector !== undefined);
    held.forEach((reflector) => reflector.leases++);
    let released = false;
    return () => {
      if (!released) {
        released = true;
        held.forEach((reflector) => {
          reflector.leases--;
          reflector.lastReadAt = this.now();
        });
      }
    };
  }

  /** Whether some scope of these requests streams changes. */
  isWatching(requests: readonly ScopeRequest[]): boolean {
    return requests.some((request) => this.reflectorOf(request)?.isCurrent() === true);
  }

  /**
   * Whether some scope of these requests streams changes or is connecting its watch: then an open query is answered
   * again on a change. Through Grafana's proxy a watch is still connecting when the first answer goes out (the proxy
   * sends the headers of a silent stream 200 ms later).
   */
  hasWatch(requests: readonly ScopeRequest[]): boolean {
    return requests.some((request) => this.reflectorOf(request)?.hasWatch() === true);
  }

  private reflectorOf(request: ScopeRequest): Reflector | undefined {
    return this.reflectors.get(scopeKey(request)) ?? this.coveringReflector(request);
  }

  /** What each scope does now. */
  status(): ScopeStatus[] {
    return [...this.reflectors.values()].map((reflector) => reflector.status());
  }

  /** Stops every watch and forgets every object. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.sweepTimer);
    for (const reflector of this.reflectors.values()) {
      reflector.stop();
    }
    this.reflectors.clear();
  }

  /** Whether the identity may list a kind in all namespaces: asked once per kind, again after a permission change. */
  private mayListClusterWide(resource: KubeResource<unknown>): Promise<boolean> {
    let answer = this.clusterWide.get(resource.plural);
    if (!answer) {
      answer = this.client
        .accessReview({ verb: 'list', group: resource.group, resource: resource.plural })
        .then((review) => review.allowed)
        .catch(() => false);
      this.clusterWide.set(resource.plural, answer);
    }
    return answer;
  }

  /**
   * The scopes to read: the requested ones, except that a kind read in many namespaces (or already read in all) is
   * read once in all namespaces when the identity may.
   */
  private async scopesFor(requests: readonly ScopeRequest[]): Promise<ScopeRequest[]> {
    const namespacesByGroup = new Map<string, Set<string>>();
    for (const request of requests) {
      if (request.namespace !== undefined) {
        const group = groupKey(request);
        namespacesByGroup.set(group, (namespacesByGroup.get(group) ?? new Set()).add(request.namespace));
      }
    }
    const wide = new Map<string, boolean>();
    await Promise.all(
      requests.map(async (request) => {
        const group = groupKey(request);
        if (request.namespace === undefined || wide.has(group)) {
          return;
        }
        const covering = this.reflectors.get(scopeKey({ ...request, namespace: undefined }));
        const many = (namespacesByGroup.get(group)?.size ?? 0) >= this.clusterWideFrom;
        wide.set(group, covering?.isListed() === true || (many && (await this.mayListClusterWide(request.resource))));
      })
    );
    return requests.map((request) =>
      request.namespace !== undefined && wide.get(groupKey(request)) ? { ...request, namespace: undefined } : request
    );
  }

  private reflectorFor(scope: ScopeRequest): Reflector {
    const key = scopeKey(scope);
    let reflector = this.reflectors.get(key);
    if (!reflector) {
      const kind = KINDS.get(scope.resource.plural);
      if (!kind) {
        throw new Error(`The data source does not keep ${qualifiedName(scope.resource)}.`);
      }
      reflector = new Reflector(scope, kind, this);
      this.reflectors.set(key, reflector);
      this.scheduleSweep();
    }
    return reflector;
  }

  /** The cluster-wide reflector that holds a namespaced request's objects, if it is listed. */
  private coveringReflector(request: ScopeRequest): Reflector | undefined {
    const covering = this.reflectors.get(scopeKey({ ...request, namespace: undefined }));
    return covering?.isListed() ? covering : undefined;
  }

  /** Once a kind is read in all namespaces, its namespaced scopes stop (their objects stay: the wide one has them). */
  private retireCoveredScopes(current: readonly Reflector[]): void {
    for (const wide of current) {
      if (wide.scope.namespace !== undefined) {
        continue;
      }
      for (const [key, reflector] of this.reflectors) {
        if (reflector.scope.namespace !== undefined && groupKey(reflector.scope) === groupKey(wide.scope)) {
          reflector.stop();
          this.reflectors.delete(key);
        }
      }
    }
  }

  /** One SelfSubjectAccessReview per refresh window (see `read`). */
  private refreshCheck(scope: ScopeRequest, options: ReadOptions): Promise<void> {
    const now = this.now();
    if (!this.check || now - this.check.at > REFRESH_WINDOW_MS) {
      const done = this.client
        .accessReview(
          { verb: 'list', group: scope.resource.group, resource: scope.resource.plural, namespace: scope.namespace },
          { deadline: options.deadline }
        )
        .then((review) => {
          if (!review.allowed) {
            this.permissionsChanged();
          }
        });
      // Answered for the queries of this refresh; a failure is theirs, not the next refresh's.
      done.catch(() => undefined);
      this.check = { at: now, done };
    }
    return joined(this.check.done, options.signal);
  }

  /** What the identity may do changed: every scope lists again, and the cluster-wide answers are asked again. */
  private permissionsChanged(): void {
    this.clusterWide.clear();
    for (const reflector of this.reflectors.values()) {
      reflector.forget();
    }
  }

  private sweep(): void {
    const now = this.now();
    for (const [key, reflector] of this.reflectors) {
      if (reflector.leases === 0 && now - reflector.lastReadAt > this.idleMs) {
        reflector.stop();
        this.store.drop(reflector.kindOf.kind, reflector.scope.namespace);
        this.reflectors.delete(key);
      }
    }
  }

  /** Idle scopes stop even when no query comes to notice them. */
  private scheduleSweep(): void {
    if (this.sweepTimer !== undefined || this.stopped) {
      return;
    }
    this.sweepTimer = setTimeout(() => {
      this.sweepTimer = undefined;
      this.sweep();
      if (this.reflectors.size > 0) {
        this.scheduleSweep();
      }
    }, MINUTE);
  }
}

/**
 * One kind in one scope: listed into the store, then watched. A read is served without a request while its watch
 * streams; otherwise it lists (and watches again).
 */
class Reflector {
  lastReadAt = 0;
  /** Open queries that read this scope. */
  leases = 0;
  private listed = false;
  private listedAt = -Infinity;
  private resourceVersion = '';
  /** A watch is established, or re-established after the API server closed it as it does now and then. */
  private streaming = false;
  private loop: AbortController | undefined;
  /** One of the page's streams is this scope's: kept when its watch is started again, given back when it stops. */
  private holdsStream = false;
  private readonly streamHolder: StreamHolder;
  private lists: { reason: string; until: number } | undefined;

  constructor(
    readonly scope: ScopeRequest,
    readonly kindOf: KindOf,
    private readonly informer: Informer
  ) {
    // The kinds a viewer misses most without a watch come first (STREAM_PRIORITY).
    this.streamHolder = {
      priority: STREAM_PRIORITY.indexOf(scope.resource.plural),
      release: () => {
        this.holdsStream = false;
        this.abortWatch();
        this.listForNoStream();
      },
    };
  }

  isListed(): boolean {
    return this.listed;
  }

  /** Listed, with a watch streaming or connecting. */
  hasWatch(): boolean {
    return this.listed && this.loop !== undefined;
  }

  /** Its objects in the store are current without a request: a watch streams. */
  isCurrent(): boolean {
    return this.listed && this.loop !== undefined && this.streaming;
  }

  async makeCurrent(options: ReadOptions): Promise<void> {
    this.lastReadAt = this.informer.now();
    if (this.isCurrent()) {
      return;
    }
    // Listed a moment ago for another query of the same refresh, its watch still connecting.
    if (this.listed && this.loop !== undefined && this.informer.now() - this.listedAt <= REFRESH_WINDOW_MS) {
      return;
    }
    try {
      await this.list(options);
    } catch (error) {
      if (!(isKubeError(error) && error.kind === 'cancelled')) {
        // What could not be read is not shown: the objects of a scope that failed leave the store.
        this.forget();
        this.informer.store.drop(this.kindOf.kind, this.scope.namespace);
      }
      throw error;
    }
  }

  /** Stops watching; the next read lists again. */
  forget(): void {
    this.stop();
    this.listed = false;
  }

  stop(): void {
    this.abortWatch();
    if (this.holdsStream) {
      this.holdsStream = false;
      this.informer.streams.give(this.streamHolder);
    }
  }

  /** Lists at each refresh for now: the page has no stream left for this scope's kind. */
  private listForNoStream(): void {
    this.lists = {
      reason: `the page already keeps ${this.informer.streams.limit} watches open over HTTP/1.1, for kinds that come first`,
      until: this.informer.now() + REFRESH_WINDOW_MS,
    };
  }

  private abortWatch(): void {
    this.loop?.abort();
    this.loop = undefined;
    this.streaming = false;
  }

  status(): ScopeStatus {
    const base = { resource: qualifiedName(this.scope.resource), namespace: this.scope.namespace };
    if (this.isCurrent()) {
      return { ...base, mode: 'watching' };
    }
    if (this.lists) {
      return { ...base, mode: 'lists', reason: this.lists.reason };
    }
    return { ...base, mode: 'connecting' };
  }

  private mayWatch(): boolean {
    const { client, now } = this.informer;
    if (this.lists && now() >= this.lists.until) {
      this.lists = undefined;
    }
    if (!client.canWatch && !this.lists) {
      this.lists = { reason: 'this data source cannot stream (no fetch with a readable body)', until: Infinity };
    }
    return this.lists === undefined;
  }

  private async list(options: ReadOptions): Promise<void> {
    const watching = this.mayWatch();
    // Lists that replace a watch must be fresh; lists at every refresh are shared by its queries.
    await this.listIntoStore({ ...options, bypassCache: watching });
    this.listed = true;
    if (watching && !(this.loop && this.streaming)) {
      this.startWatch();
    }
  }

  /** Lists the scope and replaces its objects in the store with their compact views; watches resume from it. */
  private async listIntoStore(options: ReadOptions & { bypassCache: boolean }): Promise<void> {
    const { scope, kindOf, informer } = this;
    const result = await informer.client.list(scope.resource, {
      namespace: scope.namespace,
      labelSelector: scope.labelSelector,
      fieldSelector: scope.fieldSelector,
      signal: options.signal,
      deadline: options.deadline,
      bypassCache: options.bypassCache,
      mapItem: (item: unknown) => this.compact(item),
    });
    informer.store.replace(kindOf.kind, scope.namespace, result.items as never[]);
    this.resourceVersion = result.resourceVersion;
    this.listedAt = informer.now();
  }

  /** The compact view the store keeps of an object of this kind, its repeated strings shared. */
  private compact(item: unknown): unknown {
    return this.kindOf.compact(item, this.informer.store.strings);
  }

  private startWatch(): void {
    // A watch started again keeps the stream of the one it replaces: the old one gives it back only once its abort
    // has run, and the page's streams may all be taken meanwhile.
    this.abortWatch();
    if (!this.holdsStream) {
      if (!this.informer.streams.tryTake(this.streamHolder)) {
        this.listForNoStream();
        return;
      }
      this.holdsStream = true;
    }
    const loop = new AbortController();
    this.loop = loop;
    void this.watchLoop(loop.signal).finally(() => {
      // Ended by itself (it lists instead now), not replaced or stopped.
      if (this.loop === loop) {
        this.stop();
      }
    });
  }

  private async watchLoop(signal: AbortSignal): Promise<void> {
    const { informer, scope } = this;
    let failures = 0;
    let delivered = false;
    while (!signal.aborted) {
      try {
        const end = await informer.client.watch(
          {
            resource: scope.resource,
            namespace: scope.namespace,
            labelSelector: scope.labelSelector,
            fieldSelector: scope.fieldSelector,
            resourceVersion: this.resourceVersion,
            timeoutSeconds: informer.watchTimeoutSeconds,
          },
          {
            signal,
            onOpen: () => {
              this.streaming = true;
              failures = 0;
              delivered = true;
            },
            onEvent: (event) => this.apply(event),
          }
        );
        if (end === 'gone' && !signal.aborted) {
          this.streaming = false;
          await this.listIntoStore({ signal, bypassCache: true });
        }
      } catch (error) {
        this.streaming = false;
        if (signal.aborted) {
          return;
        }
        failures++;
        // A 403 to a watch that streamed before may come from an API server that just restarted and has not read
        // its RBAC yet: it is tried again with back-off, and taken for a missing permission only when it persists.
        if (isKubeError(error) && error.kind === 'forbidden' && (!delivered || failures >= FAILURES_BEFORE_LISTS)) {
          this.listInstead(`the identity may not watch ${qualifiedName(scope.resource)}: ${error.message}`);
          return;
        }
        if (!delivered && failures >= FAILURES_BEFORE_LISTS) {
          this.listInstead(`watching failed ${failures} times: ${messageOf(error)}`);
          return;
        }
        const step = Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** (failures - 1));
        try {
          await informer.sleep(Math.round(step / 2 + informer.random() * (step / 2)), signal);
        } catch {
          return;
        }
      }
    }
  }

  private listInstead(reason: string): void {
    this.lists = { reason, until: this.informer.now() + this.informer.retryWatchAfterMs };
  }

  private apply(event: WatchEvent<unknown>): void {
    if (event.resourceVersion) {
      this.resourceVersion = event.resourceVersion;
    }
    if (event.type === 'BOOKMARK') {
      return;
    }
    const object = this.compact(event.object);
    if (object === undefined) {
      return;
    }
    if (event.type === 'DELETED') {
      this.informer.store.remove(this.kindOf.kind, object as never);
    } else {
      this.informer.store.upsert(this.kindOf.kind, object as never);
    }
  }
}
