/**
 * The steady state: the overview dashboard over a cluster that the data source already read and watches, refreshed
 * after 1 % of its Rollouts changed. The cluster is served by a stand-in API server whose collections can be listed
 * and watched (`LiveCollection`); the real DataSource reads it through the real kube client, with a streaming fetch,
 * so the first load lists and opens one watch per kind and scope, and the changes arrive as watch events. Three
 * rounds of changes (other Rollouts each time), each followed by a refresh. Measured: list requests, bytes sent to
 * the plugin, the wall and CPU time of the refreshes after the changes, and what the data source instance holds in
 * the JS heap after the first load.
 */
import './node-globals';

import { performance } from 'node:perf_hooks';

import { createKubeClient } from '../../src/datasource/kube/client';
import { LiveCollection } from '../../src/datasource/kube/testing/live-collection';
import { nodeHttpFetch } from '../../src/datasource/kube/testing/node-http-fetch';
import { nodeStreamFetch } from '../../src/datasource/kube/testing/node-stream-fetch';
import { notFound, startStandInApiServer } from '../../src/datasource/kube/testing/stand-in-api-server';
import { loadOverviewDashboard } from './dashboard';
import { CLUSTER_NOW_MS, generateCluster, LIST_META, type ListBodies, SIZES } from './generate';
import type { ClusterStore } from '../../src/datasource/store/clusterStore';
import { benchDataSource } from './pipeline';
import { profiled } from './profile';
import { resolveVariables, runRefreshQueries } from './refreshQueries';

/** The share of Rollouts that change between the two refreshes. */
export const CHANGED_SHARE = 0.01;
/** Rounds of changes, each followed by a refresh: the figures are the median (time) or the largest (requests). */
const ROUNDS = 3;
/** New Events per changed Rollout (a step, its pause, a scale-up...). */
const EVENTS_PER_CHANGE = 5;
const RANGE = { from: CLUSTER_NOW_MS - 7 * 24 * 3_600_000, to: CLUSTER_NOW_MS };
const WAIT_MS = 120_000;

export interface SteadyResult {
  /** List requests of the refresh after the changes (watches excluded). */
  http_lists: number;
  /** Bytes sent to the plugin from the end of the first load to the end of that refresh: watch events, checks. */
  bytes: number;
  /** Wall time of that refresh. */
  pipeline_ms: number;
  /** CPU time of this process during that refresh (the stand-in API server's included, idle by then). */
  pipeline_cpu_ms: number;
  /** The first load through HTTP, for reference: lists, bytes, wall time. */
  first: { http_lists: number; bytes: number; wall_ms: number };
  changedRollouts: number;
  watches: number;
  /** JS heap the data source instance holds after the first load (its store, its cache), after a full GC. */
  informerHeapBytes: number;
}

type Item = Record<string, any>;

const LIST_PATH = /^\/(?:api\/v1|apis\/[^/]+\/[^/]+)(?:\/namespaces\/([^/]+))?\/([a-z]+)$/;
const isWatch = (query: URLSearchParams) => query.get('watch') === '1' || query.get('watch') === 'true';

async function until(what: string, condition: () => boolean): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > WAIT_MS) {
      throw new Error(`timed out after ${WAIT_MS} ms waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const ownerName = (item: Item) => item.metadata?.ownerReferences?.[0]?.name;

/**
 * What changes in one Rollout: its status moves a step, one of its ReplicaSets scales, a new AnalysisRun starts and
 * new Events arrive, each a copy of one of its own objects with a new name and newer times.
 */
function changesOf(rollout: Item, items: Record<keyof ListBodies, Item[]>, serial: number) {
  const { namespace, name } = rollout.metadata;
  const mine = (item: Item) => item.metadata?.namespace === namespace;
  const replicaSet = items.replicasets.find((item) => mine(item) && ownerName(item) === name);
  const run = items.analysisruns.find((item) => mine(item) && ownerName(item) === name);
  const events = items.events.filter((item) => mine(item) && item.involvedObject?.name === name);
  const at = new Date(CLUSTER_NOW_MS - 60_000 + serial).toISOString().replace(/\.\d+Z$/, 'Z');
  return {
    rollout: {
      ...rollout,
      status: { ...rollout.status, message: `step ${serial} in progress`, currentStepIndex: serial % 8 },
    },
    replicaSet: replicaSet && {
      ...replicaSet,
      status: { ...replicaSet.status, replicas: (replicaSet.status?.replicas ?? 0) + 1 },
    },
    run: run && {
      ...run,
      metadata: { ...run.metadata, name: `${run.metadata.name}-steady`, uid: `steady-run-${serial}` },
      status: { ...run.status, phase: 'Running', startedAt: at },
    },
    events: events.slice(0, EVENTS_PER_CHANGE).map((event, i) => ({
      ...event,
      metadata: { ...event.metadata, name: `${name}.steady-${serial}-${i}`, uid: `steady-event-${serial}-${i}` },
      firstTimestamp: at,
      lastTimestamp: at,
    })),
  };
}

const gc = (): void => (globalThis as { gc?: () => void }).gc?.();

const cpuMs = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const changedPerRound = (rollouts: number) => Math.max(1, Math.round(rollouts * CHANGED_SHARE));

interface ExpectedChange {
  namespace: string;
  name: string;
  events: string[];
  run?: string;
}

/** Changes 1 % of the Rollouts (other ones each round) in the served collections; returns what the store must get. */
function changeRollouts(
  items: Record<keyof ListBodies, Item[]>,
  collections: Map<keyof ListBodies, LiveCollection>,
  round: number
): { expected: ExpectedChange[] } {
  const rollouts = items.rollouts;
  const changed = changedPerRound(rollouts.length);
  const expected: ExpectedChange[] = [];
  for (let i = 0; i < changed; i++) {
    const rollout = rollouts[(Math.floor((i * rollouts.length) / changed) + round) % rollouts.length];
    const change = changesOf(rollout, items, round * changed + i + 1);
    collections.get('rollouts')!.upsert(change.rollout);
    if (change.replicaSet) {
      collections.get('replicasets')!.upsert(change.replicaSet);
    }
    if (change.run) {
      collections.get('analysisruns')!.upsert(change.run);
    }
    change.events.forEach((event) => collections.get('events')!.upsert(event));
    expected.push({
      namespace: rollout.metadata.namespace,
      name: rollout.metadata.name,
      events: change.events.map((event) => event.metadata.name),
      run: change.run?.metadata.name,
    });
  }
  return { expected };
}

function untilStored(store: ClusterStore, expected: readonly ExpectedChange[]): Promise<void> {
  return until('the watch events in the store', () =>
    expected.every(({ namespace, name, events, run }) => {
      const objects = store.objectsOf(namespace, name);
      const eventNames = new Set(objects?.events.map((event) => event.metadata?.name));
      return (
        objects !== undefined &&
        events.every((event) => eventNames.has(event)) &&
        (run === undefined || objects.analysisRuns.some((one) => one.metadata?.name === run))
      );
    })
  );
}

export async function measureSteady(sizeLabel: keyof typeof SIZES, seed: number): Promise<SteadyResult> {
  const { bodies, deploymentReplicaSets } = generateCluster(SIZES[sizeLabel], seed);
  const plurals = Object.keys(bodies) as Array<keyof ListBodies>;
  const items = Object.fromEntries(
    plurals.map((plural) => [plural, (JSON.parse(bodies[plural]) as { items: Item[] }).items])
  ) as Record<keyof ListBodies, Item[]>;
  const collections = new Map(
    plurals.map((plural) => {
      const inCluster =
        plural === 'replicasets'
          ? [...items.replicasets, ...deploymentReplicaSets.map((item) => JSON.parse(item))]
          : items[plural];
      const { kind, apiVersion } = LIST_META[plural];
      return [plural, new LiveCollection(kind.replace(/List$/, ''), apiVersion, inCluster, 4242)] as const;
    })
  );
  const server = await startStandInApiServer((request) => {
    if (request.method === 'POST') {
      // SelfSubjectAccessReviews: the identity may list everything.
      return { status: 201, body: { status: { allowed: true } } };
    }
    const match = LIST_PATH.exec(request.path);
    const collection = collections.get(match?.[2] as keyof ListBodies);
    return collection ? collection.handler(match?.[1])(request) : notFound();
  });
  const kube = createKubeClient({
    baseUrl: server.baseUrl,
    fetch: nodeHttpFetch(),
    streamFetch: nodeStreamFetch(),
  });
  const lists = (from: number) =>
    server.requests.slice(from).filter((request) => request.method === 'GET' && !isWatch(request.query)).length;
  const bytes = () => server.requests.reduce((sum, request) => sum + request.bytes, 0);
  try {
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    const dashboard = loadOverviewDashboard();
    const values = new Map<string, string | string[]>();
    const dataSource = benchDataSource(kube, values);

    const firstStarted = performance.now();
    await resolveVariables(dataSource, dashboard, values);
    const first = await runRefreshQueries(dataSource, dashboard, RANGE);
    const firstMs = performance.now() - firstStarted;
    if (first.errors.length > 0) {
      throw new Error(`the first load returned errors: ${first.errors.join('; ')}`);
    }
    await until('one watch per kind and scope', () =>
      dataSource.informer.status().every((scope) => scope.mode === 'watching')
    );
    const watches = server.requests.filter((request) => isWatch(request.query) && !request.aborted).length;
    const firstLists = lists(0);
    const firstBytes = bytes();
    gc();
    const informerHeapBytes = process.memoryUsage().heapUsed - heapBefore;

    const rounds: Array<{ lists: number; bytes: number; ms: number; cpuMs: number }> = [];
    for (let round = 0; round < ROUNDS; round++) {
      const mark = server.requests.length;
      const bytesBefore = bytes();
      const changed = changeRollouts(items, collections, round);
      await untilStored(dataSource.informer.store, changed.expected);
      const started = performance.now();
      const startedCpu = cpuMs();
      const refresh = await profiled(`steady-${sizeLabel}-${round + 1}`, () =>
        runRefreshQueries(dataSource, dashboard, RANGE)
      );
      const ms = performance.now() - started;
      if (refresh.errors.length > 0) {
        throw new Error(`the steady refresh returned errors: ${refresh.errors.join('; ')}`);
      }
      rounds.push({ lists: lists(mark), bytes: bytes() - bytesBefore, ms, cpuMs: cpuMs() - startedCpu });
      process.stderr.write(`  steady round ${round + 1}/${ROUNDS}: ${ms.toFixed(0)} ms\n`);
    }
    const result: SteadyResult = {
      http_lists: Math.max(...rounds.map((one) => one.lists)),
      bytes: Math.max(...rounds.map((one) => one.bytes)),
      pipeline_ms: median(rounds.map((one) => one.ms)),
      pipeline_cpu_ms: median(rounds.map((one) => one.cpuMs)),
      first: { http_lists: firstLists, bytes: firstBytes, wall_ms: firstMs },
      changedRollouts: changedPerRound(items.rollouts.length),
      watches,
      informerHeapBytes,
    };
    dataSource.informer.stop();
    return result;
  } finally {
    await server.close();
  }
}
