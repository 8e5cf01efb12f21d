import type { Event, Namespace } from 'kubernetes-types/core/v1';
import type { ReplicaSet } from 'kubernetes-types/apps/v1';

import type { AnalysisRun, Experiment, Rollout } from '../model/argo';

/**
 * A kind of object the plugin lists. `T` is the type of one item; it only exists at compile time so that
 * `client.list(ROLLOUTS)` returns `Rollout[]`.
 */
export interface KubeResource<T = unknown> {
  /** API group; '' for the core group served under /api. */
  readonly group: string;
  readonly version: string;
  /** Lower-case plural used in paths and in RBAC rules. */
  readonly plural: string;
  readonly kind: string;
  readonly namespaced: boolean;
  /** Never set: carries the item type. */
  readonly itemType?: T;
}

export const ARGO_GROUP = 'argoproj.io';
export const ARGO_VERSION = 'v1alpha1';
export const ARGO_GROUP_VERSION = `${ARGO_GROUP}/${ARGO_VERSION}`;

export const ROLLOUTS: KubeResource<Rollout> = {
  group: ARGO_GROUP,
  version: ARGO_VERSION,
  plural: 'rollouts',
  kind: 'Rollout',
  namespaced: true,
};

export const ANALYSIS_RUNS: KubeResource<AnalysisRun> = {
  group: ARGO_GROUP,
  version: ARGO_VERSION,
  plural: 'analysisruns',
  kind: 'AnalysisRun',
  namespaced: true,
};

export const EXPERIMENTS: KubeResource<Experiment> = {
  group: ARGO_GROUP,
  version: ARGO_VERSION,
  plural: 'experiments',
  kind: 'Experiment',
  namespaced: true,
};

export const REPLICA_SETS: KubeResource<ReplicaSet> = {
  group: 'apps',
  version: 'v1',
  plural: 'replicasets',
  kind: 'ReplicaSet',
  namespaced: true,
};

/** core/v1 Events: the API the Argo Rollouts controller writes through (see the reference notes). */
export const EVENTS: KubeResource<Event> = {
  group: '',
  version: 'v1',
  plural: 'events',
  kind: 'Event',
  namespaced: true,
};

export const NAMESPACES: KubeResource<Namespace> = {
  group: '',
  version: 'v1',
  plural: 'namespaces',
  kind: 'Namespace',
  namespaced: false,
};

/** Every kind the plugin reads, in the order the health check reports them. */
export const READ_RESOURCES: ReadonlyArray<KubeResource<unknown>> = [
  ROLLOUTS,
  ANALYSIS_RUNS,
  EXPERIMENTS,
  REPLICA_SETS,
  EVENTS,
  NAMESPACES,
];

/** `rollouts.argoproj.io`, `replicasets.apps`, `events`: the name kubectl and RBAC messages use. */
export function qualifiedName(resource: Pick<KubeResource, 'group' | 'plural'>): string {
  return resource.group ? `${resource.plural}.${resource.group}` : resource.plural;
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Namespace names are DNS-1123 labels: at most 63 characters of a-z, 0-9 and '-'. */
export function isValidNamespace(namespace: string): boolean {
  return namespace.length <= 63 && DNS1123_LABEL.test(namespace);
}

/**
 * Object names of every kind we read are DNS-1123 subdomains (Events are named `<object>.<hex>`).
 * The check keeps '/', '..', '%' and '?' out of paths.
 */
export function isValidObjectName(name: string): boolean {
  return name.length <= 253 && DNS1123_SUBDOMAIN.test(name);
}

/** `/api/v1` for the core group, `/apis/<group>/<version>` otherwise. */
export function groupVersionPath(group: string, version: string): string {
  return group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
}

function assertNamespace(namespace: string): void {
  if (!isValidNamespace(namespace)) {
    throw new RangeError(
      `"${namespace}" is not a valid namespace name: use lower-case letters, digits and '-', at most 63 characters`
    );
  }
}

/**
 * Path of a collection: cluster-wide when `namespace` is undefined or empty, else inside that namespace.
 * Throws a RangeError for an invalid namespace, or for a namespace given to a cluster-scoped kind.
 */
export function listPath(resource: KubeResource<unknown>, namespace?: string): string {
  const base = groupVersionPath(resource.group, resource.version);
  if (namespace === undefined || namespace === '') {
    return `${base}/${resource.plural}`;
  }
  if (!resource.namespaced) {
    throw new RangeError(`${qualifiedName(resource)} are not namespaced; list them without a namespace`);
  }
  assertNamespace(namespace);
  return `${base}/namespaces/${namespace}/${resource.plural}`;
}

/** Path of one object. Namespaced kinds need a namespace; the name must be a DNS-1123 subdomain. */
export function objectPath(resource: KubeResource<unknown>, name: string, namespace?: string): string {
  if (!isValidObjectName(name)) {
    throw new RangeError(`"${name}" is not a valid object name`);
  }
  if (resource.namespaced && !namespace) {
    throw new RangeError(`${qualifiedName(resource)} are namespaced; give a namespace to get one by name`);
  }
  return `${listPath(resource, namespace)}/${name}`;
}
