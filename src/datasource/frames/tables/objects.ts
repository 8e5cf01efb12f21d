import type { QueryResultMetaNotice } from '@grafana/data';
import type { ObjectMeta, OwnerReference } from 'kubernetes-types/meta/v1';

import { array, counted, isRecord, parsePositiveInt, parseTime } from '../../timeline/parse';

/** Keys the Argo Rollouts controller writes on the objects it creates (see the reference notes, §3.6). */
export const REVISION_ANNOTATION = 'rollout.argoproj.io/revision';
export const POD_TEMPLATE_HASH_LABEL = 'rollouts-pod-template-hash';
export const ROLLOUT_TYPE_LABEL = 'rollout-type';
export const STEP_INDEX_LABEL = 'step-index';

/** Whether a list item is an object at all (a list from a cluster may, at worst, hold anything). */
export function isObjectItem(item: unknown): boolean {
  return isRecord(item);
}

/** Anything with Kubernetes object metadata. */
export interface KubeObject {
  kind?: string;
  metadata?: ObjectMeta;
}

export function namespaceOf(object: KubeObject): string {
  const namespace: unknown = object.metadata?.namespace;
  return typeof namespace === 'string' ? namespace : '';
}

export function nameOf(object: KubeObject): string {
  const name: unknown = object.metadata?.name;
  return typeof name === 'string' ? name : '';
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

/** The owner of the given kind, preferring the controller reference; owner references that are no objects are passed over. */
export function ownerOfKind(object: KubeObject, kind: string): OwnerReference | undefined {
  let first: OwnerReference | undefined;
  for (const owner of array(object.metadata?.ownerReferences) as OwnerReference[]) {
    if (!isRecord(owner) || owner.kind !== kind) {
      continue;
    }
    if (owner.controller === true) {
      return owner;
    }
    first ??= owner;
  }
  return first;
}

/** Latest of the timestamps of the given items, or undefined when none parses; items that are no objects are passed over. */
export function latestTime<Item>(
  items: readonly Item[] | undefined,
  timestampOf: (item: Item) => string | undefined
): number | undefined {
  let latest: number | undefined;
  for (const item of array(items) as Item[]) {
    if (!isRecord(item)) {
      continue;
    }
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

  /** Each object by its own namespace and name; of two with the same identity, the later wins. No-objects are left out. */
  static of<Item extends KubeObject>(objects: readonly Item[]): NamespacedIndex<Item> {
    const index = new NamespacedIndex<Item>();
    for (const object of objects) {
      if (isObjectItem(object)) {
        index.set(namespaceOf(object), nameOf(object), object);
      }
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

export interface ReadableRows<Row> {
  rows: Row[];
  /** Says which items were skipped, when some were. */
  notices: QueryResultMetaNotice[];
  /** What was skipped, one description each (see `skippedNotice`). */
  skipped: string[];
}

/**
 * One row per object of a list that can be read. An item that is no object, or whose row cannot be made (fields
 * of types its schema does not allow), is skipped; a notice says how many, and names some.
 */
export function readableRows<Object extends KubeObject, Row>(
  items: readonly Object[],
  kind: { one: string; many: string },
  rowOf: (object: Object) => Row
): ReadableRows<Row> {
  const rows: Row[] = [];
  const skipped: string[] = [];
  for (const item of items) {
    if (!isObjectItem(item)) {
      skipped.push('an item that is no object');
      continue;
    }
    try {
      rows.push(rowOf(item));
    } catch {
      const namespace = namespaceOf(item);
      const name = nameOf(item);
      skipped.push(
        `${name ? `${namespace ? `${namespace}/` : ''}${name}` : 'one without a name'} (fields of unexpected types)`
      );
    }
  }
  return { rows, notices: skippedNotice(kind, skipped), skipped };
}

/** The notice that names the items skipped (at most three, and how many more), or none. */
export function skippedNotice(
  kind: { one: string; many: string },
  skipped: readonly string[]
): QueryResultMetaNotice[] {
  if (skipped.length === 0) {
    return [];
  }
  const shown = skipped.slice(0, 3).join(', ');
  const more = skipped.length > 3 ? ` and ${skipped.length - 3} more` : '';
  return [
    {
      severity: 'warning',
      text: `Skipped ${counted(skipped.length, kind.one, kind.many)} that could not be read: ${shown}${more}.`,
    },
  ];
}
