import type { DataFrame, QueryResultMetaNotice } from '@grafana/data';
import type { Event } from 'kubernetes-types/core/v1';

import type { AnalysisRun, Experiment, Rollout } from '../../kube/argo-types';
import { tagsFor, type TagMapping } from '../../tags/tagMapping';
import { parseTime } from '../../timeline/parse';
import { AGGREGATED_PREFIX, classifyReason, revisionInMessage } from '../../timeline/reasons';
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
import { type KubeObject, nameOf, namespaceOf, objectKey, ownerOfKind, revisionOf } from './objects';
import { strategyOf } from './rollouts';

export interface EventRow {
  cluster: string;
  namespace: string;
  lastTime?: number;
  firstTime?: number;
  count: number;
  type?: string;
  reason: string;
  category: Category;
  message: string;
  objectKind?: string;
  objectName?: string;
  rollout?: string;
  revision?: number;
  tags: string[];
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
  stringColumn('message', 'Message', (r) => r.message),
  stringColumn('namespace', 'Namespace', (r) => r.namespace),
  stringColumn('objectKind', 'Object kind', (r) => r.objectKind),
  stringColumn('objectName', 'Object', (r) => r.objectName),
  stringColumn('rollout', 'Rollout', (r) => r.rollout),
  numberColumn('revision', 'Revision', (r) => r.revision),
  tagsColumn(),
];

/** One row per Kubernetes Event recorded on an Argo Rollouts object, most recently seen first. */
export function eventsTable(events: readonly Event[], options: EventsTableOptions): DataFrame {
  const links = new EventLinks(options.rollouts ?? [], [
    ...(options.analysisRuns ?? []).map((object) => ({ ...object, kind: 'AnalysisRun' })),
    ...(options.experiments ?? []).map((object) => ({ ...object, kind: 'Experiment' })),
  ]);
  const rows = events.filter(isArgoEvent).map((event) => eventRow(event, links, options));
  rows.sort(
    (a, b) =>
      newestFirst(a.lastTime, b.lastTime) ||
      newestFirst(a.firstTime, b.firstTime) ||
      compareText(a.namespace, b.namespace) ||
      compareText(a.objectName, b.objectName) ||
      compareText(a.reason, b.reason)
  );
  const notices = [...(options.notices ?? [])];
  if (rows.some((row) => row.message.startsWith(AGGREGATED_PREFIX))) {
    notices.push({
      severity: 'info',
      text: 'Some events were combined by Kubernetes ("combined from similar events"): their earlier messages are lost.',
    });
  }
  if (rows.length === 0) {
    notices.push({
      severity: 'info',
      text: 'No events: Kubernetes deletes events after one hour by default (kube-apiserver --event-ttl).',
    });
  }
  return buildTable(rows, EVENT_COLUMNS, { name: 'events', notices });
}

/** Events whose object is not an Argo Rollouts object (e.g. Deployments' ScalingReplicaSet) are left out. */
function isArgoEvent(event: Event): boolean {
  const apiVersion = event.involvedObject?.apiVersion;
  return apiVersion === undefined || apiVersion === '' || apiVersion.startsWith('argoproj.io/');
}

export function eventRow(event: Event, links: EventLinks, options: EventsTableOptions): EventRow {
  const involved = event.involvedObject ?? {};
  const namespace = involved.namespace ?? namespaceOf(event);
  const reason = event.reason ?? '';
  const message = event.message ?? '';
  const classified = classifyReason(reason, event.type, message);
  const related = links.relatedObject(event);
  const rolloutName = links.rolloutName(event, related);
  const rollout = rolloutName !== undefined ? links.rollout(namespace, rolloutName) : undefined;
  const revision = revisionInMessage(message) ?? (related ? links.revisionOf(related) : undefined);
  return {
    cluster: options.cluster,
    namespace,
    lastTime: lastTimeOf(event),
    firstTime: firstTimeOf(event),
    count: event.count ?? event.series?.count ?? 1,
    type: event.type,
    reason,
    category: classified.category,
    message,
    objectKind: involved.kind,
    objectName: involved.name,
    rollout: rolloutName,
    revision,
    tags: tagsFor(
      {
        cluster: options.cluster,
        namespace,
        rollout: rolloutName,
        revision,
        reason,
        category: classified.category,
        outcome: classified.outcome,
        strategy: rollout ? strategyOf(rollout) : undefined,
        rolloutLabels: rollout?.metadata?.labels,
        rolloutAnnotations: rollout?.metadata?.annotations,
      },
      options.tagMapping
    ),
  };
}

/** The controller's legacy recorder sets `lastTimestamp`; newer recorders set `series`/`eventTime` instead. */
function lastTimeOf(event: Event): number | undefined {
  return (
    parseTime(event.lastTimestamp) ??
    parseTime(event.series?.lastObservedTime) ??
    parseTime(event.eventTime) ??
    parseTime(event.metadata?.creationTimestamp)
  );
}

function firstTimeOf(event: Event): number | undefined {
  return parseTime(event.firstTimestamp) ?? parseTime(event.eventTime) ?? parseTime(event.metadata?.creationTimestamp);
}

/** Lookups from an event to the objects it concerns. */
export class EventLinks {
  private readonly rolloutsByKey = new Map<string, Rollout>();
  private readonly rolloutNamesByNamespace = new Map<string, string[]>();
  private readonly relatedByUid = new Map<string, KubeObject>();
  private readonly relatedByKindAndKey = new Map<string, KubeObject>();

  /** `relatedObjects` must carry their `kind` (list responses may leave it out of the items). */
  constructor(rollouts: readonly Rollout[], relatedObjects: readonly KubeObject[]) {
    for (const rollout of rollouts) {
      const namespace = namespaceOf(rollout);
      this.rolloutsByKey.set(objectKey(namespace, nameOf(rollout)), rollout);
      this.rolloutNamesByNamespace.set(namespace, [
        ...(this.rolloutNamesByNamespace.get(namespace) ?? []),
        nameOf(rollout),
      ]);
    }
    for (const object of relatedObjects) {
      const uid = object.metadata?.uid;
      if (uid) {
        this.relatedByUid.set(uid, object);
      }
      if (object.kind) {
        this.relatedByKindAndKey.set(`${object.kind}:${objectKey(namespaceOf(object), nameOf(object))}`, object);
      }
    }
  }

  rollout(namespace: string, name: string): Rollout | undefined {
    return this.rolloutsByKey.get(objectKey(namespace, name));
  }

  relatedObject(event: Event): KubeObject | undefined {
    const involved = event.involvedObject ?? {};
    return (
      (involved.uid ? this.relatedByUid.get(involved.uid) : undefined) ??
      this.relatedByKindAndKey.get(`${involved.kind}:${objectKey(involved.namespace ?? '', involved.name ?? '')}`)
    );
  }

  /**
   * The Rollout an event belongs to: the object itself, its owner (through an Experiment for the AnalysisRuns
   * of an experiment step), or else the longest Rollout name the object's name starts with, since the
   * controller names AnalysisRuns and Experiments `<rollout>-<pod hash>-...`.
   */
  rolloutName(event: Event, related: KubeObject | undefined): string | undefined {
    const involved = event.involvedObject ?? {};
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
    const candidates = this.rolloutNamesByNamespace.get(involved.namespace ?? '') ?? [];
    return candidates
      .filter((candidate) => name.startsWith(`${candidate}-`))
      .reduce<string | undefined>(
        (best, candidate) => (best && best.length >= candidate.length ? best : candidate),
        undefined
      );
  }

  /** The revision annotation of the object, or of its Experiment (experiment analyses carry none). */
  revisionOf(object: KubeObject): number | undefined {
    const experiment = this.owningExperiment(object);
    return revisionOf(object) ?? (experiment ? revisionOf(experiment) : undefined);
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
      this.relatedByKindAndKey.get(`Experiment:${objectKey(namespaceOf(object), owner.name)}`)
    );
  }
}
