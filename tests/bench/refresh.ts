/**
 * One refresh of the bundled overview dashboard against a counting HTTP server: its query variables in order,
 * then every annotation query and panel at once, through the real DataSource class and kube client (coalescing
 * and the short cache included), as Grafana would run them.
 */
import './node-globals';

import { createKubeClient } from '../../src/datasource/kube/client';
import { nodeHttpFetch } from '../../src/datasource/kube/testing/node-http-fetch';
import { LiveCollection } from '../../src/datasource/kube/testing/live-collection';
import { notFound, startStandInApiServer } from '../../src/datasource/kube/testing/stand-in-api-server';
import type { QueryType } from '../../src/datasource/types';
import { loadOverviewDashboard } from './dashboard';
import { CLUSTER_NOW_MS, generateCluster, LIST_META, type ListBodies, SIZES } from './generate';
import { benchDataSource } from './pipeline';
import { refreshQueries, resolveVariables, runRefreshQueries } from './refreshQueries';

/**
 * What each query type needs to read, stated from what its result shows (not from the data source's plan):
 * annotations and revisions reconstruct history from ReplicaSets and AnalysisRuns and take exact times from
 * Events (and a revision's Experiments own some of its AnalysisRuns and events); the rollouts table shows
 * ReplicaSet images; events and analysis tables attribute runs of Experiments; the series are drawn from the
 * same history as the annotations; the status table shows what the others reported and reads nothing.
 */
const NEEDED_KINDS: Record<QueryType, string[]> = {
  annotations: ['rollouts', 'replicasets', 'analysisruns', 'experiments', 'events'],
  rollouts: ['rollouts', 'replicasets'],
  revisions: ['rollouts', 'replicasets', 'analysisruns', 'experiments', 'events'],
  events: ['rollouts', 'analysisruns', 'experiments', 'events'],
  analysisRuns: ['rollouts', 'analysisruns'],
  series: ['rollouts', 'replicasets', 'analysisruns', 'experiments', 'events'],
  status: [],
};
const VARIABLE_KINDS = ['rollouts'];

export interface RefreshResult {
  queries: number;
  http_requests: number;
  resource_kinds: number;
  /** First pages, i.e. lists started, by `plural namespace-scope`. */
  listsByScope: Record<string, number>;
  unneededKinds: string[];
  /** ReplicaSets owned by a Deployment in the cluster, and how many of them the plugin was sent. */
  deploymentReplicaSets: { inCluster: number; sent: number };
  errors: string[];
  wallMs: number;
}

const LIST_PATH = /^\/(?:api\/v1|apis\/[^/]+\/[^/]+)(?:\/namespaces\/([^/]+))?\/([a-z]+)$/;

type Item = { metadata?: { namespace?: string; ownerReferences?: Array<{ kind?: string }> } };

const ownedByDeployment = (item: Item) => item.metadata?.ownerReferences?.some((owner) => owner.kind === 'Deployment');

export async function replayRefresh(seed: number): Promise<RefreshResult> {
  const { bodies, deploymentReplicaSets } = generateCluster(SIZES.S, seed);
  const collections = new Map(
    (Object.keys(bodies) as Array<keyof ListBodies>).map((plural) => {
      const items = (JSON.parse(bodies[plural]) as { items: Item[] }).items;
      const inCluster =
        plural === 'replicasets' ? [...items, ...deploymentReplicaSets.map((i) => JSON.parse(i))] : items;
      const { kind, apiVersion } = LIST_META[plural];
      return [plural, new LiveCollection(kind.replace(/List$/, ''), apiVersion, inCluster, 4242)] as const;
    })
  );
  let deploymentReplicaSetsSent = 0;
  const server = await startStandInApiServer(async (request) => {
    const match = LIST_PATH.exec(request.path);
    const plural = match?.[2] as keyof ListBodies | undefined;
    if (request.method !== 'GET' || !plural || !collections.has(plural)) {
      return notFound();
    }
    const reply = await collections.get(plural)!.handler(match?.[1])(request);
    const sent = (reply.body as { items?: Item[] } | undefined)?.items ?? [];
    deploymentReplicaSetsSent += sent.filter(ownedByDeployment).length;
    return reply;
  });

  const dashboard = loadOverviewDashboard();
  const values = new Map<string, string | string[]>();
  const kube = createKubeClient({ baseUrl: server.baseUrl, fetch: nodeHttpFetch() });
  const dataSource = benchDataSource(kube, values);
  const started = Date.now();
  await resolveVariables(dataSource, dashboard, values);
  const { errors } = await runRefreshQueries(dataSource, dashboard, {
    from: CLUSTER_NOW_MS - 6 * 3_600_000,
    to: CLUSTER_NOW_MS,
  });
  const neededKinds = new Set(VARIABLE_KINDS);
  const targets = refreshQueries(dataSource, dashboard).flat();
  targets.forEach((target) => NEEDED_KINDS[target.queryType].forEach((kind) => neededKinds.add(kind)));
  await kube.whenIdle();
  const wallMs = Date.now() - started;
  await server.close();

  const listsByScope: Record<string, number> = {};
  for (const recorded of server.requests) {
    const match = LIST_PATH.exec(recorded.path);
    if (match && !recorded.query.get('continue')) {
      const key = `${match[2]} ${match[1] ?? '(all namespaces)'}`;
      listsByScope[key] = (listsByScope[key] ?? 0) + 1;
    }
  }
  const listedKinds = new Set(Object.keys(listsByScope).map((key) => key.split(' ')[0]));
  return {
    queries: dashboard.variables.length + targets.length,
    http_requests: server.requests.length,
    resource_kinds: listedKinds.size,
    listsByScope,
    unneededKinds: [...listedKinds].filter((kind) => !neededKinds.has(kind)),
    deploymentReplicaSets: { inCluster: deploymentReplicaSets.length, sent: deploymentReplicaSetsSent },
    errors,
    wallMs,
  };
}
