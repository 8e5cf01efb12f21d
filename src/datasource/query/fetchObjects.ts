import type { ReplicaSet } from 'kubernetes-types/apps/v1';
import type { Event } from 'kubernetes-types/core/v1';

import type { AnalysisRun, Experiment, Rollout } from '../model/argo';
import type { KubeApi } from '../kube/client';
import { isKubeError } from '../kube/errors';
import {
  ANALYSIS_RUNS,
  EVENTS,
  EXPERIMENTS,
  listPath,
  NAMESPACES,
  REPLICA_SETS,
  ROLLOUTS,
  qualifiedName,
} from '../kube/resources';
import type { ListRequest } from './plan';
import type { ClusterObjects } from './related';

export interface FetchResult {
  objects: ClusterObjects;
  notices: string[];
  /**
   * Which lists were read at which resourceVersion: two results with the same snapshot hold the same objects, so
   * whatever is computed from them can be shared.
   */
  snapshot: string;
}

const FIELD_BY_PLURAL: Record<string, keyof ClusterObjects> = {
  [ROLLOUTS.plural]: 'rollouts',
  [REPLICA_SETS.plural]: 'replicaSets',
  [ANALYSIS_RUNS.plural]: 'analysisRuns',
  [EXPERIMENTS.plural]: 'experiments',
  [EVENTS.plural]: 'events',
};

type Outcome =
  { request: ListRequest; items: unknown[]; resourceVersion: string } | { request: ListRequest; error: unknown };

/**
 * Runs the planned lists in parallel. What one namespace may not be read (RBAC) or a kind this cluster lacks
 * becomes a notice and the rest is still returned; a failure that leaves nothing to show (the token is rejected,
 * the server is unreachable, Rollouts cannot be read anywhere) is thrown with its message.
 */
export async function fetchObjects(
  client: KubeApi,
  requests: readonly ListRequest[],
  signal?: AbortSignal
): Promise<FetchResult> {
  const outcomes: Outcome[] = await Promise.all(
    requests.map((request) =>
      client
        .list(request.resource, {
          namespace: request.namespace,
          labelSelector: request.labelSelector,
          fieldSelector: request.fieldSelector,
          signal,
        })
        .then(
          (result) => ({ request, items: result.items, resourceVersion: result.resourceVersion }),
          (error: unknown) => ({ request, error })
        )
    )
  );

  const listsByKind = new Map<keyof ClusterObjects, unknown[][]>();
  const notices: string[] = [];
  for (const outcome of outcomes) {
    if ('items' in outcome) {
      const field = FIELD_BY_PLURAL[outcome.request.resource.plural];
      listsByKind.set(field, [...(listsByKind.get(field) ?? []), outcome.items]);
      continue;
    }
    const { error, request } = outcome;
    const partial =
      isKubeError(error) &&
      (error.kind === 'forbidden' || (error.kind === 'crdMissing' && request.resource !== ROLLOUTS));
    if (!partial) {
      throw error;
    }
    notices.push(error.message);
  }

  const rolloutLists = outcomes.filter((outcome) => outcome.request.resource === ROLLOUTS);
  if (rolloutLists.length > 0 && rolloutLists.every((outcome) => 'error' in outcome)) {
    throw (rolloutLists[0] as { error: unknown }).error;
  }
  notices.push(...(await missingNamespaceNotices(client, rolloutLists, signal)));
  const snapshot = outcomes
    .map(({ request, ...outcome }) => {
      const list = `${listPath(request.resource, request.namespace)}?${request.labelSelector ?? ''}&${request.fieldSelector ?? ''}`;
      return `${list}@${'resourceVersion' in outcome && outcome.resourceVersion ? outcome.resourceVersion : '!'}`;
    })
    .join(' ');
  const merged = <T extends { metadata?: { uid?: string } }>(field: keyof ClusterObjects) =>
    mergeLists((listsByKind.get(field) ?? []) as T[][]);
  const objects: ClusterObjects = {
    rollouts: merged<Rollout>('rollouts'),
    replicaSets: merged<ReplicaSet>('replicaSets'),
    analysisRuns: merged<AnalysisRun>('analysisRuns'),
    experiments: merged<Experiment>('experiments'),
    events: merged<Event>('events'),
  };
  return { objects, notices, snapshot };
}

/** An empty list in a namespace that does not exist looks like success: say so, when the identity may look. */
async function missingNamespaceNotices(
  client: KubeApi,
  rolloutLists: Outcome[],
  signal?: AbortSignal
): Promise<string[]> {
  const emptyNamespaces = rolloutLists
    .filter((outcome) => 'items' in outcome && outcome.items.length === 0 && outcome.request.namespace)
    .map((outcome) => outcome.request.namespace as string);
  const missing = await Promise.all(
    emptyNamespaces.map((namespace) =>
      client.get(NAMESPACES, namespace, { signal }).then(
        () => undefined,
        (error: unknown) => (isKubeError(error) && error.kind === 'notFound' ? namespace : undefined)
      )
    )
  );
  return missing
    .filter((namespace): namespace is string => namespace !== undefined)
    .map(
      (namespace) => `Namespace "${namespace}" does not exist in this cluster, so it has no ${qualifiedName(ROLLOUTS)}.`
    );
}

/**
 * The lists of one kind as one array. A single list is returned as it is (the kube client's answer is shared
 * by the panels of a refresh and never modified). Several scopes can overlap (a namespace listed twice via
 * variables): the same object is kept once.
 */
function mergeLists<T extends { metadata?: { uid?: string } }>(lists: T[][]): T[] {
  if (lists.length <= 1) {
    return lists[0] ?? [];
  }
  const seen = new Set<string>();
  const merged: T[] = [];
  for (const list of lists) {
    for (const item of list) {
      const uid = item.metadata?.uid;
      if (uid) {
        if (seen.has(uid)) {
          continue;
        }
        seen.add(uid);
      }
      merged.push(item);
    }
  }
  return merged;
}
