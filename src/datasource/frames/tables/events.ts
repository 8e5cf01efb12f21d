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
  buildTable,
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

export interface EventRowOptions {
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
}

export interface EventsTableOptions extends EventRowOptions {
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

/** The order of the events table: last seen, first seen (newest first, unknown last), namespace, object, reason. */
export function compareEventRows(a: EventRow, b: EventRow): number {
  return (
    newestFirst(a.lastTime, b.lastTime) ||
    newestFirst(a.firstTime, b.firstTime) ||
    compareText(a.namespace, b.namespace) ||
    compareText(a.objectName, b.objectName) ||
    compareText(a.reason, b.reason)
  );
}

export interface EventRows {
  /** In table order (see `compareEventRows`); events that compare equal keep their order in the list. */
  rows: EventRow[];
  /** Items of the list that are no object. */
  skipped: number;
  /** Some message was combined by the event recorder. */
  someAggregated: boolean;
}

/** One row per Event recorded on an Argo Rollouts object (the others are left out), in table order. */
export function eventRows(events: readonly Event[], options: EventRowOptions): EventRows {
  const links = new EventLinks(options.rollouts ?? [], {
    AnalysisRun: options.analysisRuns ?? [],
    Experiment: options.experiments ?? [],
  });
  const tagTexts = new TagTexts(options.cluster, options.tagMapping, links.rollouts);
  const objects = events.filter(isObjectItem);
  const rows: EventRow[] = [];
  let someAggregated = false;
  for (const event of objects) {
    if (isArgoEvent(event)) {
      rows.push(eventRow(event, links, tagTexts, options.cluster));
      someAggregated ||= (str(event.message) ?? '').startsWith(AGGREGATED_PREFIX);
    }
  }
  return { rows: rows.sort(compareEventRows), skipped: events.length - objects.length, someAggregated };
}

/** What the events table says beside its rows: items skipped, messages combined by Kubernetes, no events at all. */
export function eventsNotices(
  summary: Pick<EventRows, 'skipped' | 'someAggregated'> & { rows: number }
): QueryResultMetaNotice[] {
  const notices: QueryResultMetaNotice[] = [];
  if (summary.skipped > 0) {
    notices.push({
      severity: 'warning',
      text: `Skipped ${summary.skipped === 1 ? '1 event that is' : `${summary.skipped} events that are`} no object.`,
    });
  }
  if (summary.someAggregated) {
    notices.push({
      severity: 'info',
      text: 'Some events were combined by Kubernetes ("combined from similar events"): their earlier messages are lost.',
    });
  }
  if (summary.rows === 0) {
    notices.push({
      severity: 'info',
      text: 'No events: Kubernetes deletes events after one hour by default (kube-apiserver --event-ttl).',
    });
  }
  return notices;
}

/** The events table of rows in table order. */
export function eventsFrame(rows: readonly EventRow[], notices: QueryResultMetaNotice[] = []): DataFrame {
  return buildTable(rows, EVENT_COLUMNS, { name: 'events', notices });
}

/** One row per Kubernetes Event recorded on an Argo Rollouts object, most recently seen first. */
export function eventsTable(events: readonly Event[], options: EventsTableOptions): DataFrame {
  const { rows, skipped, someAggregated } = eventRows(events, options);
  return eventsFrame(rows, [
    ...(options.notices ?? []),
    ...eventsNotices({ skipped, someAggregated, rows: rows.length }),
  ]);
}

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

function eventRow(event: Event, links: EventLinks, tagTexts: TagTexts, cluster: string): EventRow {
  const recordedLast = parseTime(event.lastTimestamp);
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
    lastTime: lastTimeOf(event, recordedLast),
    firstTime: firstTimeOf(event, recordedLast),
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
