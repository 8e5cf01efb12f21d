import { AGGREGATED_PREFIX } from './reasons';
import { counted, isRecord, parseTime, recordOrEmpty, str } from './parse';

export const ARGO_EVENT_KINDS = ['Rollout', 'AnalysisRun', 'Experiment'] as const;
export type ArgoEventKind = (typeof ARGO_EVENT_KINDS)[number];

/** Counts above this are kept but reported: the recorder's counter should never get there in practice. */
export const IMPLAUSIBLE_COUNT = 100_000;

export interface NormalizedEvent {
  /** Identity that survives re-creation of an expired Event (its name carries the first occurrence). */
  key: string;
  namespace: string;
  name?: string;
  uid?: string;
  involvedKind: ArgoEventKind;
  involvedName: string;
  reason: string;
  type?: string;
  message: string;
  aggregated: boolean;
  count: number;
  firstTime: number;
  lastTime: number;
}

export interface EventProblems {
  otherKinds: number;
  unparsable: number;
  missingTime: number;
  badCount: number;
  hugeCount: number;
  reversedTimes: number;
}

export function emptyEventProblems(): EventProblems {
  return { otherKinds: 0, unparsable: 0, missingTime: 0, badCount: 0, hugeCount: 0, reversedTimes: 0 };
}

function isArgoKind(kind: string | undefined): kind is ArgoEventKind {
  return (ARGO_EVENT_KINDS as readonly string[]).includes(kind ?? '');
}

/** One core/v1 (or events.k8s.io/v1) Event about an Argo object, or undefined with the problem counted. */
export function normalizeEvent(raw: unknown, problems: EventProblems): NormalizedEvent | undefined {
  if (!isRecord(raw)) {
    problems.unparsable++;
    return undefined;
  }
  const involved = isRecord(raw.involvedObject)
    ? raw.involvedObject
    : isRecord(raw.regarding)
      ? raw.regarding
      : undefined;
  const reason = str(raw.reason);
  const involvedName = involved ? str(involved.name) : undefined;
  if (!involved || !reason || !involvedName) {
    problems.unparsable++;
    return undefined;
  }
  const kind = str(involved.kind);
  const apiVersion = str(involved.apiVersion);
  if (!isArgoKind(kind) || (apiVersion !== undefined && !apiVersion.startsWith('argoproj.io/'))) {
    problems.otherKinds++;
    return undefined;
  }
  const metadata = recordOrEmpty(raw.metadata);
  const series = recordOrEmpty(raw.series);
  let firstTime =
    parseTime(raw.firstTimestamp) ??
    parseTime(raw.deprecatedFirstTimestamp) ??
    parseTime(raw.eventTime) ??
    parseTime(metadata.creationTimestamp);
  let lastTime =
    parseTime(raw.lastTimestamp) ?? parseTime(raw.deprecatedLastTimestamp) ?? parseTime(series.lastObservedTime);
  if (firstTime === undefined && lastTime === undefined) {
    problems.missingTime++;
    return undefined;
  }
  firstTime = firstTime ?? lastTime!;
  lastTime = lastTime ?? firstTime;
  if (lastTime < firstTime) {
    problems.reversedTimes++;
    [firstTime, lastTime] = [lastTime, firstTime];
  }
  const rawCount = raw.count ?? raw.deprecatedCount ?? series.count;
  let count = 1;
  if (rawCount !== undefined && rawCount !== null) {
    if (typeof rawCount === 'number' && Number.isSafeInteger(rawCount) && rawCount >= 1) {
      count = rawCount;
      if (count > IMPLAUSIBLE_COUNT) {
        problems.hugeCount++;
      }
    } else if (rawCount !== 0) {
      // count 0 is what an unset field serializes to in some clients: treat it as one occurrence.
      problems.badCount++;
    }
  }
  const rawMessage = str(raw.message) ?? str(raw.note) ?? '';
  const aggregated = rawMessage.startsWith(AGGREGATED_PREFIX);
  const message = aggregated ? rawMessage.slice(AGGREGATED_PREFIX.length) : rawMessage;
  const namespace = str(involved.namespace) ?? str(metadata.namespace) ?? '';
  const name = str(metadata.name);
  return {
    key: name
      ? `${namespace}/${name}`
      : [namespace, kind, involvedName, reason, rawMessage, String(firstTime)].join('\u0000'),
    namespace,
    name,
    uid: str(metadata.uid),
    involvedKind: kind,
    involvedName,
    reason,
    type: str(raw.type),
    message,
    aggregated,
    count,
    firstTime,
    lastTime,
  };
}

/** Lists may repeat an Event (pagination across a change): keep the most advanced copy of each. */
export function dedupeEvents(events: NormalizedEvent[]): NormalizedEvent[] {
  const byKey = new Map<string, NormalizedEvent>();
  for (const event of events) {
    const existing = byKey.get(event.key);
    if (!existing || compareProgress(event, existing) > 0) {
      byKey.set(event.key, event);
    }
  }
  return [...byKey.values()];
}

function compareProgress(a: NormalizedEvent, b: NormalizedEvent): number {
  return (
    a.count - b.count ||
    a.lastTime - b.lastTime ||
    a.firstTime - b.firstTime ||
    (a.message < b.message ? -1 : a.message > b.message ? 1 : 0) ||
    (a.reason < b.reason ? -1 : a.reason > b.reason ? 1 : 0)
  );
}

/** Whether an Event still proves an occurrence before its last one: its first. */
export function provesFirstOccurrence(event: NormalizedEvent): boolean {
  return event.count > 1 && event.firstTime !== event.lastTime;
}

/** The times of the occurrences an Event still proves: first and last (those between are lost). */
export function occurrenceTimes(event: NormalizedEvent): number[] {
  return provesFirstOccurrence(event) ? [event.firstTime, event.lastTime] : [event.lastTime];
}

export function eventProblemNotices(problems: EventProblems): string[] {
  const notices: string[] = [];
  if (problems.otherKinds > 0) {
    notices.push(
      `Ignored ${counted(problems.otherKinds, 'Event', 'Events')} about objects other than Rollouts, AnalysisRuns and Experiments.`
    );
  }
  if (problems.unparsable > 0) {
    notices.push(
      `Skipped ${counted(problems.unparsable, 'Event', 'Events')} that could not be read (no reason or object).`
    );
  }
  if (problems.missingTime > 0) {
    notices.push(`Skipped ${counted(problems.missingTime, 'Event', 'Events')} without a usable timestamp.`);
  }
  if (problems.badCount > 0) {
    notices.push(`${counted(problems.badCount, 'Event has', 'Events have')} an invalid count; counted once.`);
  }
  if (problems.hugeCount > 0) {
    notices.push(
      `${counted(problems.hugeCount, 'Event reports', 'Events report')} more than ${IMPLAUSIBLE_COUNT} occurrences; shown as reported.`
    );
  }
  if (problems.reversedTimes > 0) {
    notices.push(
      `${counted(problems.reversedTimes, 'Event has', 'Events have')} a last time before its first time (clock skew?); the two were swapped.`
    );
  }
  return notices;
}
