/**
 * @jest-environment node
 */
import type { Event } from 'kubernetes-types/core/v1';

import { Observable } from 'rxjs';

import type { Rollout } from '../model/argo';
import { KubeClient, kubeProxyBaseUrl, type KubeClientOptions } from './client';
import { deadlineIn } from './deadline';
import { KubeError } from './errors';
import { EVENTS, NAMESPACES, ROLLOUTS } from './resources';
import {
  collection,
  forbidden,
  gate,
  grafanaAuthenticationFailed,
  grafanaBadGateway,
  type Handler,
  htmlPage,
  notFound,
  routes,
  startStandInApiServer,
  type StandInApiServer,
  status,
  tooManyRequests,
} from './testing/stand-in-api-server';
import { standInBackendSrvFetch } from './testing/stand-in-backend-srv';

const ROLLOUTS_PATH = '/apis/argoproj.io/v1alpha1/rollouts';
const PAYMENTS_ROLLOUTS_PATH = '/apis/argoproj.io/v1alpha1/namespaces/payments/rollouts';

function rollouts(count: number): Rollout[] {
  return Array.from({ length: count }, (_, i) => ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: `app-${i}`, namespace: 'payments', resourceVersion: String(1000 + i) },
  }));
}

function rolloutCollection(count: number, extra: { expireContinueTimes?: number } = {}): Handler {
  return collection({
    kind: 'RolloutList',
    apiVersion: 'argoproj.io/v1alpha1',
    items: rollouts(count),
    resourceVersion: '4242',
    ...extra,
  });
}

let server: StandInApiServer | undefined;
let sleeps: number[];

async function serve(handler: Handler, options: Partial<KubeClientOptions> = {}) {
  server = await startStandInApiServer(handler);
  const client = new KubeClient({
    baseUrl: server.baseUrl,
    fetch: standInBackendSrvFetch(),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 1,
    cacheTtlMs: 0,
    ...options,
  });
  return { server, client };
}

function rejection(promise: Promise<unknown>): Promise<KubeError> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => {
      expect(error).toBeInstanceOf(KubeError);
      return error as KubeError;
    }
  );
}

beforeEach(() => {
  sleeps = [];
});

afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('kubeProxyBaseUrl', () => {
  it('appends the kube route prefix to the data source proxy URL', () => {
    expect(kubeProxyBaseUrl('/api/datasources/proxy/uid/abc')).toBe('/api/datasources/proxy/uid/abc/kube');
    expect(kubeProxyBaseUrl('/api/datasources/proxy/uid/abc/')).toBe('/api/datasources/proxy/uid/abc/kube');
  });
});

describe('KubeClient.list', () => {
  it('returns every item across pages and the resourceVersion of the first page', async () => {
    const { client, server } = await serve(routes({ [`GET ${ROLLOUTS_PATH}`]: rolloutCollection(5) }));

    const result = await client.list(ROLLOUTS, { limit: 2 });

    expect(result.items.map((item) => item.metadata?.name)).toEqual(['app-0', 'app-1', 'app-2', 'app-3', 'app-4']);
    expect(result.resourceVersion).toBe('4242');
    expect(server.requests).toHaveLength(3);
  });

  it('drops the managedFields of every item and keeps the rest of its metadata', async () => {
    const managedFields = [
      { manager: 'rollouts-controller', operation: 'Update', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': {} } },
    ];
    const items = rollouts(3).map((rollout) => ({
      ...rollout,
      metadata: { ...rollout.metadata, labels: { app: 'shop' }, managedFields },
    }));
    const { client } = await serve(
      routes({
        [`GET ${ROLLOUTS_PATH}`]: collection({
          kind: 'RolloutList',
          apiVersion: 'argoproj.io/v1alpha1',
          items,
          resourceVersion: '4242',
        }),
      })
    );

    const result = await client.list(ROLLOUTS, { limit: 2 });

    expect(result.items.map((item) => item.metadata)).toEqual([
      { name: 'app-0', namespace: 'payments', resourceVersion: '1000', labels: { app: 'shop' } },
      { name: 'app-1', namespace: 'payments', resourceVersion: '1001', labels: { app: 'shop' } },
      { name: 'app-2', namespace: 'payments', resourceVersion: '1002', labels: { app: 'shop' } },
    ]);
    expect(result.items.every((item) => !('managedFields' in item.metadata!))).toBe(true);
  });

  it('serves the first page from the watch cache and sends only the continue token on later pages', async () => {
    const { client, server } = await serve(routes({ [`GET ${ROLLOUTS_PATH}`]: rolloutCollection(3) }));

    await client.list(ROLLOUTS, { limit: 2 });

    const [first, second] = server.requests.map((request) => Object.fromEntries(request.query));
    expect(first).toEqual({ limit: '2', resourceVersion: '0', resourceVersionMatch: 'NotOlderThan' });
    expect(second).toEqual({ limit: '2', continue: expect.any(String) });
  });

  it('asks for the most recent data when fromWatchCache is false', async () => {
    const { client, server } = await serve(routes({ [`GET ${ROLLOUTS_PATH}`]: rolloutCollection(1) }));

    await client.list(ROLLOUTS, { fromWatchCache: false });

    expect(Object.fromEntries(server.requests[0].query)).toEqual({ limit: '500' });
  });

  it('lists in one namespace with the label and field selectors on every page', async () => {
    const { client, server } = await serve(routes({ [`GET ${PAYMENTS_ROLLOUTS_PATH}`]: rolloutCollection(3) }));

    const result = await client.list(ROLLOUTS, {
      namespace: 'payments',
      labelSelector: 'team=payments,tier!=batch',
      fieldSelector: 'metadata.name=app-1',
      limit: 2,
    });

    expect(result.items).toHaveLength(3);
    for (const request of server.requests) {
      expect(request.query.get('labelSelector')).toBe('team=payments,tier!=batch');
      expect(request.query.get('fieldSelector')).toBe('metadata.name=app-1');
    }
  });

  it('reads the cluster-scoped namespaces and the core events paths', async () => {
    const { client, server } = await serve(
      routes({
        'GET /api/v1/namespaces': collection({
          kind: 'NamespaceList',
          apiVersion: 'v1',
          items: [],
          resourceVersion: '1',
        }),
        'GET /api/v1/namespaces/payments/events': collection({
          kind: 'EventList',
          apiVersion: 'v1',
          items: [
            {
              metadata: { name: 'app.17f' },
              involvedObject: { kind: 'Rollout' },
              reason: 'RolloutCompleted',
            } satisfies Event,
          ],
          resourceVersion: '2',
        }),
      })
    );

    await client.list(NAMESPACES);
    const events = await client.list(EVENTS, { namespace: 'payments' });

    expect(server.requests.map((request) => request.path)).toEqual([
      '/api/v1/namespaces',
      '/api/v1/namespaces/payments/events',
    ]);
    expect(events.items[0].reason).toBe('RolloutCompleted');
  });

  it('restarts the list from the first page once when a continue token expired', async () => {
    const { client, server } = await serve(
      routes({ [`GET ${ROLLOUTS_PATH}`]: rolloutCollection(5, { expireContinueTimes: 1 }) })
    );

    const result = await client.list(ROLLOUTS, { limit: 2 });

    expect(result.items.map((item) => item.metadata?.name)).toEqual(['app-0', 'app-1', 'app-2', 'app-3', 'app-4']);
    const continued = server.requests.map((request) => request.query.has('continue'));
    expect(continued).toEqual([false, true, false, true, true]);
  });

  it('fails with kind expired when the restarted list expires again', async () => {
    const { client } = await serve(
      routes({ [`GET ${ROLLOUTS_PATH}`]: rolloutCollection(5, { expireContinueTimes: 2 }) })
    );

    const error = await rejection(client.list(ROLLOUTS, { limit: 2 }));

    expect(error.kind).toBe('expired');
    expect(error.status).toBe(410);
    expect(error.detail).toMatch(/continue parameter is too old/);
  });

  it('waits as long as Retry-After asks after a 429 and then succeeds', async () => {
    let calls = 0;
    const list = rolloutCollection(1);
    const { client, server } = await serve(
      routes({ [`GET ${ROLLOUTS_PATH}`]: (request) => (++calls === 1 ? tooManyRequests(2) : list(request)) })
    );

    const result = await client.list(ROLLOUTS);

    expect(result.items).toHaveLength(1);
    expect(sleeps).toEqual([2000]);
    expect(server.requests).toHaveLength(2);
  });

  it('caps a long Retry-After', async () => {
    let calls = 0;
    const list = rolloutCollection(1);
    const { client } = await serve(
      routes({ [`GET ${ROLLOUTS_PATH}`]: (request) => (++calls === 1 ? tooManyRequests(600) : list(request)) }),
      { retry: { maxRetryAfterMs: 7_000 } }
    );

    await client.list(ROLLOUTS);

    expect(sleeps).toEqual([7000]);
  });

  it('retries a 503 with growing delays, then fails with kind server', async () => {
    const { client, server } = await serve(
      routes({
        [`GET ${ROLLOUTS_PATH}`]: () => ({ status: 503, body: status(503, 'ServiceUnavailable', 'etcd is busy') }),
      }),
      { retry: { maxRetries: 3, baseDelayMs: 100, maxDelayMs: 10_000 } }
    );

    const error = await rejection(client.list(ROLLOUTS));

    expect(error.kind).toBe('server');
    expect(error.message).toMatch(/etcd is busy/);
    expect(server.requests).toHaveLength(4);
    expect(sleeps).toEqual([100, 200, 400]);
  });

  it('does not retry 501 Not Implemented', async () => {
    const { client, server } = await serve(routes({ [`GET ${ROLLOUTS_PATH}`]: () => ({ status: 501, body: '' }) }));

    await rejection(client.list(ROLLOUTS));

    expect(server.requests).toHaveLength(1);
  });

  it('names the user, verb, resource and namespace RBAC refused, without retrying', async () => {
    const { client, server } = await serve(() =>
      forbidden({
        user: 'system:serviceaccount:rollout-lens:rollout-lens-reader',
        verb: 'list',
        resource: 'rollouts',
        group: 'argoproj.io',
        namespace: 'payments',
      })
    );

    const error = await rejection(client.list(ROLLOUTS, { namespace: 'payments' }));

    expect(error.kind).toBe('forbidden');
    expect(error.message).toContain('"system:serviceaccount:rollout-lens:rollout-lens-reader"');
    expect(error.message).toContain('list rollouts.argoproj.io in namespace "payments"');
    expect(error.message).toContain('deploy/');
    expect(error.detail).toMatch(/^rollouts\.argoproj\.io is forbidden: User/);
    expect(error.kubeStatus?.details).toEqual({ group: 'argoproj.io', kind: 'rollouts' });
    expect(server.requests).toHaveLength(1);
  });

  it('says the Argo Rollouts CRDs are missing on a 404 under argoproj.io', async () => {
    const { client } = await serve(() => notFound());

    const error = await rejection(client.list(ROLLOUTS));

    expect(error.kind).toBe('crdMissing');
    expect(error.message).toMatch(/Argo Rollouts CRDs are not installed/);
  });

  it('says the URL is not a Kubernetes API server when it answers with an HTML page', async () => {
    const { client } = await serve(() => htmlPage());

    const error = await rejection(client.list(ROLLOUTS));

    expect(error.kind).toBe('badResponse');
    expect(error.message).toMatch(/does not look like a Kubernetes API server: it answered with an HTML page/);
    expect(error.detail).toMatch(/^<!DOCTYPE html>/);
  });

  it('tells the user to create a new ServiceAccount token when Grafana reports the 401', async () => {
    const { client, server } = await serve(() => grafanaAuthenticationFailed());

    const error = await rejection(client.list(ROLLOUTS));

    expect(error.kind).toBe('unauthorized');
    expect(error.message).toMatch(/rejected the token/);
    expect(error.message).toMatch(/new ServiceAccount token \(see deploy\/\)/);
    expect(server.requests).toHaveLength(1);
  });

  it('points at URL and TLS settings after repeated 502 Bad Gateway', async () => {
    const { client, server } = await serve(() => grafanaBadGateway(), { retry: { maxRetries: 2 } });

    const error = await rejection(client.list(ROLLOUTS));

    expect(error.kind).toBe('unreachable');
    expect(error.message).toMatch(/API server URL/);
    expect(error.message).toMatch(/CA certificate, the TLS server name, or skip TLS verify/);
    expect(server.requests).toHaveLength(3);
  });

  it('rejects an invalid namespace before sending anything', async () => {
    const { client, server } = await serve(() => notFound());

    const error = await rejection(client.list(ROLLOUTS, { namespace: '../secrets' }));

    expect(error.kind).toBe('invalidRequest');
    expect(error.message).toMatch(/"\.\.\/secrets" is not a valid namespace name/);
    expect(server.requests).toHaveLength(0);
  });
});

describe('KubeClient request sharing', () => {
  it('sends one request for ten identical concurrent lists', async () => {
    const { client, server } = await serve(routes({ [`GET ${ROLLOUTS_PATH}`]: rolloutCollection(3) }));

    const results = await Promise.all(Array.from({ length: 10 }, () => client.list(ROLLOUTS)));

    expect(server.requests).toHaveLength(1);
    for (const result of results) {
      expect(result.items).toHaveLength(3);
    }
  });

  it('sends separate requests for lists that differ in selector', async () => {
    const { client, server } = await serve(routes({ [`GET ${ROLLOUTS_PATH}`]: rolloutCollection(1) }));

    await Promise.all([
      client.list(ROLLOUTS, { labelSelector: 'a=1' }),
      client.list(ROLLOUTS, { labelSelector: 'a=2' }),
    ]);

    expect(server.requests).toHaveLength(2);
  });

  it('keeps the shared request going for the others when one caller aborts', async () => {
    const held = gate();
    const list = rolloutCollection(2);
    const { client, server } = await serve(
      routes({
        [`GET ${ROLLOUTS_PATH}`]: async (request) => {
          await held.opened;
          return list(request);
        },
      })
    );
    const leaving = new AbortController();

    const left = rejection(client.list(ROLLOUTS, { signal: leaving.signal }));
    const stayed = client.list(ROLLOUTS, { signal: new AbortController().signal });
    leaving.abort();
    const error = await left;
    held.open();

    expect(error.kind).toBe('cancelled');
    expect((await stayed).items).toHaveLength(2);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0].aborted).toBe(false);
  });

  it('aborts the HTTP request when every caller aborts', async () => {
    const held = gate();
    const { client, server } = await serve(async () => {
      await held.opened;
      return notFound();
    });
    const first = new AbortController();
    const second = new AbortController();
    const requested = new Promise<void>((resolve) => {
      const poll = () => (server.requests.length > 0 ? resolve() : setImmediate(poll));
      poll();
    });

    const calls = [client.list(ROLLOUTS, { signal: first.signal }), client.list(ROLLOUTS, { signal: second.signal })];
    await requested;
    first.abort();
    second.abort();
    const errors = await Promise.all(calls.map(rejection));
    await client.whenIdle();
    await server.requests[0].closed;
    held.open();

    expect(errors.map((error) => error.kind)).toEqual(['cancelled', 'cancelled']);
    expect(server.requests[0].aborted).toBe(true);
  });

  it('serves a repeated list from the short-lived cache until it expires', async () => {
    let now = 1_000;
    const { client, server } = await serve(routes({ [`GET ${ROLLOUTS_PATH}`]: rolloutCollection(1) }), {
      cacheTtlMs: 5_000,
      now: () => now,
    });

    await client.list(ROLLOUTS);
    now += 4_999;
    await client.list(ROLLOUTS);
    expect(server.requests).toHaveLength(1);

    await client.list(ROLLOUTS, { bypassCache: true });
    expect(server.requests).toHaveLength(2);

    now += 5_000;
    await client.list(ROLLOUTS);
    expect(server.requests).toHaveLength(3);
  });
});

describe('KubeClient cancellation', () => {
  it('rejects at once without a request when the signal is already aborted', async () => {
    const { client, server } = await serve(routes({ [`GET ${ROLLOUTS_PATH}`]: rolloutCollection(1) }));
    const controller = new AbortController();
    controller.abort();

    const error = await rejection(client.list(ROLLOUTS, { signal: controller.signal }));

    expect(error.kind).toBe('cancelled');
    expect(server.requests).toHaveLength(0);
  });

  it('stops retrying when aborted while waiting for the next attempt', async () => {
    const controller = new AbortController();
    const { client, server } = await serve(() => ({ status: 503, body: '' }), {
      sleep: async (ms) => {
        sleeps.push(ms);
        controller.abort();
      },
    });

    const error = await rejection(client.list(ROLLOUTS, { signal: controller.signal }));
    await client.whenIdle();

    expect(error.kind).toBe('cancelled');
    expect(sleeps).toHaveLength(1);
    expect(server.requests).toHaveLength(1);
  });

  it('stops paging when aborted while a page is in flight', async () => {
    const controller = new AbortController();
    const list = rolloutCollection(6);
    const { client, server } = await serve(
      routes({
        [`GET ${ROLLOUTS_PATH}`]: async (request) => {
          if (request.query.has('continue')) {
            controller.abort();
            await request.closed;
          }
          return list(request);
        },
      })
    );

    const error = await rejection(client.list(ROLLOUTS, { limit: 2, signal: controller.signal }));
    await client.whenIdle();

    await server.requests[1].closed;

    expect(error.kind).toBe('cancelled');
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1].aborted).toBe(true);
  });
});

describe('KubeClient discovery, version and access reviews', () => {
  it('reads the API server version', async () => {
    const { client } = await serve(
      routes({ 'GET /version': () => ({ status: 200, body: { major: '1', minor: '34', gitVersion: 'v1.34.1' } }) })
    );

    expect((await client.version()).gitVersion).toBe('v1.34.1');
  });

  it('lists the resources of a group version without subresources', async () => {
    const { client } = await serve(
      routes({
        'GET /apis/argoproj.io/v1alpha1': () => ({
          status: 200,
          body: {
            kind: 'APIResourceList',
            apiVersion: 'v1',
            groupVersion: 'argoproj.io/v1alpha1',
            resources: [
              { name: 'rollouts', singularName: 'rollout', namespaced: true, kind: 'Rollout', verbs: ['get', 'list'] },
              { name: 'rollouts/status', singularName: '', namespaced: true, kind: 'Rollout', verbs: ['get'] },
              {
                name: 'analysisruns',
                singularName: 'analysisrun',
                namespaced: true,
                kind: 'AnalysisRun',
                verbs: ['list'],
              },
            ],
          },
        }),
      })
    );

    const discovered = await client.apiGroupResources('argoproj.io/v1alpha1');

    expect(discovered.resources.map((resource) => resource.name)).toEqual(['rollouts', 'analysisruns']);
  });

  it('says the CRDs are missing when the argoproj.io group is not served', async () => {
    const { client } = await serve(() => notFound());

    const error = await rejection(client.apiGroupResources('argoproj.io/v1alpha1'));

    expect(error.kind).toBe('crdMissing');
  });

  it('posts a SelfSubjectAccessReview and returns the decision', async () => {
    const { client, server } = await serve(
      routes({
        'POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews': (request) => ({
          status: 201,
          body: {
            kind: 'SelfSubjectAccessReview',
            apiVersion: 'authorization.k8s.io/v1',
            metadata: {},
            spec: (request.body as { spec: unknown }).spec,
            status: { allowed: false, reason: 'no RBAC policy matched' },
          },
        }),
      })
    );

    const decision = await client.accessReview({ verb: 'list', group: '', resource: 'secrets', namespace: 'payments' });

    expect(decision).toEqual({
      allowed: false,
      denied: false,
      reason: 'no RBAC policy matched',
      evaluationError: undefined,
    });
    expect(server.requests[0].body).toEqual({
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      spec: { resourceAttributes: { verb: 'list', group: '', resource: 'secrets', namespace: 'payments' } },
    });
  });
});

describe('KubeClient time limits', () => {
  /** A backendSrv fetch whose answer never comes (an API server stopped with SIGSTOP behind a working proxy). */
  function hangingFetch() {
    const calls: Array<{ method: string; url: string; at: number; unsubscribedAt?: number }> = [];
    const fetch: KubeClientOptions['fetch'] = (options) =>
      new Observable((subscriber) => {
        const call = { method: options.method ?? 'GET', url: options.url, at: Date.now() } as (typeof calls)[0];
        calls.push(call);
        void subscriber;
        return () => {
          call.unsubscribedAt = Date.now();
        };
      });
    return { fetch, calls };
  }

  beforeEach(() => jest.useFakeTimers({ now: 0 }));
  afterEach(() => jest.useRealTimers());

  it('gives up a request after the request timeout, retries it, and stops at the query deadline', async () => {
    const { fetch, calls } = hangingFetch();
    const client = new KubeClient({ baseUrl: '/proxy/kube', fetch, random: () => 1, cacheTtlMs: 0 });

    const listing = rejection(client.list(ROLLOUTS, { deadline: deadlineIn(45, 0) }));
    await jest.advanceTimersByTimeAsync(45_000);
    const error = await listing;

    expect(calls.map(({ at, unsubscribedAt }) => [at, unsubscribedAt])).toEqual([
      [0, 15_000],
      [15_300, 30_300],
      [30_900, 45_000],
    ]);
    expect(error.kind).toBe('timeout');
    expect(error.attempts).toBe(3);
    expect(error.message).toBe(
      'The Kubernetes API server did not answer list rollouts.argoproj.io in all namespaces ' +
        '(GET /apis/argoproj.io/v1alpha1/rollouts) within 14.1 s. Check that the API server is up and that ' +
        "Grafana's server can reach it; a very large list may need a higher request timeout and query deadline " +
        '(data source settings), or a narrower query (fewer namespaces, a label selector). Gave up after 3 ' +
        'attempts at the query deadline of 45 s (a data source setting).'
    );
  });

  it('names the request timeout when it, not the deadline, ended the last attempt', async () => {
    const { fetch, calls } = hangingFetch();
    const client = new KubeClient({
      baseUrl: '/proxy/kube',
      fetch,
      random: () => 1,
      cacheTtlMs: 0,
      requestTimeoutMs: 2_000,
      retry: { maxRetries: 1 },
    });

    const listing = rejection(client.version());
    await jest.advanceTimersByTimeAsync(10_000);
    const error = await listing;

    expect(calls).toHaveLength(2);
    expect(error.message).toMatch(
      /^The Kubernetes API server did not answer GET \/version within 2 s, the request timeout of this data source\. .* Tried 2 times in 4\.3 s\.$/
    );
  });

  it('repeats a SelfSubjectAccessReview, a POST that the API server evaluates and stores nothing of', async () => {
    const { fetch, calls } = hangingFetch();
    const client = new KubeClient({ baseUrl: '/proxy/kube', fetch, cacheTtlMs: 0 });

    const review = rejection(
      client.within(deadlineIn(45, Date.now())).accessReview({ verb: 'list', group: '', resource: 'pods' })
    );
    await jest.advanceTimersByTimeAsync(60_000);
    const error = await review;

    expect(calls.length).toBeGreaterThan(1);
    expect(calls.every((call) => call.method === 'POST')).toBe(true);
    expect(error.kind).toBe('timeout');
    expect(error.message).toMatch(/Gave up after \d+ attempts at the query deadline of 45 s/);
  });

  it('sends nothing more once the deadline has passed', async () => {
    const { fetch, calls } = hangingFetch();
    const client = new KubeClient({ baseUrl: '/proxy/kube', fetch, cacheTtlMs: 0 });

    const error = await rejection(client.within(deadlineIn(10, -20_000)).get(NAMESPACES, 'payments'));

    expect(calls).toHaveLength(0);
    expect(error.message).toMatch(
      /^The query deadline of 10 s \(a data source setting\) passed before get namespaces \(GET \/api\/v1\/namespaces\/payments\) could be sent/
    );
  });

  it('lets a caller that joined a request of another stop waiting at its own deadline', async () => {
    const { fetch, calls } = hangingFetch();
    const client = new KubeClient({ baseUrl: '/proxy/kube', fetch, cacheTtlMs: 0 });

    const first = client.list(ROLLOUTS, { deadline: deadlineIn(45, 0) });
    first.catch(() => undefined);
    const joined = rejection(client.list(ROLLOUTS, { deadline: deadlineIn(5, 0) }));
    await jest.advanceTimersByTimeAsync(6_000);
    const error = await joined;

    expect(calls).toHaveLength(1);
    expect(error.kind).toBe('timeout');
    expect(error.message).toMatch(
      /^No answer to GET \/apis\/argoproj\.io\/v1alpha1\/rollouts\?limit=500.* within the query deadline of 5 s/
    );
    await jest.advanceTimersByTimeAsync(60_000);
  });
});
