import type { DataFrame, QueryResultMetaNotice } from '@grafana/data';
import type { Event } from 'kubernetes-types/core/v1';

import type { AnalysisRun, Experiment, Rollout } from '../../model/argo';
import type { TagMapping } from '../../tags/tagMapping';
import { isRecord, parseTime, str } from '../../timeline/parse';
import {
  AGGREGATED_PREFIX,
  classifyReason,
  revisionInMessage,
  stepInMessage,
  stepPluginTransitionIn,
} from '../../timeline/reasons';
import type { Category } from '../../timeline/types';
import {
  buildTableOf,
  clusterColumn,
  compareText,
  newestFirst,
  numberColumn,
  stringColumn,
  tagsColumn,
  timeColumn,
  type Column,
} from './fields';
import {
  isObjectItem,
  type KubeObject,
  NamespacedIndex,
  nameOf,
  namespaceOf,
  ownerOfKind,
  revisionOf,
} from './objects';
import { TagTexts } from './tagTexts';

export interface EventRow {
  cluster: string;
  namespace: string;
  lastTime?: number;
  firstTime?: number;
  count: number;
  type?: string;
  reason: string;
  category: Category;
  /** The 1-based step a `RolloutStepCompleted` or `StepPluginTransition` Event is about. */
  step?: number;
  message: string;
  objectKind?: string;
  objectName?: string;
  rollout?: string;
  revision?: number;
  /** Joined, see `tagsText`. */
  tags: string;
}

export interface EventsTableOptions {
  cluster: string;
  tagMapping?: TagMapping;
  /** Rollouts of the queried namespaces: give each event its Rollout's labels for the tags. */
  rollouts?: readonly Rollout[];
  /**
   * AnalysisRuns and Experiments the events may be about: their owner references and revision annotation
   * tell the rollout and revision of events recorded on them.
   */
  analysisRuns?: readonly AnalysisRun[];
  experiments?: readonly Experiment[];
  notices?: QueryResultMetaNotice[];
}

export const EVENT_COLUMNS: ReadonlyArray<Column<EventRow>> = [
  clusterColumn(),
  timeColumn('lastTime', 'Last seen', (r) => r.lastTime),
  timeColumn('firstTime', 'First seen', (r) => r.firstTime),
  numberColumn('count', 'Count', (r) => r.count),
  stringColumn('type', 'Type', (r) => r.type),
  stringColumn('reason', 'Reason', (r) => r.reason),
  stringColumn('category', 'Category', (r) => r.category),
  numberColumn('step', 'Step', (r) => r.step),
  stringColumn('message', 'Message', (r) => r.message),
  stringColumn('namespace', 'Namespace', (r) => r.namespace),
  stringColumn('objectKind', 'Object kind', (r) => r.objectKind),
  stringColumn('objectName', 'Object', (r) => r.objectName),
  stringColumn('rollout', 'Rollout', (r) => r.rollout),
  numberColumn('revision', 'Revision', (r) => r.revision),
  tagsColumn(),
];

/**
 * One row per Kubernetes Event recorded on an Argo Rollouts object, most recently seen first. The events are
 * put in order by their keys first; each row is then made as its cells are filled (a list of events can be long).
 */
export function eventsTable(events: readonly Event[], options: EventsTableOptions): DataFrame {
  const links = new EventLinks(options.rollouts ?? [], {
    AnalysisRun: options.analysisRuns ?? [],
    Experiment: options.experiments ?? [],
  });
  const tagTexts = new TagTexts(options.cluster, options.tagMapping, links.rollouts);
  const objects = events.filter(isObjectItem);
  const shown = objects.filter(isArgoEvent);
  const keys = new OrderKeys(shown.length);
  let someAggregated = false;
  for (let i = 0; i < shown.length; i++) {
    const event = shown[i];
    keys.set(i, event);
    someAggregated ||= (str(event.message) ?? '').startsWith(AGGREGATED_PREFIX);
  }
  const order = keys.sortedIndexes();
  const notices = [...(options.notices ?? [])];
  if (objects.length < events.length) {
    const skipped = events.length - objects.length;
    notices.push({
      severity: 'warning',
      text: `Skipped ${skipped === 1 ? '1 event that is' : `${skipped} events that are`} no object.`,
    });
  }
  if (someAggregated) {
    notices.push({
      severity: 'info',
      text: 'Some events were combined by Kubernetes ("combined from similar events"): their earlier messages are lost.',
    });
  }
  if (shown.length === 0) {
    notices.push({
      severity: 'info',
      text: 'No events: Kubernetes deletes events after one hour by default (kube-apiserver --event-ttl).',
    });
  }
  return buildTableOf(
    order.length,
    (k) => {
      const index = order[k];
      const { lastTimes, firstTimes } = keys;
      return eventRow(
        shown[index],
        known(lastTimes[index]),
        known(firstTimes[index]),
        links,
        tagTexts,
        options.cluster
      );
    },
    EVENT_COLUMNS,
    { name: 'events', notices }
  );
}

/**
 * What the events are ordered by, read once per event: last seen, first seen (newest first, unknown last), then
 * namespace, object and reason. Times are kept as numbers, NaN for unknown.
 */
class OrderKeys {
  readonly lastTimes: Float64Array;
  readonly firstTimes: Float64Array;
  private readonly namespaces: string[];
  private readonly objectNames: Array<string | undefined>;
  private readonly reasons: string[];

  constructor(count: number) {
    this.lastTimes = new Float64Array(count);
    this.firstTimes = new Float64Array(count);
    this.namespaces = new Array<string>(count);
    this.objectNames = new Array<string | undefined>(count);
    this.reasons = new Array<string>(count);
  }

  set(index: number, event: Event): void {
    const involved = involvedObjectOf(event);
    const recordedLast = parseTime(event.lastTimestamp);
    this.lastTimes[index] = lastTimeOf(event, recordedLast) ?? Number.NaN;
    this.firstTimes[index] = firstTimeOf(event, recordedLast) ?? Number.NaN;
    this.namespaces[index] = involved.namespace ?? namespaceOf(event);
    this.objectNames[index] = involved.name;
    this.reasons[index] = str(event.reason) ?? '';
  }

  /** The indexes in table order; events that compare equal keep their order in the list. */
  sortedIndexes(): number[] {
    const { lastTimes, firstTimes, namespaces, objectNames, reasons } = this;
    const indexes = new Array<number>(lastTimes.length);
    for (let i = 0; i < indexes.length; i++) {
      indexes[i] = i;
    }
    return indexes.sort(
      (a, b) =>
        newestFirst(known(lastTimes[a]), known(lastTimes[b])) ||
        newestFirst(known(firstTimes[a]), known(firstTimes[b])) ||
        compareText(namespaces[a], namespaces[b]) ||
        compareText(objectNames[a], objectNames[b]) ||
        compareText(reasons[a], reasons[b]) ||
        a - b
    );
  }
}

/** A time kept as a number, NaN when unknown. */
const known = (time: number): number | undefined => (time === time ? time : undefined);

/** The object an event is recorded on (`involvedObject`), with the fields read here, each a string or undefined. */
interface InvolvedObject {
  apiVersion?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  uid?: string;
}

function involvedObjectOf(event: Event): InvolvedObject {
  const involved: unknown = event.involvedObject;
  if (!isRecord(involved)) {
    return {};
  }
  return {
    apiVersion: str(involved.apiVersion),
    kind: str(involved.kind),
    name: str(involved.name),
    namespace: str(involved.namespace),
    uid: str(involved.uid),
  };
}

/** Events whose object is not an Argo Rollouts object (e.g. Deployments' ScalingReplicaSet) are left out. */
function isArgoEvent(event: Event): boolean {
  const apiVersion = involvedObjectOf(event).apiVersion;
  return apiVersion === undefined || apiVersion.startsWith('argoproj.io/');
}

function eventRow(
  event: Event,
  lastTime: number | undefined,
  firstTime: number | undefined,
  links: EventLinks,
  tagTexts: TagTexts,
  cluster: string
): EventRow {
  const involved = involvedObjectOf(event);
  const namespace = involved.namespace ?? namespaceOf(event);
  const reason = str(event.reason) ?? '';
  const message = str(event.message) ?? '';
  const type = str(event.type);
  const { category, outcome } = classifyReason(reason, type, message);
  const related = links.relatedObject(involved);
  const rolloutName = links.rolloutName(involved, related);
  const revision = revisionInMessage(message) ?? (related ? links.revisionOf(related) : undefined);
  return {
    cluster,
    namespace,
    lastTime,
    firstTime,
    count: event.count ?? event.series?.count ?? 1,
    type,
    reason,
    category,
    step: stepOf(reason, message),
    message,
    objectKind: involved.kind,
    objectName: involved.name,
    rollout: rolloutName,
    revision,
    tags: tagTexts.textOf(namespace, rolloutName, { revision, reason, category, outcome }),
  };
}

/** The 1-based step a step's Event names: the one that completed, or the plugin step that changed. */
function stepOf(reason: string, message: string): number | undefined {
  if (reason === 'RolloutStepCompleted') {
    return stepInMessage(message)?.index;
  }
  return reason === 'StepPluginTransition' ? stepPluginTransitionIn(message)?.step : undefined;
}

/**
 * The controller's legacy recorder sets `lastTimestamp` (`recordedLast`, parsed); newer recorders set
 * `series`/`eventTime` instead.
 */
function lastTimeOf(event: Event, recordedLast: number | undefined): number | undefined {
  return (
    recordedLast ??
    parseTime(event.series?.lastObservedTime) ??
    parseTime(event.eventTime) ??
    parseTime(event.metadata?.creationTimestamp)
  );
}

function firstTimeOf(event: Event, recordedLast: number | undefined): number | undefined {
  // Most events were seen once: their first timestamp is their last one.
  if (recordedLast !== undefined && event.firstTimestamp === event.lastTimestamp) {
    return recordedLast;
  }
  return parseTime(event.firstTimestamp) ?? parseTime(event.eventTime) ?? parseTime(event.metadata?.creationTimestamp);
}

/** Lookups from an event to the objects it concerns. */
class EventLinks {
  /** The listed Rollouts by namespace and name. */
  readonly rollouts: NamespacedIndex<Rollout>;
  private readonly rolloutNamesByNamespace = new Map<string, string[]>();
  private readonly relatedByUid = new Map<string, KubeObject>();
  private readonly relatedByKind = new Map<string, NamespacedIndex<KubeObject>>();

  /** `relatedObjects` by their kind (list responses may leave `kind` out of the items). */
  constructor(rollouts: readonly Rollout[], relatedObjects: Record<string, readonly KubeObject[]>) {
    this.rollouts = NamespacedIndex.of(rollouts);
    for (const rollout of rollouts) {
      if (!isObjectItem(rollout)) {
        continue;
      }
      const namespace = namespaceOf(rollout);
      const names = this.rolloutNamesByNamespace.get(namespace);
      if (names) {
        names.push(nameOf(rollout));
      } else {
        this.rolloutNamesByNamespace.set(namespace, [nameOf(rollout)]);
      }
    }
    for (const [kind, objects] of Object.entries(relatedObjects)) {
      for (const object of objects) {
        const uid = isObjectItem(object) ? object.metadata?.uid : undefined;
        if (uid) {
          this.relatedByUid.set(uid, object);
        }
      }
      this.relatedByKind.set(kind, NamespacedIndex.of(objects));
    }
  }

  relatedObject(involved: InvolvedObject): KubeObject | undefined {
    return (
      (involved.uid ? this.relatedByUid.get(involved.uid) : undefined) ??
      this.relatedOfKind(involved.kind, involved.namespace ?? '', involved.name ?? '')
    );
  }

  /**
   * The Rollout an event belongs to: the object itself, its owner (through an Experiment for the AnalysisRuns
   * of an experiment step), or else the longest Rollout name the object's name starts with, since the
   * controller names AnalysisRuns and Experiments `<rollout>-<pod hash>-...`.
   */
  rolloutName(involved: InvolvedObject, related: KubeObject | undefined): string | undefined {
    if (involved.kind === 'Rollout') {
      return involved.name;
    }
    if (related) {
      const owner = this.owningRolloutName(related);
      if (owner !== undefined) {
        return owner;
      }
    }
    const name = involved.name ?? '';
    let longest: string | undefined;
    for (const candidate of this.rolloutNamesByNamespace.get(involved.namespace ?? '') ?? []) {
      const isPrefix = name.startsWith(candidate) && name[candidate.length] === '-';
      if (isPrefix && (longest === undefined || candidate.length > longest.length)) {
        longest = candidate;
      }
    }
    return longest;
  }

  /** The revision annotation of the object, or of its Experiment (experiment analyses carry none). */
  revisionOf(object: KubeObject): number | undefined {
    const experiment = this.owningExperiment(object);
    return revisionOf(object) ?? (experiment ? revisionOf(experiment) : undefined);
  }

  private relatedOfKind(kind: string | undefined, namespace: string, name: string): KubeObject | undefined {
    return kind !== undefined ? this.relatedByKind.get(kind)?.get(namespace, name) : undefined;
  }

  private owningRolloutName(object: KubeObject): string | undefined {
    const rolloutOwner = ownerOfKind(object, 'Rollout');
    if (rolloutOwner) {
      return rolloutOwner.name;
    }
    const experiment = this.owningExperiment(object);
    return experiment ? ownerOfKind(experiment, 'Rollout')?.name : undefined;
  }

  private owningExperiment(object: KubeObject): KubeObject | undefined {
    const owner = ownerOfKind(object, 'Experiment');
    if (!owner) {
      return undefined;
    }
    return (
      (owner.uid ? this.relatedByUid.get(owner.uid) : undefined) ??
      this.relatedOfKind('Experiment', namespaceOf(object), owner.name)
    );
  }
}
