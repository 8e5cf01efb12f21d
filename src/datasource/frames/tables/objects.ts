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
  let first: OwnerReference | undefined;
  for (const owner of object.metadata?.ownerReferences ?? []) {
    if (owner.kind !== kind) {
      continue;
    }
    if (owner.controller === true) {
      return owner;
    }
    first ??= owner;
  }
  return first;
}

/** Latest of the timestamps of the given items, or undefined when none parses. */
export function latestTime<Item>(
  items: readonly Item[],
  timestampOf: (item: Item) => string | undefined
): number | undefined {
  let latest: number | undefined;
  for (const item of items) {
    const ms = parseTime(timestampOf(item));
    if (ms !== undefined && (latest === undefined || ms > latest)) {
      latest = ms;
    }
  }
  return latest;
}

/**
 * Values by namespace and name, the identity of a namespaced object inside one cluster. Nested maps find them
 * without building a combined key per lookup.
 */
export class NamespacedIndex<Value> {
  private readonly byNamespace = new Map<string, Map<string, Value>>();

  /** Each object by its own namespace and name; of two with the same identity, the later wins. */
  static of<Item extends KubeObject>(objects: readonly Item[]): NamespacedIndex<Item> {
    const index = new NamespacedIndex<Item>();
    for (const object of objects) {
      index.set(namespaceOf(object), nameOf(object), object);
    }
    return index;
  }

  set(namespace: string, name: string, value: Value): void {
    const byName = this.byNamespace.get(namespace);
    if (byName) {
      byName.set(name, value);
    } else {
      this.byNamespace.set(namespace, new Map([[name, value]]));
    }
  }

  get(namespace: string, name: string): Value | undefined {
    return this.byNamespace.get(namespace)?.get(name);
  }
}
