import type { ReplicaSet } from 'kubernetes-types/apps/v1';
import type { Event } from 'kubernetes-types/core/v1';
import type { ObjectMeta } from 'kubernetes-types/meta/v1';

import type { AnalysisRun, Experiment, Rollout } from '../model/argo';
import { StringPool } from './stringPool';

/** The kinds the data source keeps, by the name of their Kubernetes kind. */
export interface StoredObjects {
  Rollout: Rollout;
  ReplicaSet: ReplicaSet;
  AnalysisRun: AnalysisRun;
  Experiment: Experiment;
  Event: Event;
}
export type StoredKind = keyof StoredObjects;
export const STORED_KINDS: readonly StoredKind[] = ['Rollout', 'ReplicaSet', 'AnalysisRun', 'Experiment', 'Event'];

/**
 * One Rollout and its objects: the ReplicaSets, Experiments and AnalysisRuns it owns (an AnalysisRun also through
 * its Experiment) and the Events about any of them. Each list is in name order, as the API server lists them.
 */
export interface RolloutObjects {
  rollout: Rollout;
  replicaSets: ReplicaSet[];
  analysisRuns: AnalysisRun[];
  experiments: Experiment[];
  events: Event[];
}

/** What changed: the kind and the namespace of an object that was added, changed or deleted. */
export interface StoreChange {
  kind: StoredKind;
  namespace: string;
}

type Listener = (change: StoreChange) => void;

/** Namespace and name in one key: namespace names cannot hold the separator. */
const SEPARATOR = '\u0000';
const nameKey = (namespace: string, name: string) => `${namespace}${SEPARATOR}${name}`;
const refKey = (namespace: string, kind: string, name: string) => `${namespace}${SEPARATOR}${kind}${SEPARATOR}${name}`;

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function metadataOf(object: unknown): ObjectMeta {
  const metadata = (object as { metadata?: unknown } | null)?.metadata;
  return typeof metadata === 'object' && metadata !== null ? (metadata as ObjectMeta) : {};
}

const namespaceOf = (object: unknown) => text(metadataOf(object).namespace);
const nameOf = (object: unknown) => text(metadataOf(object).name);

/** The name of the first owner of that kind, as the data source has always related objects to their Rollout. */
function ownerName(object: unknown, kind: string): string | undefined {
  const owners: unknown = metadataOf(object).ownerReferences;
  if (!Array.isArray(owners)) {
    return undefined;
  }
  for (const owner of owners) {
    if (typeof owner === 'object' && owner !== null && (owner as { kind?: unknown }).kind === kind) {
      const name = (owner as { name?: unknown }).name;
      return typeof name === 'string' ? name : undefined;
    }
  }
  return undefined;
}

/** The object an Event is about: its kind, and its namespace (the Event's own when it names none) and name. */
function involvedOf(event: unknown): { kind: string; namespace: string; name: string } {
  const involved: unknown = (event as { involvedObject?: unknown } | null)?.involvedObject;
  const fields = typeof involved === 'object' && involved !== null ? (involved as Record<string, unknown>) : {};
  return {
    kind: text(fields.kind),
    namespace: typeof fields.namespace === 'string' ? fields.namespace : namespaceOf(event),
    name: text(fields.name),
  };
}

/** uid, or namespace and name for an object without one. */
function keyOf(object: unknown): string {
  const metadata = metadataOf(object);
  return typeof metadata.uid === 'string' && metadata.uid !== ''
    ? metadata.uid
    : nameKey(text(metadata.namespace), text(metadata.name));
}

function sameVersion(a: unknown, b: unknown): boolean {
  const version = metadataOf(a).resourceVersion;
  return typeof version === 'string' && version !== '' && version === metadataOf(b).resourceVersion;
}

function byName(a: unknown, b: unknown): number {
  const x = nameOf(a);
  const y = nameOf(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Keys grouped under a key: the children of an owner, the Events about an object. */
class Groups {
  private readonly groups = new Map<string, Set<string>>();

  add(group: string, key: string): void {
    const members = this.groups.get(group);
    if (members) {
      members.add(key);
    } else {
      this.groups.set(group, new Set([key]));
    }
  }

  remove(group: string, key: string): void {
    const members = this.groups.get(group);
    if (members?.delete(key) && members.size === 0) {
      this.groups.delete(group);
    }
  }

  get(group: string): ReadonlySet<string> | undefined {
    return this.groups.get(group);
  }
}

/**
 * The objects a data source instance keeps between refreshes, as plain data: the compact views of each kind by
 * uid, found by their Rollout, and a generation per Rollout that grows whenever one of the Rollout's objects is
 * added, changed or deleted (see docs/architecture.md). Lists replace the objects of their scope; watch events
 * add, change and delete single objects.
 */
export class ClusterStore {
  /** The strings the compact views of this store's objects share (see `compact.ts`). */
  readonly strings = new StringPool();
  private readonly objects: { [K in StoredKind]: Map<string, StoredObjects[K]> } = {
    Rollout: new Map(),
    ReplicaSet: new Map(),
    AnalysisRun: new Map(),
    Experiment: new Map(),
    Event: new Map(),
  };
  /** Keys of Rollouts, AnalysisRuns and Experiments by namespace and name. */
  private readonly named: { [K in StoredKind]?: Map<string, string> } = {
    Rollout: new Map(),
    AnalysisRun: new Map(),
    Experiment: new Map(),
  };
  /** ReplicaSets, AnalysisRuns and Experiments by their owner; Events by the object they are about. */
  private readonly owned: { [K in StoredKind]?: Groups } = {
    ReplicaSet: new Groups(),
    AnalysisRun: new Groups(),
    Experiment: new Groups(),
    Event: new Groups(),
  };
  /** Per Rollout, the clock at the last change of its objects. */
  private readonly generations = new Map<string, number>();
  /** Per Rollout, the clock at the last change of its objects of each kind (in `STORED_KINDS` order). */
  private readonly kindGenerations = new Map<string, number[]>();
  private clock = 0;
  private readonly listeners = new Set<Listener>();
  /** While a list replaces a scope, its changes are announced once at the end. */
  private batch: Map<string, StoreChange> | undefined;

  /** Adds or replaces one object; an object with the resourceVersion already kept changes nothing. */
  upsert<K extends StoredKind>(kind: K, object: StoredObjects[K]): void {
    const key = keyOf(object);
    const previous = this.objects[kind].get(key);
    if (previous !== undefined && sameVersion(previous, object)) {
      return;
    }
    const before = previous === undefined ? undefined : this.rolloutKeyOf(kind, previous);
    if (previous !== undefined) {
      this.unindex(kind, key, previous);
    }
    this.objects[kind].set(key, object);
    this.index(kind, key, object);
    this.charge(before, kind);
    this.charge(this.rolloutKeyOf(kind, object), kind);
    this.announce(kind, namespaceOf(object));
  }

  /** Deletes one object (as a watch's DELETED event names it). */
  remove<K extends StoredKind>(kind: K, object: StoredObjects[K]): void {
    const key = keyOf(object);
    const previous = this.objects[kind].get(key);
    if (previous === undefined) {
      return;
    }
    const before = this.rolloutKeyOf(kind, previous);
    this.unindex(kind, key, previous);
    this.objects[kind].delete(key);
    this.charge(before, kind);
    this.announce(kind, namespaceOf(previous));
  }

  /**
   * What a list of one scope (a namespace, or every namespace for `undefined`) says: its objects replace those of
   * the scope; only what differs charges a Rollout.
   */
  replace<K extends StoredKind>(
    kind: K,
    namespace: string | undefined,
    objects: ReadonlyArray<StoredObjects[K]>
  ): void {
    this.batched(() => {
      const stale = new Set(this.keysIn(kind, namespace));
      for (const object of objects) {
        stale.delete(keyOf(object));
        this.upsert(kind, object);
      }
      for (const key of stale) {
        const object = this.objects[kind].get(key);
        if (object !== undefined) {
          this.remove(kind, object);
        }
      }
    });
  }

  /** Forgets the objects of one scope (a namespace, or every namespace for `undefined`). */
  drop(kind: StoredKind, namespace: string | undefined): void {
    this.replace(kind, namespace, []);
  }

  /** How many objects of a kind are kept. */
  count(kind: StoredKind): number {
    return this.objects[kind].size;
  }

  /** The Rollouts kept, of some namespaces or of all. */
  rollouts(namespaces?: ReadonlySet<string>): Rollout[] {
    const found: Rollout[] = [];
    for (const rollout of this.objects.Rollout.values()) {
      if (!namespaces || namespaces.has(namespaceOf(rollout))) {
        found.push(rollout);
      }
    }
    return found;
  }

  /** Grows with every change of any Rollout's objects: while it is the same, every `generationOf` is too. */
  get version(): number {
    return this.clock;
  }

  /**
   * The generation of a Rollout's objects of some kinds (all unless said): equal generations mean the same objects
   * of those kinds. One clock counts every change, so the largest of the kinds' last changes grows with any of them.
   */
  generationOf(namespace: string, name: string, kinds?: readonly StoredKind[]): number {
    if (kinds === undefined) {
      return this.generations.get(nameKey(namespace, name)) ?? 0;
    }
    const byKind = this.kindGenerations.get(nameKey(namespace, name));
    if (byKind === undefined) {
      return 0;
    }
    let generation = 0;
    for (const kind of kinds) {
      generation = Math.max(generation, byKind[STORED_KINDS.indexOf(kind)]);
    }
    return generation;
  }

  /** A Rollout and its objects, or undefined when no such Rollout is kept. */
  objectsOf(namespace: string, name: string): RolloutObjects | undefined {
    const rolloutKey = this.named.Rollout!.get(nameKey(namespace, name));
    const rollout = rolloutKey === undefined ? undefined : this.objects.Rollout.get(rolloutKey);
    if (rollout === undefined) {
      return undefined;
    }
    const replicaSets = this.ownedBy('ReplicaSet', refKey(namespace, 'Rollout', name));
    const experiments = this.ownedBy('Experiment', refKey(namespace, 'Rollout', name));
    const analysisRuns = this.ownedBy('AnalysisRun', refKey(namespace, 'Rollout', name));
    for (const experiment of experiments) {
      analysisRuns.push(...this.ownedBy('AnalysisRun', refKey(namespace, 'Experiment', nameOf(experiment))));
    }
    const events = this.ownedBy('Event', refKey(namespace, 'Rollout', name));
    for (const experiment of experiments) {
      events.push(...this.ownedBy('Event', refKey(namespace, 'Experiment', nameOf(experiment))));
    }
    for (const run of analysisRuns) {
      events.push(...this.ownedBy('Event', refKey(namespace, 'AnalysisRun', nameOf(run))));
    }
    return {
      rollout,
      replicaSets: replicaSets.sort(byName),
      analysisRuns: uniqueByKey(analysisRuns).sort(byName),
      experiments: experiments.sort(byName),
      events: events.sort(byName),
    };
  }

  /** Calls `listener` after every change (once per list). Returns the function that stops it. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private ownedBy<K extends StoredKind>(kind: K, group: string): Array<StoredObjects[K]> {
    const keys = this.owned[kind]?.get(group);
    const found: Array<StoredObjects[K]> = [];
    if (keys) {
      for (const key of keys) {
        const object = this.objects[kind].get(key);
        if (object !== undefined) {
          found.push(object);
        }
      }
    }
    return found;
  }

  private *keysIn(kind: StoredKind, namespace: string | undefined): Iterable<string> {
    for (const [key, object] of this.objects[kind]) {
      if (namespace === undefined || namespaceOf(object) === namespace) {
        yield key;
      }
    }
  }

  /** The groups an object is found in: its owners, or for an Event the object it is about. */
  private groupsOf(kind: StoredKind, object: unknown): string[] {
    const namespace = namespaceOf(object);
    const groups: string[] = [];
    if (kind === 'Event') {
      const involved = involvedOf(object);
      groups.push(refKey(involved.namespace, involved.kind, involved.name));
    } else if (kind !== 'Rollout') {
      const rollout = ownerName(object, 'Rollout');
      if (rollout !== undefined) {
        groups.push(refKey(namespace, 'Rollout', rollout));
      }
      const experiment = kind === 'AnalysisRun' ? ownerName(object, 'Experiment') : undefined;
      if (experiment !== undefined) {
        groups.push(refKey(namespace, 'Experiment', experiment));
      }
    }
    return groups;
  }

  private index(kind: StoredKind, key: string, object: unknown): void {
    this.named[kind]?.set(nameKey(namespaceOf(object), nameOf(object)), key);
    for (const group of this.groupsOf(kind, object)) {
      this.owned[kind]?.add(group, key);
    }
  }

  private unindex(kind: StoredKind, key: string, object: unknown): void {
    const names = this.named[kind];
    const name = nameKey(namespaceOf(object), nameOf(object));
    if (names?.get(name) === key) {
      names.delete(name);
    }
    for (const group of this.groupsOf(kind, object)) {
      this.owned[kind]?.remove(group, key);
    }
  }

  /** The Rollout (namespace and name key) an object belongs to, as far as the objects kept tell. */
  private rolloutKeyOf(kind: StoredKind, object: unknown): string | undefined {
    const namespace = namespaceOf(object);
    switch (kind) {
      case 'Rollout':
        return nameKey(namespace, nameOf(object));
      case 'ReplicaSet':
      case 'Experiment': {
        const rollout = ownerName(object, 'Rollout');
        return rollout === undefined ? undefined : nameKey(namespace, rollout);
      }
      case 'AnalysisRun': {
        const rollout = ownerName(object, 'Rollout');
        if (rollout !== undefined) {
          return nameKey(namespace, rollout);
        }
        const experiment = ownerName(object, 'Experiment');
        return experiment === undefined ? undefined : this.rolloutKeyOfNamed('Experiment', namespace, experiment);
      }
      case 'Event': {
        const involved = involvedOf(object);
        if (involved.kind === 'Rollout') {
          return nameKey(involved.namespace, involved.name);
        }
        return involved.kind === 'AnalysisRun' || involved.kind === 'Experiment'
          ? this.rolloutKeyOfNamed(involved.kind, involved.namespace, involved.name)
          : undefined;
      }
    }
  }

  private rolloutKeyOfNamed(kind: 'AnalysisRun' | 'Experiment', namespace: string, name: string): string | undefined {
    const key = this.named[kind]!.get(nameKey(namespace, name));
    const object = key === undefined ? undefined : this.objects[kind].get(key);
    return object === undefined ? undefined : this.rolloutKeyOf(kind, object);
  }

  private charge(rolloutKey: string | undefined, kind: StoredKind): void {
    if (rolloutKey === undefined) {
      return;
    }
    let byKind = this.kindGenerations.get(rolloutKey);
    if (byKind === undefined) {
      byKind = STORED_KINDS.map(() => 0);
      this.kindGenerations.set(rolloutKey, byKind);
    }
    byKind[STORED_KINDS.indexOf(kind)] = ++this.clock;
    this.generations.set(rolloutKey, this.clock);
  }

  private announce(kind: StoredKind, namespace: string): void {
    const change = { kind, namespace };
    if (this.batch) {
      this.batch.set(`${kind}${SEPARATOR}${namespace}`, change);
      return;
    }
    for (const listener of this.listeners) {
      listener(change);
    }
  }

  private batched(work: () => void): void {
    if (this.batch) {
      work();
      return;
    }
    const batch = new Map<string, StoreChange>();
    this.batch = batch;
    try {
      work();
    } finally {
      this.batch = undefined;
    }
    for (const change of batch.values()) {
      for (const listener of this.listeners) {
        listener(change);
      }
    }
  }
}

/** An AnalysisRun owned by a Rollout and by one of its Experiments is found twice: keep it once. */
function uniqueByKey<T>(objects: T[]): T[] {
  const seen = new Set<string>();
  return objects.filter((object) => {
    const key = keyOf(object);
    if (seen.has(key)) {
      return false;
    }
    seen.add(key);
    return true;
  });
}
