/**
 * The steady state: the overview dashboard over a cluster that the data source already read and watches, refreshed
 * after 1 % of its Rollouts changed. The cluster is served by a stand-in API server whose collections can be listed
 * and watched (`LiveCollection`); the real DataSource reads it through the real kube client, with a streaming fetch,
 * so the first load lists and opens one watch per kind and scope, and the changes arrive as watch events. Three
 * rounds of changes (other Rollouts each time), each followed by a refresh. Measured: list requests, bytes sent to
 * the plugin, the wall and CPU time of the refreshes after the changes, and what the data source instance holds in
 * the JS heap after them (`heldByInstance`).
 */
import './node-globals';

import { performance } from 'node:perf_hooks';

import { createKubeClient, type KubeClient } from '../../src/datasource/kube/client';
import { LiveCollection } from '../../src/datasource/kube/testing/live-collection';
import { nodeHttpFetch } from '../../src/datasource/kube/testing/node-http-fetch';
import { nodeStreamFetch } from '../../src/datasource/kube/testing/node-stream-fetch';
import {
  notFound,
  type StandInApiServer,
  startStandInApiServer,
} from '../../src/datasource/kube/testing/stand-in-api-server';
import { loadOverviewDashboard } from './dashboard';
import { CLUSTER_NOW_MS, generateCluster, LIST_META, type ListBodies, SIZES } from './generate';
import type { ClusterStore } from '../../src/datasource/store/clusterStore';
import type { DataSource } from '../../src/datasource/datasource';
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
  /**
   * JS heap the data source instance holds after the steady rounds: everything the heap frees once the instance and
   * its kube client are gone (`heldByInstance`).
   */
  informerHeapBytes: number;
  /**
   * The growth of the whole heap from before the instance was made to the end of the first load, after a full GC:
   * the measure of run 14 and before, for comparison. It also counts what is not the instance's (the stand-in API
   * server's state and request log, code compiled meanwhile).
   */
  firstLoadHeapGrowthBytes: number;
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

/** A full collection, after the current job: V8 keeps the targets of WeakRefs made in a job alive until it ends. */
async function fullGc(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  gc();
  gc();
}

/** The data source instance and its kube client: what the instance owns, apart from the cluster it reads. */
interface Instance {
  dataSource: DataSource;
  kube: KubeClient;
}

/**
 * What the instance holds in the JS heap: `heapUsed` with the instance alive, minus `heapUsed` once its informer is
 * stopped and nothing refers to it or its kube client any more, each after full collections. The difference is
 * everything only the instance keeps alive (its store, indexes and generations, the per-Rollout cache, the merged
 * lists, live-query state, the kube client's caches and connections), and nothing the process kept beside it (the
 * stand-in API server, which is the cluster, its request log, code compiled meanwhile). Throws when the instance is
 * still reachable after the collection: the difference would then be no measure of it.
 *
 * `instance` must be the only reference to the instance left: the caller drops its own before calling.
 */
async function heldByInstance(instance: { current?: Instance }): Promise<number> {
  await fullGc();
  const withInstance = process.memoryUsage().heapUsed;
  const collected = new WeakRef(instance.current!.dataSource);
  instance.current!.dataSource.informer.stop();
  instance.current = undefined;
  // Aborted watch streams close their sockets in the next turns of the event loop.
  await new Promise((resolve) => setTimeout(resolve, 200));
  await fullGc();
  const withoutInstance = process.memoryUsage().heapUsed;
  if (collected.deref() !== undefined) {
    throw new Error('the data source instance is still reachable after it was dropped: its heap cannot be measured');
  }
  return withInstance - withoutInstance;
}

interface Rounds {
  result: Omit<SteadyResult, 'informerHeapBytes'>;
  instance: { current?: Instance };
}

/** The first load and the steady rounds; returns the figures and the instance, still alive. */
async function loadAndRefresh(
  sizeLabel: keyof typeof SIZES,
  server: StandInApiServer,
  items: Record<keyof ListBodies, Item[]>,
  collections: Map<keyof ListBodies, LiveCollection>
): Promise<Rounds> {
  const lists = (from: number) =>
    server.requests.slice(from).filter((request) => request.method === 'GET' && !isWatch(request.query)).length;
  const bytes = () => server.requests.reduce((sum, request) => sum + request.bytes, 0);
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const dashboard = loadOverviewDashboard();
  const values = new Map<string, string | string[]>();
  const kube = createKubeClient({
    baseUrl: server.baseUrl,
    fetch: nodeHttpFetch(),
    streamFetch: nodeStreamFetch(),
  });
  const dataSource = benchDataSource(kube, values);
  const instance = { current: { dataSource, kube } };

  const firstStarted = performance.now();
  await resolveVariables(dataSource, dashboard, values);
  const firstErrors = (await runRefreshQueries(dataSource, dashboard, RANGE)).errors;
  const firstMs = performance.now() - firstStarted;
  if (firstErrors.length > 0) {
    throw new Error(`the first load returned errors: ${firstErrors.join('; ')}`);
  }
  await until('one watch per kind and scope', () =>
    dataSource.informer.status().every((scope) => scope.mode === 'watching')
  );
  const watches = server.requests.filter((request) => isWatch(request.query) && !request.aborted).length;
  const firstLists = lists(0);
  const firstBytes = bytes();
  gc();
  const firstLoadHeapGrowthBytes = process.memoryUsage().heapUsed - heapBefore;

  const rounds: Array<{ lists: number; bytes: number; ms: number; cpuMs: number }> = [];
  for (let round = 0; round < ROUNDS; round++) {
    const mark = server.requests.length;
    const bytesBefore = bytes();
    const changed = changeRollouts(items, collections, round);
    await untilStored(dataSource.informer.store, changed.expected);
    const started = performance.now();
    const startedCpu = cpuMs();
    const { errors } = await profiled(`steady-${sizeLabel}-${round + 1}`, () =>
      runRefreshQueries(dataSource, dashboard, RANGE)
    );
    const ms = performance.now() - started;
    if (errors.length > 0) {
      throw new Error(`the steady refresh returned errors: ${errors.join('; ')}`);
    }
    rounds.push({ lists: lists(mark), bytes: bytes() - bytesBefore, ms, cpuMs: cpuMs() - startedCpu });
    process.stderr.write(`  steady round ${round + 1}/${ROUNDS}: ${ms.toFixed(0)} ms\n`);
  }
  return {
    result: {
      http_lists: Math.max(...rounds.map((one) => one.lists)),
      bytes: Math.max(...rounds.map((one) => one.bytes)),
      pipeline_ms: median(rounds.map((one) => one.ms)),
      pipeline_cpu_ms: median(rounds.map((one) => one.cpuMs)),
      first: { http_lists: firstLists, bytes: firstBytes, wall_ms: firstMs },
      changedRollouts: changedPerRound(items.rollouts.length),
      watches,
      firstLoadHeapGrowthBytes,
    },
    instance,
  };
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
  try {
    const { result, instance } = await loadAndRefresh(sizeLabel, server, items, collections);
    return { ...result, informerHeapBytes: await heldByInstance(instance) };
  } finally {
    await server.close();
  }
}
