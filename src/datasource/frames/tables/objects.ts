import type { ObjectMeta, OwnerReference } from 'kubernetes-types/meta/v1';

import { parsePositiveInt, parseTime } from '../../timeline/parse';

/** Keys the Argo Rollouts controller writes on the objects it creates (see the reference notes, §3.6). */
export const REVISION_ANNOTATION = 'rollout.argoproj.io/revision';
export const POD_TEMPLATE_HASH_LABEL = 'rollouts-pod-template-hash';
export const ROLLOUT_TYPE_LABEL = 'rollout-type';
export const STEP_INDEX_LABEL = 'step-index';

/** Anything with Kubernetes object metadata. */
export interface KubeObject {
  kind?: string;
  metadata?: ObjectMeta;
}

export function namespaceOf(object: KubeObject): string {
  return object.metadata?.namespace ?? '';
}

export function nameOf(object: KubeObject): string {
  return object.metadata?.name ?? '';
}

export function createdAt(object: KubeObject): number | undefined {
  return parseTime(object.metadata?.creationTimestamp);
}

/** The `rollout.argoproj.io/revision` annotation as a number. */
export function revisionOf(object: KubeObject): number | undefined {
  return parsePositiveInt(object.metadata?.annotations?.[REVISION_ANNOTATION]);
}

export function labelOf(object: KubeObject, key: string): string | undefined {
  const value = object.metadata?.labels?.[key];
  return typeof value === 'string' ? value : undefined;
}

/** The owner of the given kind, preferring the controller reference. */
export function ownerOfKind(object: KubeObject, kind: string): OwnerReference | undefined {
  const owners = (object.metadata?.ownerReferences ?? []).filter((owner) => owner.kind === kind);
  return owners.find((owner) => owner.controller === true) ?? owners[0];
}

/** Latest of the given timestamps, or undefined when none parses. */
export function latestTime(timestamps: ReadonlyArray<string | undefined>): number | undefined {
  let latest: number | undefined;
  for (const timestamp of timestamps) {
    const ms = parseTime(timestamp);
    if (ms !== undefined && (latest === undefined || ms > latest)) {
      latest = ms;
    }
  }
  return latest;
}

/** `namespace/name`, the identity of a namespaced object inside one cluster. */
export function objectKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}
