/**
 * Real-stack check of issue 7: 200 Rollouts with some history in namespaces of their own, then ONE refresh of the
 * bundled overview dashboard (the benchmark's replay: variables in order, then every annotation query and panel
 * at once) through the data source provisioned into the STAND-IN for Grafana's server (not Grafana, see
 * docs/testing.md) and its proxy. The API server's audit log (tests/testbed/start.sh) shows what reached it with the
 * plugin's identity, which must be exactly the lists written down in EXPECTED_LISTS; the same lists fetched by plain
 * HTTP through the proxy are the baseline. The
 * namespaces are deleted at the end, and the check waits until they are gone, so later checks see the cluster
 * as it was.
 */
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';

import { type DataFrame, type DataQueryResponse, type DataSourceInstanceSettings, dateTime } from '@grafana/data';
import type { BackendSrvRequest } from '@grafana/runtime';
import { lastValueFrom, type Subscription, tap } from 'rxjs';

import { DataSource } from '../../../src/datasource/datasource';
import { createKubeClient, kubeProxyBaseUrl } from '../../../src/datasource/kube/client';
import { StreamBudget } from '../../../src/datasource/kube/streamBudget';
import type { RolloutLensJsonData, RolloutLensQuery } from '../../../src/datasource/types';
import { loadOverviewDashboard } from '../../bench/dashboard';
import { refreshQueries, resolveVariables, runRefreshQueries, variableReplacer } from '../../bench/refreshQueries';
import { TEST_BED } from '../lib/components.mjs';
import { check } from './checks';
import { grafanaFetch, grafanaStreamFetch } from './grafana-fetch';
import { readTestbed } from './testbed';

const GRAFANA_DATASOURCE_UID = 'argo-rollouts-in-cluster';
const PLUGIN_USER = 'system:serviceaccount:rollout-lens:rollout-lens-reader';
const NAMESPACES = ['perf-0', 'perf-1', 'perf-2', 'perf-3'];
const ROLLOUTS_PER_NAMESPACE = 50;
/** Rollouts whose image is patched once the first ReplicaSet exists: they get a second revision. */
const PATCHED_PER_NAMESPACE = 25;
const PERF_LABEL = 'rollout-lens.e2e/perf';
const IN_FLIGHT = 8;

/**
 * The lists one refresh of the overview dashboard with every namespace (`*`) must make, written down from the
 * dashboard, not computed by the plugin's planner: its variables and every panel and annotation query read these
 * five kinds cluster-wide, and one list of each serves them all; Events only about Argo Rollouts objects, and
 * ReplicaSets only of Argo Rollouts (its controller labels each with `rollouts-pod-template-hash`). Continue pages of
 * these lists are counted apart. Anything else that reaches the API server is a redundant request.
 */
const EXPECTED_LISTS = [
  'list analysisruns (all namespaces)',
  'list events (all namespaces) fieldSelector=involvedObject.apiVersion=argoproj.io/v1alpha1',
  'list experiments (all namespaces)',
  'list replicasets (all namespaces) labelSelector=rollouts-pod-template-hash',
  'list rollouts (all namespaces)',
];

/** The kinds and scopes the overview dashboard reads, each watched once when the data source can stream. */
const EXPECTED_WATCHES = [
  'watch analysisruns (all namespaces)',
  'watch events (all namespaces) fieldSelector=involvedObject.apiVersion=argoproj.io/v1alpha1',
  'watch experiments (all namespaces)',
  'watch replicasets (all namespaces) labelSelector=rollouts-pod-template-hash',
  'watch rollouts (all namespaces)',
];
/** perf/no-foreign-replicasets: Deployments beside the Rollouts, spread over the perf namespaces. */
const DEPLOYMENTS = 100;
/** perf/steady-refresh: refreshes of the dashboard, this far apart. */
const STEADY_REFRESHES = 5;
const STEADY_INTERVAL_MS = 5_000;

/** The bounds of the check's own waits; its timeout is their sum plus time for its requests. */
const WAIT_MS = {
  namespacesDeleted: 90_000,
  serviceAccounts: 30_000,
  firstRevisions: 60_000,
  secondRevisions: 60_000,
  auditSettled: 5_000,
  deploymentReplicaSets: 60_000,
  watching: 30_000,
};
/** Creating 200 Rollouts, patching 100, the refresh and the baseline: 20 to 40 s when measured. */
const REQUESTS_MS = 120_000;
const PERF_TIMEOUT_MS =
  2 * WAIT_MS.namespacesDeleted +
  WAIT_MS.serviceAccounts +
  WAIT_MS.firstRevisions +
  WAIT_MS.secondRevisions +
  2 * WAIT_MS.auditSettled +
  REQUESTS_MS;

interface AdminAnswer {
  status: number;
  body?: { message?: string; items?: unknown[] };
}

type AuditEvent = {
  auditID?: string;
  stage?: string;
  verb?: string;
  requestURI?: string;
  user?: { username?: string };
  objectRef?: { resource?: string; namespace?: string; apiGroup?: string };
  responseStatus?: { code?: number };
  requestReceivedTimestamp?: string;
};

function runDir(): string {
  const dir = process.env.ROLLOUT_LENS_RUN_DIR;
  if (!dir) {
    throw new Error('ROLLOUT_LENS_RUN_DIR must name the run directory of a started test bed');
  }
  return dir;
}

/** One admin request with an optional JSON body; resolves status and parsed body (404 included). */
function adminCall(agent: https.Agent, method: string, requestPath: string, body?: unknown, contentType?: string) {
  const testbed = readTestbed();
  const server = new URL(testbed.apiServerUrl);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise<AdminAnswer>((resolve, reject) => {
    const request = https.request(
      {
        hostname: server.hostname,
        port: server.port,
        path: requestPath,
        method,
        agent,
        ca: testbed.caCert,
        timeout: 20_000,
        headers: {
          Authorization: `Bearer ${testbed.adminToken}`,
          Accept: 'application/json',
          ...(payload === undefined
            ? {}
            : { 'Content-Type': contentType ?? 'application/json', 'Content-Length': Buffer.byteLength(payload) }),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: response.statusCode ?? 0, body: text ? JSON.parse(text) : undefined });
        });
      }
    );
    request.on('timeout', () => request.destroy(new Error(`${method} ${requestPath} timed out`)));
    request.on('error', reject);
    if (payload !== undefined) {
      request.write(payload);
    }
    request.end();
  });
}

async function expectStatus(call: Promise<AdminAnswer>, accepted: number[], what: string) {
  const { status, body } = await call;
  if (!accepted.includes(status)) {
    throw new Error(`${what} -> ${status}: ${body?.message ?? ''}`);
  }
  return body;
}

/** Runs `work` over `items` with at most IN_FLIGHT at once. */
async function inBatches<T>(items: T[], work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      await work(items[next++]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, items.length) }, worker));
}

async function waitUntil(what: string, timeoutMs: number, done: () => Promise<boolean>): Promise<number> {
  const started = Date.now();
  while (!(await done())) {
    if (Date.now() - started > timeoutMs) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return Date.now() - started;
}

function rollout(name: string, image: string) {
  const labels = { app: name };
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name, labels: { ...labels, [PERF_LABEL]: 'true' } },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'app', image }] } },
      strategy: { canary: {} },
    },
  };
}

/** Names unique across the namespaces, so that the rollout variable offers each Rollout once. */
const rolloutNames = (ns: string) =>
  Array.from({ length: ROLLOUTS_PER_NAMESPACE }, (_, i) => `${ns}-app-${String(i).padStart(2, '0')}`);

async function deleteNamespaces(agent: https.Agent): Promise<number> {
  await Promise.all(
    NAMESPACES.map((ns) => expectStatus(adminCall(agent, 'DELETE', `/api/v1/namespaces/${ns}`), [200, 202, 404], ns))
  );
  return waitUntil('perf namespaces deleted', WAIT_MS.namespacesDeleted, async () => {
    const found = await Promise.all(NAMESPACES.map((ns) => adminCall(agent, 'GET', `/api/v1/namespaces/${ns}`)));
    return found.every((answer) => answer.status === 404);
  });
}

async function replicaSetCount(agent: https.Agent): Promise<number> {
  const lists = await Promise.all(
    NAMESPACES.map((ns) =>
      expectStatus(adminCall(agent, 'GET', `/apis/apps/v1/namespaces/${ns}/replicasets`), [200], `${ns} RS`)
    )
  );
  return lists.reduce((sum, list) => sum + (list?.items?.length ?? 0), 0);
}

/** Namespaces, 200 Rollouts, and a second revision for some; resolves when their ReplicaSets exist. */
async function createRollouts(agent: https.Agent) {
  const started = Date.now();
  await Promise.all(
    NAMESPACES.map((ns) =>
      expectStatus(
        adminCall(agent, 'POST', '/api/v1/namespaces', {
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: { name: ns, labels: { [PERF_LABEL]: 'true' } },
        }),
        [201],
        `create namespace ${ns}`
      )
    )
  );
  // Pods need the default ServiceAccount, which kube-controller-manager creates.
  await waitUntil('default ServiceAccounts', WAIT_MS.serviceAccounts, async () =>
    (
      await Promise.all(
        NAMESPACES.map((ns) => adminCall(agent, 'GET', `/api/v1/namespaces/${ns}/serviceaccounts/default`))
      )
    ).every((answer) => answer.status === 200)
  );
  const all = NAMESPACES.flatMap((ns) => rolloutNames(ns).map((name) => ({ ns, name })));
  await inBatches(all, ({ ns, name }) =>
    expectStatus(
      adminCall(agent, 'POST', `/apis/argoproj.io/v1alpha1/namespaces/${ns}/rollouts`, rollout(name, 'nginx:1.25')),
      [201],
      `create rollout ${ns}/${name}`
    )
  );
  const firstRevisionsMs = await waitUntil('a ReplicaSet per Rollout', WAIT_MS.firstRevisions, async () => {
    return (await replicaSetCount(agent)) >= all.length;
  });
  const patched = NAMESPACES.flatMap((ns) =>
    rolloutNames(ns)
      .slice(0, PATCHED_PER_NAMESPACE)
      .map((name) => ({ ns, name }))
  );
  await inBatches(patched, ({ ns, name }) =>
    expectStatus(
      adminCall(
        agent,
        'PATCH',
        `/apis/argoproj.io/v1alpha1/namespaces/${ns}/rollouts/${name}`,
        { spec: { template: { spec: { containers: [{ name: 'app', image: 'nginx:1.26' }] } } } },
        'application/merge-patch+json'
      ),
      [200],
      `patch rollout ${ns}/${name}`
    )
  );
  const secondRevisionsMs = await waitUntil(
    'a second ReplicaSet per patched Rollout',
    WAIT_MS.secondRevisions,
    async () => {
      return (await replicaSetCount(agent)) >= all.length + patched.length;
    }
  );
  return {
    rollouts: all.length,
    withTwoRevisions: patched.length,
    replicaSets: await replicaSetCount(agent),
    setupMs: Date.now() - started,
    firstRevisionsMs,
    secondRevisionsMs,
  };
}

function auditLog(): string {
  return path.join(runDir(), 'audit', 'audit.log');
}

const auditSize = () => fs.statSync(auditLog()).size;

/** Completed requests of the plugin's identity written after byte `offset` and received at or after `sinceMs`. */
function pluginRequestsSince(offset: number, sinceMs: number): AuditEvent[] {
  const text = fs.readFileSync(auditLog()).subarray(offset).toString('utf8');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as AuditEvent)
    .filter(
      (event) =>
        event.stage === 'ResponseComplete' &&
        event.user?.username === PLUGIN_USER &&
        Date.parse(event.requestReceivedTimestamp ?? '') >= sinceMs
    );
}

/** The audit log is written as requests complete: waits until the count settles (bounded). */
async function settledPluginRequests(offset: number, sinceMs: number, expectedAtLeast: number) {
  let events = pluginRequestsSince(offset, sinceMs);
  let stableSince = Date.now();
  const started = Date.now();
  while (
    Date.now() - started < WAIT_MS.auditSettled &&
    (events.length < expectedAtLeast || Date.now() - stableSince < 500)
  ) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const again = pluginRequestsSince(offset, sinceMs);
    if (again.length !== events.length) {
      stableSince = Date.now();
    }
    events = again;
  }
  return events;
}

const isPage = (uri: string) => /[?&]continue=/.test(uri);

/** A list as EXPECTED_LISTS writes it: resource, scope and the selectors of the request. */
function describeList(event: AuditEvent): string {
  const params = new URLSearchParams((event.requestURI ?? '').split('?')[1] ?? '');
  const selectors = ['labelSelector', 'fieldSelector']
    .filter((name) => params.get(name))
    .map((name) => ` ${name}=${params.get(name)}`)
    .join('');
  const scope = event.objectRef?.namespace || 'all namespaces';
  return `${event.verb} ${event.objectRef?.resource ?? '?'} (${scope})${selectors}`;
}

function summarizeAudit(events: AuditEvent[]) {
  const firstPages = events.filter((event) => !isPage(event.requestURI ?? ''));
  const continuePages: Record<string, number> = {};
  for (const event of events.filter((listed) => isPage(listed.requestURI ?? ''))) {
    const key = describeList(event);
    continuePages[key] = (continuePages[key] ?? 0) + 1;
  }
  return {
    requests: events.length,
    firstPages: firstPages.map(describeList).sort(),
    continuePages,
    kinds: [...new Set(events.map((event) => event.objectRef?.resource ?? '?'))].sort(),
    statuses: [...new Set(events.map((event) => event.responseStatus?.code))],
    verbs: [...new Set(events.map((event) => event.verb))],
  };
}

/** Watches of the plugin's identity the API server started after byte `offset` (a watch is audited as it starts). */
function pluginWatchesSince(offset: number): AuditEvent[] {
  const text = fs.readFileSync(auditLog()).subarray(offset).toString('utf8');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as AuditEvent)
    .filter(
      (event) => event.stage === 'ResponseStarted' && event.verb === 'watch' && event.user?.username === PLUGIN_USER
    );
}

function deployment(name: string) {
  const labels = { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels: { ...labels, [PERF_LABEL]: 'true' } },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'nginx:1.25' }] } },
    },
  };
}

type ReplicaSetItem = { metadata?: { name?: string; namespace?: string; ownerReferences?: Array<{ kind?: string }> } };

/** ReplicaSets of the perf namespaces, as the admin lists them with `query`. */
async function perfReplicaSets(agent: https.Agent, query = ''): Promise<ReplicaSetItem[]> {
  const lists = await Promise.all(
    NAMESPACES.map((ns) =>
      expectStatus(adminCall(agent, 'GET', `/apis/apps/v1/namespaces/${ns}/replicasets${query}`), [200], `${ns} RS`)
    )
  );
  return lists.flatMap((list) => (list?.items ?? []) as ReplicaSetItem[]);
}

const ownerKinds = (items: ReplicaSetItem[]) =>
  [...new Set(items.flatMap((item) => item.metadata?.ownerReferences?.map((owner) => owner.kind ?? '?') ?? []))].sort();

const rolloutsRows = (frames: DataFrame[]) => frames.find((frame) => frame.name === 'rollouts')?.length ?? 0;

/**
 * The data source as Grafana's frontend builds it, with the kube client's default cache and coalescing. With
 * `streaming`, its watches go through the stand-in's proxy (`grafanaStreamFetch`). `tapResponse` sees every answer
 * the plugin's kube client receives.
 */
async function provisionedDataSource(
  values: Map<string, string | string[]>,
  options: { streaming?: boolean; tapResponse?: (request: BackendSrvRequest, data: unknown) => void } = {}
) {
  const grafanaUrl = process.env.GRAFANA_URL;
  if (!grafanaUrl) {
    throw new Error('GRAFANA_URL is not set: the Grafana stand-in did not start (see tests/e2e/grafana-suite.sh)');
  }
  const password = fs.readFileSync(path.join(runDir(), 'grafana-admin-password'), 'utf8').trim();
  const connection = { url: grafanaUrl, user: 'admin', password };
  const grafana = grafanaFetch(connection);
  const boot = await lastValueFrom(
    grafana.fetch<{ datasources: Record<string, DataSourceInstanceSettings<RolloutLensJsonData>> }>({
      url: '/api/frontend/settings',
    })
  );
  const settings = Object.values(boot.data.datasources).find((ds) => ds.uid === GRAFANA_DATASOURCE_UID);
  if (!settings) {
    throw new Error(`data source ${GRAFANA_DATASOURCE_UID} is not in the stand-in's frontend settings`);
  }
  const tapResponse = options.tapResponse;
  const fetch: typeof grafana.fetch = tapResponse
    ? <T>(request: BackendSrvRequest) =>
        grafana.fetch<T>(request).pipe(tap((response) => tapResponse(request, response.data)))
    : grafana.fetch;
  const streamFetch = options.streaming ? grafanaStreamFetch(connection) : undefined;
  const kube = createKubeClient({ baseUrl: kubeProxyBaseUrl(settings.url ?? ''), fetch, streamFetch });
  // A browser page over HTTP/1.1 keeps at most four watches (six connections per host, kube/streamBudget.ts); this
  // Node process has no such limit, so every kind the dashboard reads is watched, as over HTTP/2.
  const dataSource = new DataSource(settings, variableReplacer(values), kube, {
    streams: new StreamBudget(Infinity),
  });
  return { dataSource, kube, grafana, connection };
}

/** One plain GET through the proxy, no plugin code: status, bytes and time. */
function plainGet(connection: { url: string; user: string; password: string }, requestPath: string) {
  const origin = new URL(connection.url);
  const authorization = `Basic ${Buffer.from(`${connection.user}:${connection.password}`).toString('base64')}`;
  return new Promise<{ status: number; bytes: number }>((resolve, reject) => {
    const request = http.request(
      {
        hostname: origin.hostname,
        port: origin.port,
        path: requestPath,
        headers: { Authorization: authorization, Accept: 'application/json' },
        agent: false,
        timeout: 30_000,
      },
      (response) => {
        let bytes = 0;
        response.on('data', (chunk: Buffer) => (bytes += chunk.length));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, bytes }));
      }
    );
    request.on('timeout', () => request.destroy(new Error(`GET ${requestPath} timed out`)));
    request.on('error', reject);
    request.end();
  });
}

/** The URL of a list without the paging and cache parameters the plugin adds: what a plain client would send. */
function plainListUrl(url: string): string {
  const [pathPart, query = ''] = url.split('?');
  const params = new URLSearchParams(query);
  ['limit', 'resourceVersion', 'resourceVersionMatch', 'continue'].forEach((name) => params.delete(name));
  const rest = params.toString();
  return rest ? `${pathPart}?${rest}` : pathPart;
}

describe('performance against the test bed', () => {
  check(
    'perf/refresh',
    async (details) => {
      details.via = `data source ${GRAFANA_DATASOURCE_UID} provisioned into the Grafana stand-in (not Grafana), through its proxy`;
      const agent = new https.Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
      try {
        // A leftover of an interrupted run would change the figures.
        details.leftoverCleanupMs = await deleteNamespaces(agent);
        const cluster = await createRollouts(agent);
        details.cluster = cluster;

        const values = new Map<string, string | string[]>();
        const { dataSource, kube, grafana, connection } = await provisionedDataSource(values);
        const dashboard = loadOverviewDashboard();

        // One refresh: variables in order (All, the dashboard's default), then everything at once.
        const refreshOffset = auditSize();
        const refreshSince = Date.now();
        const proxyBefore = grafana.requests.length;
        await resolveVariables(dataSource, dashboard, values);
        const variablesMs = Date.now() - refreshSince;
        const { frames, errors } = await runRefreshQueries(dataSource, dashboard, {
          from: Date.now() - 6 * 3_600_000,
          to: Date.now(),
        });
        await kube.whenIdle();
        const refreshMs = Date.now() - refreshSince;
        const proxied = grafana.requests.slice(proxyBefore);
        const refreshAudit = summarizeAudit(await settledPluginRequests(refreshOffset, refreshSince, proxied.length));
        // The dashboard's rollout variable is All: the Rollouts table must show every rollout of the cluster.
        const rolloutRows = frames.find((frame) => frame.name === 'rollouts')?.length ?? 0;
        const clusterRollouts = (
          await expectStatus(adminCall(agent, 'GET', '/apis/argoproj.io/v1alpha1/rollouts'), [200], 'list rollouts')
        )?.items?.length;
        details.refresh = {
          wallMs: refreshMs,
          variablesMs,
          queries: dashboard.variables.length + refreshQueries(dataSource, dashboard).flat().length,
          variables: { namespace: values.get('namespace'), rollout: values.get('rollout') },
          rolloutRows,
          clusterRollouts,
          frames: frames.length,
          rows: frames.reduce((sum, frame) => sum + frame.length, 0),
          errors,
          expectedLists: EXPECTED_LISTS,
          proxyRequests: proxied.length,
          proxyStatuses: [...new Set(proxied.map((request) => request.status))],
          apiServer: refreshAudit,
        };

        // The same lists by plain HTTP through the proxy: one GET each, all at once, no plugin code.
        const plainUrls = [...new Set(proxied.filter((r) => !isPage(r.url)).map((r) => plainListUrl(r.url)))];
        const plainOffset = auditSize();
        const plainSince = Date.now();
        const answers = await Promise.all(plainUrls.map((url) => plainGet(connection, url)));
        const plainMs = Date.now() - plainSince;
        const plainAudit = summarizeAudit(await settledPluginRequests(plainOffset, plainSince, plainUrls.length));
        const plainStatuses = [...new Set(answers.map((answer) => answer.status))];
        details.plainHttp = {
          wallMs: plainMs,
          requests: plainUrls.length,
          urls: plainUrls,
          statuses: plainStatuses,
          bytes: answers.reduce((sum, answer) => sum + answer.bytes, 0),
          apiServer: plainAudit,
        };
        details.ratio = { wallMs: Number((refreshMs / Math.max(plainMs, 1)).toFixed(2)) };

        expect(errors).toEqual([]);
        expect(rolloutRows).toBe(clusterRollouts);
        // Every request of the refresh reached the API server once, and every one succeeded.
        expect(refreshAudit.statuses).toEqual([200]);
        expect(refreshAudit.verbs).toEqual(['list']);
        expect(refreshAudit.requests).toBe(proxied.length);
        // Exactly the lists written down, each once; continue pages only of those lists.
        expect(refreshAudit.firstPages).toEqual(EXPECTED_LISTS);
        expect(Object.keys(refreshAudit.continuePages).filter((list) => !EXPECTED_LISTS.includes(list))).toEqual([]);
        // The baseline: one request per list at the API server, all answered.
        expect(plainUrls.length).toBe(EXPECTED_LISTS.length);
        expect(plainStatuses).toEqual([200]);
        expect(plainAudit.statuses).toEqual([200]);
        expect(plainAudit.requests).toBe(plainUrls.length);
      } finally {
        details.cleanupMs = await deleteNamespaces(agent);
        agent.destroy();
      }
      return details;
    },
    { against: ['grafana-stand-in', ...TEST_BED], timeoutMs: PERF_TIMEOUT_MS }
  );

  check(
    'perf/no-foreign-replicasets',
    async (details) => {
      details.via = `data source ${GRAFANA_DATASOURCE_UID} provisioned into the Grafana stand-in (not Grafana), through its proxy`;
      const agent = new https.Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
      try {
        details.leftoverCleanupMs = await deleteNamespaces(agent);
        const cluster = await createRollouts(agent);
        details.cluster = cluster;
        const perNamespace = DEPLOYMENTS / NAMESPACES.length;
        const deployments = NAMESPACES.flatMap((ns) =>
          Array.from({ length: perNamespace }, (_, i) => ({ ns, name: `${ns}-deploy-${String(i).padStart(2, '0')}` }))
        );
        await inBatches(deployments, ({ ns, name }) =>
          expectStatus(
            adminCall(agent, 'POST', `/apis/apps/v1/namespaces/${ns}/deployments`, deployment(name)),
            [201],
            `create deployment ${ns}/${name}`
          )
        );
        const ownedByDeployment = (item: ReplicaSetItem) =>
          item.metadata?.ownerReferences?.some((owner) => owner.kind === 'Deployment') === true;
        details.deploymentReplicaSetsMs = await waitUntil(
          'a ReplicaSet per Deployment',
          WAIT_MS.deploymentReplicaSets,
          async () => (await perfReplicaSets(agent)).filter(ownedByDeployment).length >= DEPLOYMENTS
        );
        const inCluster = await perfReplicaSets(agent);
        const clusterRollouts = (
          await expectStatus(adminCall(agent, 'GET', '/apis/argoproj.io/v1alpha1/rollouts'), [200], 'list rollouts')
        )?.items?.length;
        const argoInCluster = await perfReplicaSets(agent, '?labelSelector=rollouts-pod-template-hash');
        const argoEverywhere = ((
          await expectStatus(
            adminCall(agent, 'GET', '/apis/apps/v1/replicasets?labelSelector=rollouts-pod-template-hash'),
            [200],
            'list the ReplicaSets of Argo Rollouts'
          )
        )?.items ?? []) as ReplicaSetItem[];

        // Every ReplicaSet the plugin's kube client receives, as it receives it.
        const received: ReplicaSetItem[] = [];
        const values = new Map<string, string | string[]>();
        const { dataSource, kube, grafana, connection } = await provisionedDataSource(values, {
          tapResponse: (request, data) => {
            if (/\/replicasets$/.test(request.url.split('?')[0])) {
              received.push(...((data as { items?: ReplicaSetItem[] } | undefined)?.items ?? []));
            }
          },
        });
        const dashboard = loadOverviewDashboard();
        const offset = auditSize();
        const since = Date.now();
        const before = grafana.requests.length;
        await resolveVariables(dataSource, dashboard, values);
        const { frames, errors } = await runRefreshQueries(dataSource, dashboard, {
          from: Date.now() - 6 * 3_600_000,
          to: Date.now(),
        });
        await kube.whenIdle();
        const proxied = grafana.requests.slice(before);
        const audit = await settledPluginRequests(offset, since, proxied.length);
        const replicaSetLists = audit.filter((event) => event.objectRef?.resource === 'replicasets').map(describeList);
        const replicaSetRequests = proxied.filter((request) => /\/replicasets(\?|$)/.test(request.url));
        const pluginBytes = replicaSetRequests.reduce((sum, request) => sum + request.bytes, 0);
        // The same list without the selector and with it, by plain HTTP through the proxy: what it would cost.
        const listPathOnly = replicaSetRequests[0]?.url.split('?')[0] ?? '';
        const plainAll = await plainGet(connection, listPathOnly);
        const plainArgo = await plainGet(connection, `${listPathOnly}?labelSelector=rollouts-pod-template-hash`);
        const names = (items: ReplicaSetItem[]) =>
          items.map((item) => `${item.metadata?.namespace}/${item.metadata?.name}`).sort();
        const receivedInPerf = received.filter((item) => NAMESPACES.includes(item.metadata?.namespace ?? ''));
        details.replicaSets = {
          inPerfNamespaces: inCluster.length,
          ownedByDeployment: inCluster.filter(ownedByDeployment).length,
          ofArgoRollouts: argoInCluster.length,
          received: received.length,
          receivedInPerfNamespaces: receivedInPerf.length,
          receivedOwnerKinds: ownerKinds(received),
          lists: replicaSetLists,
        };
        details.bytes = {
          plugin: pluginBytes,
          plainWithoutSelector: plainAll.bytes,
          plainWithSelector: plainArgo.bytes,
        };
        details.errors = errors;

        expect(errors).toEqual([]);
        // The dashboard's namespace variable is All: every Rollout of the cluster (the scenarios' too).
        expect(rolloutsRows(frames)).toBe(clusterRollouts);
        // The cluster has both kinds of ReplicaSet; the plugin asked for the Argo ones only, once.
        expect(inCluster.filter(ownedByDeployment)).toHaveLength(DEPLOYMENTS);
        expect(ownerKinds(inCluster)).toEqual(['Deployment', 'Rollout']);
        expect(replicaSetLists).toEqual(['list replicasets (all namespaces) labelSelector=rollouts-pod-template-hash']);
        // What reached the plugin: the ReplicaSets of Argo Rollouts (owned by a Rollout, or by an Experiment of
        // the scenarios), every Rollout's ReplicaSet of the perf namespaces, and no Deployment's.
        expect(ownerKinds(received)).toEqual(ownerKinds(argoEverywhere));
        expect(ownerKinds(received)).not.toContain('Deployment');
        expect(names(receivedInPerf)).toEqual(names(argoInCluster));
        expect(plainAll.status).toBe(200);
        expect(plainArgo.status).toBe(200);
        expect(pluginBytes).toBeLessThan(plainAll.bytes);
      } finally {
        details.cleanupMs = await deleteNamespaces(agent);
        agent.destroy();
      }
      return details;
    },
    { against: ['grafana-stand-in', ...TEST_BED], timeoutMs: PERF_TIMEOUT_MS + WAIT_MS.deploymentReplicaSets }
  );

  check(
    'perf/steady-refresh',
    async (details) => {
      details.via = `data source ${GRAFANA_DATASOURCE_UID} provisioned into the Grafana stand-in (not Grafana), lists and watches through its proxy with a streaming fetch`;
      const agent = new https.Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
      let dataSource: DataSource | undefined;
      try {
        details.leftoverCleanupMs = await deleteNamespaces(agent);
        details.cluster = await createRollouts(agent);
        const clusterRollouts = (
          await expectStatus(adminCall(agent, 'GET', '/apis/argoproj.io/v1alpha1/rollouts'), [200], 'list rollouts')
        )?.items?.length;
        const values = new Map<string, string | string[]>();
        const provisioned = await provisionedDataSource(values, { streaming: true });
        dataSource = provisioned.dataSource;
        const dashboard = loadOverviewDashboard();
        const startOffset = auditSize();
        const started = Date.now();
        const refreshes: Array<{ startedAtMs: number; wallMs: number; rolloutRows: number; errors: string[] }> = [];
        let steadyOffset = 0;
        let steadySince = 0;
        for (let i = 0; i < STEADY_REFRESHES; i++) {
          const due = started + i * STEADY_INTERVAL_MS;
          await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - Date.now())));
          const refreshStarted = Date.now();
          if (i === 0) {
            await resolveVariables(dataSource, dashboard, values);
          }
          const { frames, errors } = await runRefreshQueries(dataSource, dashboard, {
            from: Date.now() - 6 * 3_600_000,
            to: Date.now(),
          });
          refreshes.push({
            startedAtMs: refreshStarted - started,
            wallMs: Date.now() - refreshStarted,
            rolloutRows: rolloutsRows(frames),
            errors,
          });
          if (i === 0) {
            const watching = dataSource;
            details.watchingAfterMs = await waitUntil('every kind and scope watched', WAIT_MS.watching, async () =>
              watching.informer.status().every((scope) => scope.mode === 'watching')
            );
            steadyOffset = auditSize();
            steadySince = Date.now();
          }
        }
        await new Promise((resolve) => setTimeout(resolve, WAIT_MS.auditSettled));
        const afterFirst = pluginRequestsSince(steadyOffset, steadySince);
        const watches = pluginWatchesSince(startOffset).map(describeList).sort();
        details.refreshes = refreshes;
        details.clusterRollouts = clusterRollouts;
        details.afterFirst = {
          lists: afterFirst.filter((event) => event.verb === 'list').map(describeList),
          requests: afterFirst.length,
          verbs: [...new Set(afterFirst.map((event) => event.verb))],
        };
        details.watches = watches;

        expect(refreshes.flatMap((refresh) => refresh.errors)).toEqual([]);
        expect(refreshes.map((refresh) => refresh.rolloutRows)).toEqual(
          Array.from({ length: STEADY_REFRESHES }, () => clusterRollouts)
        );
        // After the first refresh: no list at the API server, and one watch per kind and scope for all five.
        expect(afterFirst.filter((event) => event.verb === 'list').map(describeList)).toEqual([]);
        expect(watches).toEqual(EXPECTED_WATCHES);
      } finally {
        details.scopes = dataSource?.informer.status();
        dataSource?.informer.stop();
        details.cleanupMs = await deleteNamespaces(agent);
        agent.destroy();
      }
      return details;
    },
    {
      against: ['grafana-stand-in', ...TEST_BED],
      timeoutMs: PERF_TIMEOUT_MS + WAIT_MS.watching + STEADY_REFRESHES * STEADY_INTERVAL_MS,
    }
  );
});

/** live/update-latency: a canary paused at its second step, promoted while an annotation query is open. */
const LIVE_NAMESPACE = 'live-latency';
const LIVE_ROLLOUT = 'live-canary';
/** The spec's figure: a step appears in what the data source emitted within this long of the controller's Event. */
const LIVE_LATENCY_MS = 2_000;
const LIVE_WAIT_MS = 90_000;

interface SeenEvent {
  at: number;
  reason: string;
  message: string;
}

/**
 * The Events of a namespace as the admin sees them appear: one watch from the list's resourceVersion, each event
 * stamped with the time its line arrived (the moment the API server made it visible to watchers).
 */
async function watchEvents(namespace: string): Promise<{ seen: SeenEvent[]; stop: () => void }> {
  const agent = new https.Agent({ keepAlive: false });
  const list = await expectStatus(
    adminCall(agent, 'GET', `/api/v1/namespaces/${namespace}/events`),
    [200],
    'list events'
  );
  const resourceVersion = (list as { metadata?: { resourceVersion?: string } }).metadata?.resourceVersion ?? '0';
  const testbed = readTestbed();
  const server = new URL(testbed.apiServerUrl);
  const seen: SeenEvent[] = [];
  const request = https.request({
    hostname: server.hostname,
    port: server.port,
    path: `/api/v1/namespaces/${namespace}/events?watch=1&resourceVersion=${resourceVersion}`,
    ca: testbed.caCert,
    agent,
    headers: { Authorization: `Bearer ${testbed.adminToken}`, Accept: 'application/json' },
  });
  request.on('response', (response) => {
    let buffered = '';
    response.on('data', (chunk: Buffer) => {
      const at = Date.now();
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines.filter((one) => one.trim() !== '')) {
        const event = JSON.parse(line) as { type: string; object?: { reason?: string; message?: string } };
        if (event.type === 'ADDED' || event.type === 'MODIFIED') {
          seen.push({ at, reason: event.object?.reason ?? '', message: event.object?.message ?? '' });
        }
      }
    });
  });
  request.on('error', () => undefined);
  request.end();
  return { seen, stop: () => request.destroy() };
}

function liveRollout(image: string) {
  const labels = { app: LIVE_ROLLOUT };
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: LIVE_ROLLOUT, labels },
    spec: {
      replicas: 2,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'app', image }] } },
      strategy: { canary: { steps: [{ setWeight: 25 }, { pause: {} }, { setWeight: 50 }, { pause: {} }] } },
    },
  };
}

type RolloutStatus = { phase?: string; currentStepIndex?: number; pauseConditions?: Array<{ reason?: string }> };

async function liveRolloutStatus(agent: https.Agent): Promise<RolloutStatus> {
  const body = await expectStatus(
    adminCall(agent, 'GET', `/apis/argoproj.io/v1alpha1/namespaces/${LIVE_NAMESPACE}/rollouts/${LIVE_ROLLOUT}`),
    [200],
    'get rollout'
  );
  return ((body as { status?: RolloutStatus } | undefined)?.status ?? {}) as RolloutStatus;
}

async function deleteLiveNamespace(agent: https.Agent): Promise<number> {
  await expectStatus(adminCall(agent, 'DELETE', `/api/v1/namespaces/${LIVE_NAMESPACE}`), [200, 202, 404], 'delete');
  return waitUntil(
    `namespace ${LIVE_NAMESPACE} deleted`,
    WAIT_MS.namespacesDeleted,
    async () => (await adminCall(agent, 'GET', `/api/v1/namespaces/${LIVE_NAMESPACE}`)).status === 404
  );
}

const annotationTexts = (response: DataQueryResponse) =>
  ((response.data[0] as DataFrame | undefined)?.fields.find((field) => field.name === 'text')?.values ??
    []) as string[];

describe('live answers against the test bed', () => {
  check(
    'live/update-latency',
    async (details) => {
      details.via = `data source ${GRAFANA_DATASOURCE_UID} provisioned into the Grafana stand-in (not Grafana), lists and watches through its proxy with a streaming fetch; an open annotation query`;
      const agent = new https.Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
      let dataSource: DataSource | undefined;
      let subscription: Subscription | undefined;
      let events: { seen: SeenEvent[]; stop: () => void } | undefined;
      const answers: Array<{ at: number; texts: string[] }> = [];
      const started = Date.now();
      try {
        details.leftoverCleanupMs = await deleteLiveNamespace(agent);
        await expectStatus(
          adminCall(agent, 'POST', '/api/v1/namespaces', {
            apiVersion: 'v1',
            kind: 'Namespace',
            metadata: { name: LIVE_NAMESPACE },
          }),
          [201],
          'create namespace'
        );
        await waitUntil('default ServiceAccount', WAIT_MS.serviceAccounts, async () => {
          const answer = await adminCall(agent, 'GET', `/api/v1/namespaces/${LIVE_NAMESPACE}/serviceaccounts/default`);
          return answer.status === 200;
        });
        await expectStatus(
          adminCall(
            agent,
            'POST',
            `/apis/argoproj.io/v1alpha1/namespaces/${LIVE_NAMESPACE}/rollouts`,
            liveRollout('example.test/app:1.0')
          ),
          [201],
          'create rollout'
        );
        await waitUntil('healthy after the initial deploy', LIVE_WAIT_MS, async () => {
          return (await liveRolloutStatus(agent)).phase === 'Healthy';
        });
        await expectStatus(
          adminCall(
            agent,
            'PATCH',
            `/apis/argoproj.io/v1alpha1/namespaces/${LIVE_NAMESPACE}/rollouts/${LIVE_ROLLOUT}`,
            { spec: { template: { spec: { containers: [{ name: 'app', image: 'example.test/app:2.0' }] } } } },
            'application/merge-patch+json'
          ),
          [200],
          'update the image'
        );
        await waitUntil('paused at the second step', LIVE_WAIT_MS, async () => {
          const status = await liveRolloutStatus(agent);
          return status.phase === 'Paused' && status.currentStepIndex === 1;
        });

        // An annotation query of the last hour, open as a dashboard keeps it.
        const provisioned = await provisionedDataSource(new Map(), { streaming: true });
        const live = provisioned.dataSource;
        dataSource = live;
        const to = dateTime();
        const from = dateTime(to.valueOf() - 3_600_000);
        subscription = live
          .query({
            requestId: 'live-latency',
            interval: '1m',
            intervalMs: 60_000,
            range: { from, to, raw: { from: 'now-1h', to: 'now' } },
            scopedVars: {},
            targets: [
              {
                refId: 'Anno',
                queryType: 'annotations',
                namespaces: [LIVE_NAMESPACE],
                detail: 'all',
                categories: [],
                outcomes: [],
              } as unknown as RolloutLensQuery,
            ],
            timezone: 'utc',
            app: 'dashboard',
            startTime: Date.now(),
          })
          .subscribe((response) => answers.push({ at: Date.now(), texts: annotationTexts(response) }));
        await waitUntil('the first answer and the watches', WAIT_MS.watching, async () => {
          return answers.length > 0 && live.informer.status().every((scope) => scope.mode === 'watching');
        });
        const firstAnswer = answers[0].texts;
        events = await watchEvents(LIVE_NAMESPACE);

        // `kubectl argo rollouts promote`: the pause condition goes; the controller completes the pause step and the
        // setWeight 50 step, and pauses again at the fourth.
        const promotedAt = Date.now();
        await expectStatus(
          adminCall(
            agent,
            'PATCH',
            `/apis/argoproj.io/v1alpha1/namespaces/${LIVE_NAMESPACE}/rollouts/${LIVE_ROLLOUT}/status`,
            { status: { pauseConditions: null } },
            'application/merge-patch+json'
          ),
          [200],
          'promote'
        );
        const seen = events.seen;
        await waitUntil('the controller completes the setWeight 50 step', LIVE_WAIT_MS, async () =>
          seen.some((event) => event.reason === 'RolloutStepCompleted' && event.message.includes('setWeight: 50'))
        );
        // The promotion completes steps 2 and 3; an Event of an earlier step may reach the watch late (the controller's
        // event recorder sends them asynchronously) and is not part of it.
        const steps = seen.filter(
          (event) => event.reason === 'RolloutStepCompleted' && /step [23]\/4 completed/.test(event.message)
        );
        await waitUntil('each step in an answer', LIVE_WAIT_MS / 3, async () =>
          steps.every((step) => answers.some((answer) => answer.texts.some((text) => text.includes(step.message))))
        );
        const latencies = steps.map((step) => {
          const answer = answers.find((one) => one.texts.some((text) => text.includes(step.message)))!;
          return {
            message: step.message,
            eventSeenAt: step.at - promotedAt,
            answeredAt: answer.at - promotedAt,
            latencyMs: answer.at - step.at,
          };
        });
        details.latencies = latencies;
        details.answers = answers.map((answer) => ({ atMs: answer.at - promotedAt, annotations: answer.texts.length }));

        expect(steps.map((step) => step.message)).toEqual([
          'Rollout step 2/4 completed (pause)',
          'Rollout step 3/4 completed (setWeight: 50)',
        ]);
        // Neither step was shown before the promotion.
        expect(firstAnswer.filter((text) => steps.some((step) => text.includes(step.message)))).toEqual([]);
        for (const latency of latencies) {
          expect(latency.latencyMs).toBeLessThanOrEqual(LIVE_LATENCY_MS);
        }
      } finally {
        details.scopes = dataSource?.informer.status();
        details.seen = events?.seen.map((event) => ({ ...event, at: event.at - started }));
        details.answerTexts = answers.map((answer) => ({
          atMs: answer.at - started,
          steps: answer.texts.filter((text) => /step/i.test(text)).map((text) => text.slice(0, 160)),
        }));
        events?.stop();
        subscription?.unsubscribe();
        dataSource?.informer.stop();
        details.cleanupMs = await deleteLiveNamespace(agent);
        agent.destroy();
      }
      return details;
    },
    { against: ['grafana-stand-in', ...TEST_BED], timeoutMs: 3 * LIVE_WAIT_MS + 2 * WAIT_MS.namespacesDeleted + 60_000 }
  );
});
