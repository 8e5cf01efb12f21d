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

import type { DataSourceInstanceSettings } from '@grafana/data';
import { lastValueFrom } from 'rxjs';

import { DataSource } from '../../../src/datasource/datasource';
import { createKubeClient, kubeProxyBaseUrl } from '../../../src/datasource/kube/client';
import type { RolloutLensJsonData } from '../../../src/datasource/types';
import { loadOverviewDashboard } from '../../bench/dashboard';
import { refreshQueries, resolveVariables, runRefreshQueries, variableReplacer } from '../../bench/refreshQueries';
import { TEST_BED } from '../lib/components.mjs';
import { check } from './checks';
import { grafanaFetch } from './grafana-fetch';
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
 * five kinds cluster-wide, and one list of each serves them all; Events only about Argo Rollouts objects. Continue
 * pages of these lists are counted apart. Anything else that reaches the API server is a redundant request.
 */
const EXPECTED_LISTS = [
  'list analysisruns (all namespaces)',
  'list events (all namespaces) fieldSelector=involvedObject.apiVersion=argoproj.io/v1alpha1',
  'list experiments (all namespaces)',
  'list replicasets (all namespaces)',
  'list rollouts (all namespaces)',
];

/** The bounds of the check's own waits; its timeout is their sum plus time for its requests. */
const WAIT_MS = {
  namespacesDeleted: 90_000,
  serviceAccounts: 30_000,
  firstRevisions: 60_000,
  secondRevisions: 60_000,
  auditSettled: 5_000,
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

/** The data source as Grafana's frontend builds it, with the kube client's default cache and coalescing. */
async function provisionedDataSource(values: Map<string, string | string[]>) {
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
  const kube = createKubeClient({ baseUrl: kubeProxyBaseUrl(settings.url ?? ''), fetch: grafana.fetch });
  const dataSource = new DataSource(settings, variableReplacer(values), kube);
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
});
