/**
 * A seeded generator of realistic clusters: Rollouts with a history of revisions (canary with steps and analysis,
 * blue-green), one ReplicaSet per pod-template-hash with its revision annotation, AnalysisRuns with metric results,
 * and the Argo Rollouts events of the latest updates; beside them the ReplicaSets of a real cluster's Deployments
 * (`DEPLOYMENT_REPLICA_SETS_PER_ROLLOUT` per Rollout), which Argo Rollouts does not own. Output: the list bodies the
 * API server sends for the plugin's selectors, whole and in the pages the plugin's kube client asks for, and the
 * Deployments' ReplicaSets apart (the API server leaves them out of a `rollouts-pod-template-hash` list).
 */
import { DEFAULT_PAGE_SIZE } from '../../src/datasource/kube/client';
import { loadTemplates, type Placement, type ScenarioTemplate, stamp, type UpdateScenario } from './recorded';
import { type Random, seededRandom } from './random';

export interface ClusterSize {
  label: string;
  events: number;
  rollouts: number;
  replicaSets: number;
  analysisRuns: number;
}

export const SIZES: Record<'S' | 'M' | 'L', ClusterSize> = {
  S: { label: 'S', events: 1_000, rollouts: 50, replicaSets: 500, analysisRuns: 200 },
  M: { label: 'M', events: 10_000, rollouts: 500, replicaSets: 5_000, analysisRuns: 2_000 },
  L: { label: 'L', events: 100_000, rollouts: 5_000, replicaSets: 50_000, analysisRuns: 20_000 },
};

/** The lists one refresh reads cluster-wide, keyed by plural. */
export type ListBodies = Record<'rollouts' | 'replicasets' | 'analysisruns' | 'experiments' | 'events', string>;

export const LIST_META: Record<keyof ListBodies, { kind: string; apiVersion: string }> = {
  rollouts: { kind: 'RolloutList', apiVersion: 'argoproj.io/v1alpha1' },
  replicasets: { kind: 'ReplicaSetList', apiVersion: 'apps/v1' },
  analysisruns: { kind: 'AnalysisRunList', apiVersion: 'argoproj.io/v1alpha1' },
  experiments: { kind: 'ExperimentList', apiVersion: 'argoproj.io/v1alpha1' },
  events: { kind: 'EventList', apiVersion: 'v1' },
};

/** End of the generated history: the dashboard's "now". */
export const CLUSTER_NOW_MS = Date.parse('2026-11-20T12:00:00Z');

const APPS = ['checkout', 'payments', 'search', 'catalog', 'cart', 'ledger', 'notify', 'auth', 'pricing', 'inventory'];
const TEAMS = ['shop', 'billing', 'platform', 'growth', 'core'];

const CANARY_EPISODES: ReadonlyArray<readonly [UpdateScenario, number]> = [
  ['analysis-success', 55],
  ['canary-promote', 20],
  ['analysis-failure', 10],
  ['canary-abort', 10],
  ['rollback', 5],
];

interface Episode {
  template: ScenarioTemplate;
  /** Generated revision of the episode's update (recorded revision 2). */
  revision: number;
  startMs: number;
}

interface RolloutHistory {
  name: string;
  namespace: string;
  uid: string;
  hashes: Map<number, string>;
  /** Revision at which each hash was last deployed (the ReplicaSet's revision annotation). */
  latestRevisionOfHash: Map<string, number>;
  episodes: Episode[];
  initialStartMs: number;
}

function placement(history: RolloutHistory, base: number, shiftMs: number, random: Random): Placement {
  return {
    name: history.name,
    namespace: history.namespace,
    rolloutUid: history.uid,
    base,
    shiftMs,
    random,
    hashOfRevision: (revision) => history.hashes.get(revision) ?? history.hashes.get(1) ?? '',
  };
}

function planHistory(
  index: number,
  size: ClusterSize,
  templates: Map<UpdateScenario, ScenarioTemplate>,
  random: Random
): RolloutHistory {
  // Ten rollouts per namespace on average.
  const namespaceIndex = index % Math.max(1, Math.round(size.rollouts / 10));
  const namespace = `${TEAMS[namespaceIndex % TEAMS.length]}-${namespaceIndex}`;
  const name = `${random.pick(APPS)}-${index}`;
  const blueGreen = random.next() < 0.2;
  const hashesPerRollout = Math.max(2, Math.round(size.replicaSets / size.rollouts));
  const hashes = new Map<number, string>([[1, random.podTemplateHash()]]);
  const episodes: Array<Omit<Episode, 'startMs'>> = [];
  let revision = 1;
  while (new Set(hashes.values()).size < hashesPerRollout) {
    const template = templates.get(blueGreen ? 'bluegreen-promote' : random.weighted(CANARY_EPISODES))!;
    const base = revision - 1;
    for (const [recordedRevision, recordedHash] of template.hashByRevision) {
      if (recordedRevision < 2) {
        continue;
      }
      const firstWithHash = Math.min(
        ...[...template.hashByRevision].filter(([, hash]) => hash === recordedHash).map(([r]) => r)
      );
      hashes.set(
        base + recordedRevision,
        firstWithHash < 2 ? hashes.get(base + firstWithHash)! : random.podTemplateHash()
      );
    }
    episodes.push({ template, revision: base + 2 });
    revision = base + 1 + template.span;
  }
  // The newest update happened within the last six hours; earlier ones one to eighteen hours apart.
  let startMs = CLUSTER_NOW_MS - random.int(5, 6 * 60) * 60_000;
  const timed: Episode[] = [];
  for (const episode of [...episodes].reverse()) {
    timed.unshift({ ...episode, startMs });
    startMs -= random.int(60, 18 * 60) * 60_000;
  }
  const latestRevisionOfHash = new Map<string, number>();
  for (const [r, hash] of hashes) {
    latestRevisionOfHash.set(hash, Math.max(r, latestRevisionOfHash.get(hash) ?? 0));
  }
  return {
    name,
    namespace,
    uid: random.uuid(),
    hashes,
    latestRevisionOfHash,
    episodes: timed,
    initialStartMs: startMs,
  };
}

/** When a revision first rolled out: its episode's start, or the initial deploy. */
function revisionStartMs(history: RolloutHistory, revision: number): number {
  const episode = history.episodes.find((e) => e.revision <= revision && revision < e.revision + e.template.span);
  return episode?.startMs ?? history.initialStartMs;
}

/** A real cluster runs Deployments beside the Rollouts: this many of their ReplicaSets per Rollout. */
export const DEPLOYMENT_REPLICA_SETS_PER_ROLLOUT = 10;

/**
 * ReplicaSets of Deployments in a Rollout's namespace, shaped like its own (same pod template size) but owned by a
 * Deployment and labelled as the Deployment controller labels them: `pod-template-hash`, no
 * `rollouts-pod-template-hash`, no Argo annotations.
 */
function deploymentReplicaSetItems(history: RolloutHistory, argoReplicaSet: string, index: number): string[] {
  const items: string[] = [];
  for (let j = 0; j < DEPLOYMENT_REPLICA_SETS_PER_ROLLOUT; j++) {
    const item = JSON.parse(argoReplicaSet) as {
      metadata: Record<string, any>;
      spec?: { selector?: { matchLabels?: Record<string, string> }; template?: { metadata?: Record<string, any> } };
    };
    const deployment = `deploy-${index}-${j}`;
    const hash = `${(index * 31 + j).toString(36)}f${j}c`;
    const labels = { app: deployment, 'pod-template-hash': hash };
    item.metadata = {
      ...item.metadata,
      name: `${deployment}-${hash}`,
      namespace: history.namespace,
      uid: `${history.uid.slice(0, 24)}${String(index * 100 + j).padStart(12, '0')}`,
      labels,
      annotations: { 'deployment.kubernetes.io/revision': '1', 'deployment.kubernetes.io/desired-replicas': '1' },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: deployment,
          uid: `${history.uid.slice(0, 24)}${String(index * 100 + j + 50).padStart(12, '0')}`,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    };
    if (item.spec?.selector) {
      item.spec.selector.matchLabels = labels;
    }
    if (item.spec?.template?.metadata) {
      item.spec.template.metadata.labels = labels;
    }
    items.push(JSON.stringify(item));
  }
  return items;
}

function rolloutItem(history: RolloutHistory, random: Random): string {
  const last = history.episodes[history.episodes.length - 1];
  const { template } = last;
  return stamp(
    template,
    template.rollout,
    placement(history, last.revision - 2, last.startMs - template.updateStartMs, random)
  );
}

/** One ReplicaSet per hash: the last episode's own recorded ReplicaSets, older ones from a scaled-down one. */
function replicaSetItems(
  history: RolloutHistory,
  templates: Map<UpdateScenario, ScenarioTemplate>,
  random: Random
): string[] {
  const last = history.episodes[history.episodes.length - 1];
  const lastBase = last.revision - 2;
  const ownHashes = new Set(
    [...last.template.hashByRevision.keys()].map((r) => history.hashes.get(lastBase + r) ?? '')
  );
  const items: string[] = [];
  for (const [recordedHash, json] of last.template.replicaSets) {
    // A ReplicaSet is created when its revision first rolls out: the update's, or an earlier one's.
    const firstRevision = Math.min(
      ...[...last.template.hashByRevision].filter(([, hash]) => hash === recordedHash).map(([r]) => r)
    );
    const shiftMs =
      firstRevision < 2
        ? revisionStartMs(history, lastBase + firstRevision) - last.template.initialStartMs
        : last.startMs - last.template.updateStartMs;
    items.push(stamp(last.template, json, placement(history, lastBase, shiftMs, random)));
  }
  // canary-promote's revision 1 ReplicaSet ends scaled to zero: the shape of every superseded ReplicaSet.
  const old = templates.get(last.template.scenario === 'bluegreen-promote' ? 'bluegreen-promote' : 'canary-promote')!;
  const oldJson = old.replicaSets.get(old.hashByRevision.get(1)!)!;
  for (const [hash, revision] of history.latestRevisionOfHash) {
    if (ownHashes.has(hash)) {
      continue;
    }
    const shiftMs = revisionStartMs(history, revision) - old.initialStartMs;
    items.push(stamp(old, oldJson, placement(history, revision - 1, shiftMs, random)));
  }
  return items;
}

/** AnalysisRuns of the newest revisions: the episode's own, or a successful background analysis. */
function analysisRunItems(
  history: RolloutHistory,
  count: number,
  templates: Map<UpdateScenario, ScenarioTemplate>,
  random: Random
): string[] {
  const success = templates.get('analysis-success')!;
  const items: string[] = [];
  for (const episode of [...history.episodes].reverse()) {
    if (items.length >= count) {
      break;
    }
    const template = episode.template.analysisRuns.length > 0 ? episode.template : success;
    const [json] = template.analysisRuns;
    items.push(
      stamp(template, json, placement(history, episode.revision - 2, episode.startMs - template.updateStartMs, random))
    );
  }
  return items;
}

/** Events of the newest episodes, as many as `count`: older events have expired, as they do in Kubernetes. */
function eventItems(history: RolloutHistory, count: number, random: Random): string[] {
  const items: string[] = [];
  for (const episode of [...history.episodes].reverse()) {
    const { template } = episode;
    const stamped = template.episodeEvents.map((json) =>
      stamp(template, json, placement(history, episode.revision - 2, episode.startMs - template.updateStartMs, random))
    );
    items.unshift(...stamped.slice(Math.max(0, stamped.length - (count - items.length))));
    if (items.length >= count) {
      break;
    }
  }
  return items;
}

/** Spreads `total` over `parts` as evenly as whole numbers allow. */
const share = (total: number, parts: number, index: number) =>
  Math.floor(total / parts) + (index < total % parts ? 1 : 0);

function listBody(plural: keyof ListBodies, items: string[], metadata: string): string {
  const { kind, apiVersion } = LIST_META[plural];
  return `{"kind":"${kind}","apiVersion":"${apiVersion}","metadata":{${metadata}},"items":[${items.join(',')}]}`;
}

/**
 * The pages of a list as the API server sends them to a client that asks for `limit` items at a time: each page
 * but the last carries an opaque `continue` token and `remainingItemCount`.
 */
function listPages(plural: keyof ListBodies, items: string[], resourceVersion: number, limit: number): string[] {
  const pages: string[] = [];
  for (let start = 0; start === 0 || start < items.length; start += limit) {
    const end = Math.min(start + limit, items.length);
    const remaining = items.length - end;
    const token = Buffer.from(JSON.stringify({ rv: String(resourceVersion), start: end })).toString('base64');
    const metadata =
      remaining > 0
        ? `"resourceVersion":"${resourceVersion}","continue":"${token}","remainingItemCount":${remaining}`
        : `"resourceVersion":"${resourceVersion}"`;
    pages.push(listBody(plural, items.slice(start, end), metadata));
  }
  return pages;
}

export interface GeneratedCluster {
  /** One body per kind, every item in it. */
  bodies: ListBodies;
  /** The same items in pages of the kube client's page size. */
  pages: Record<keyof ListBodies, string[]>;
  counts: Record<keyof ListBodies, number>;
  /** The Deployments' ReplicaSets, one item each: in the cluster, never in a list the plugin makes. */
  deploymentReplicaSets: string[];
}

export function generateCluster(size: ClusterSize, seed: number): GeneratedCluster {
  const random = seededRandom(seed);
  const templates = loadTemplates();
  const items: Record<keyof ListBodies, string[]> = {
    rollouts: [],
    replicasets: [],
    analysisruns: [],
    experiments: [],
    events: [],
  };
  const deploymentReplicaSets: string[] = [];
  for (let index = 0; index < size.rollouts; index++) {
    const history = planHistory(index, size, templates, random);
    items.rollouts.push(rolloutItem(history, random));
    const replicaSets = replicaSetItems(history, templates, random);
    items.replicasets.push(...replicaSets);
    deploymentReplicaSets.push(...deploymentReplicaSetItems(history, replicaSets[0], index));
    items.analysisruns.push(
      ...analysisRunItems(history, share(size.analysisRuns, size.rollouts, index), templates, random)
    );
    items.events.push(...eventItems(history, share(size.events, size.rollouts, index), random));
  }
  const resourceVersion = 1_000_000 + random.int(0, 999_999);
  const plurals = Object.keys(items) as Array<keyof ListBodies>;
  return {
    bodies: Object.fromEntries(
      plurals.map((p) => [p, listBody(p, items[p], `"resourceVersion":"${resourceVersion}"`)])
    ) as ListBodies,
    pages: Object.fromEntries(
      plurals.map((p) => [p, listPages(p, items[p], resourceVersion, DEFAULT_PAGE_SIZE)])
    ) as Record<keyof ListBodies, string[]>,
    counts: Object.fromEntries(plurals.map((p) => [p, items[p].length])) as Record<keyof ListBodies, number>,
    deploymentReplicaSets,
  };
}
