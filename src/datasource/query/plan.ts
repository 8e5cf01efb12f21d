import {
  ANALYSIS_RUNS,
  ARGO_GROUP_VERSION,
  EVENTS,
  EXPERIMENTS,
  type KubeResource,
  listPath,
  qualifiedName,
  REPLICA_SETS,
  ROLLOUTS,
} from '../kube/resources';
import type { QueryType } from '../types';

/**
 * The kinds of object each query type reads. Rollouts are always read: tags and label filters come from them.
 * Events need the AnalysisRuns and Experiments too: events recorded on those belong to a rollout through them.
 * The revision history reads what the annotations read: an Experiment's AnalysisRuns and events count for its
 * revision, and the two share one timeline when they are on the same dashboard. The series are drawn from that
 * timeline too. The status query reads nothing: it shows what the others reported.
 */
const RESOURCES_BY_QUERY_TYPE: Record<QueryType, ReadonlyArray<KubeResource<unknown>>> = {
  annotations: [ROLLOUTS, REPLICA_SETS, ANALYSIS_RUNS, EXPERIMENTS, EVENTS],
  rollouts: [ROLLOUTS, REPLICA_SETS],
  revisions: [ROLLOUTS, REPLICA_SETS, ANALYSIS_RUNS, EXPERIMENTS, EVENTS],
  events: [ROLLOUTS, ANALYSIS_RUNS, EXPERIMENTS, EVENTS],
  // The analyses of an experiment step belong to their Rollout through their Experiment.
  analysisRuns: [ROLLOUTS, ANALYSIS_RUNS, EXPERIMENTS],
  series: [ROLLOUTS, REPLICA_SETS, ANALYSIS_RUNS, EXPERIMENTS, EVENTS],
  status: [],
};

export interface ListRequest {
  resource: KubeResource<unknown>;
  /** Undefined: cluster-wide. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

/** Only Events about Argo Rollouts objects: the API server leaves out the Pod and ReplicaSet chatter. */
export const ARGO_EVENTS_FIELD_SELECTOR = `involvedObject.apiVersion=${ARGO_GROUP_VERSION}`;

/**
 * Only the ReplicaSets Argo Rollouts owns: the controller labels each with its pod-template-hash, a Deployment's
 * ReplicaSets carry `pod-template-hash` instead. In most clusters the others are the greater part.
 */
export const ARGO_REPLICA_SETS_LABEL_SELECTOR = 'rollouts-pod-template-hash';

/**
 * The kinds and scopes a query reads, each listed once and then watched: one per kind and namespace scope.
 * Namespaces of the query win; without them the data source's default namespaces; without those, all namespaces.
 * A query's label selector is applied to the Rollouts in the browser, so that queries with different selectors
 * share one watch.
 */
export function planRequests(
  queryType: QueryType,
  filter: { namespaces: readonly string[] },
  defaultNamespaces: readonly string[] = []
): ListRequest[] {
  const namespaces = filter.namespaces.length > 0 ? filter.namespaces : defaultNamespaces;
  const scopes: Array<string | undefined> = namespaces.length > 0 ? [...new Set(namespaces)] : [undefined];
  return RESOURCES_BY_QUERY_TYPE[queryType].flatMap((resource) =>
    scopes.map((namespace) => ({
      resource,
      namespace,
      labelSelector: resource === REPLICA_SETS ? ARGO_REPLICA_SETS_LABEL_SELECTOR : undefined,
      fieldSelector: resource === EVENTS ? ARGO_EVENTS_FIELD_SELECTOR : undefined,
    }))
  );
}

/** One line per kind and scope, as the query editor's preview shows it: the path and what RBAC must allow. */
export function describeRequest(request: ListRequest): string {
  const params = new URLSearchParams();
  if (request.labelSelector) {
    params.set('labelSelector', request.labelSelector);
  }
  if (request.fieldSelector) {
    params.set('fieldSelector', request.fieldSelector);
  }
  const query = params.toString() ? `?${params.toString()}` : '';
  const scope = request.namespace ? `in namespace ${request.namespace}` : 'in all namespaces';
  return `GET ${listPath(request.resource, request.namespace)}${query}   (list and watch ${qualifiedName(request.resource)} ${scope})`;
}
