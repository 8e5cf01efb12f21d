import { createDataFrame, DataFrameType, FieldType, type DataFrame, type QueryResultMetaNotice } from '@grafana/data';

import type { Rollout } from '../model/argo';
import type { TimelineEntry } from '../timeline/types';
import { PERCENT_UNIT } from './tables/fields';
import { canaryWeightOf } from './tables/rollouts';

/**
 * Time series built from the timeline, for the time series panel: a step function per rollout of the weight of
 * its newest revision, and the number of rollouts with an update in progress. Each value changes only at a moment
 * the timeline knows (an Event, a status time, a ReplicaSet's creation): between two moments the last value holds.
 */

export interface SeriesOptions {
  range: { from: number; to: number };
  /** Epoch milliseconds: updates still in progress are open until now. */
  now: number;
  cluster: string;
  refId?: string;
  notices?: QueryResultMetaNotice[];
}

/**
 * A value that holds from `time` on. `order` sorts changes of the same instant (Events have one-second timestamps):
 * by revision (an older one ends before a newer one starts), then a revision's start, its steps by their number, its
 * end, and last what the status says now.
 */
interface Change {
  time: number;
  value: number;
  order: number;
}

const START = 0;
const STEP = 1;
const END = 2;
const STATUS = Infinity;

/** The order of a change of `phase` (START, STEP plus a fraction, END) of the entry's revision. */
const orderOf = (entry: TimelineEntry, phase: number) => (entry.revision ?? 0) * 3 + phase;

/** The rollout of a revision: a region, or a point when it started and ended in one second. */
const isRevision = (entry: TimelineEntry) => entry.span === 'revision';

/**
 * The weight of the newest revision of one rollout, as it changed: 0 when an update starts, the weight in force at
 * each completed canary step, 100 when the update completes (every step done, or blue-green promoted), 0 when it is
 * aborted. A rollback or a newer revision starts again at 0.
 */
function weightChanges(entries: readonly TimelineEntry[]): Change[] {
  const changes: Change[] = [];
  for (const entry of entries) {
    if (isRevision(entry)) {
      changes.push({ time: entry.time, value: 0, order: orderOf(entry, START) });
      if (entry.endUnknown) {
        // Its end is not recorded: the weight holds until the next moment known.
      } else if (entry.outcome === 'succeeded') {
        changes.push({ time: entry.timeEnd, value: 100, order: orderOf(entry, END) });
      } else if (entry.outcome === 'aborted') {
        changes.push({ time: entry.timeEnd, value: 0, order: orderOf(entry, END) });
      }
    } else if (entry.kind === 'point' && entry.step?.weight !== undefined) {
      changes.push({
        time: entry.time,
        value: entry.step.weight,
        order: orderOf(entry, STEP + entry.step.index / (entry.step.total + 1)),
      });
    } else if (entry.kind === 'point' && entry.reason === 'RolloutAborted') {
      changes.push({ time: entry.time, value: 0, order: orderOf(entry, END) });
    }
  }
  return changes;
}

/** Changes in time order, then by `order`; the sort is stable, so ties keep their order. */
function inOrder(changes: Change[]): Change[] {
  return changes.sort((a, b) => a.time - b.time || a.order - b.order || 0);
}

/**
 * The step function over the range, from changes in order: the value in force at its start (when one was set
 * before), every change of value inside it (of several at one instant, the last: Grafana draws one value per time),
 * and the value at its end, so that the line reaches the right edge. Empty when nothing was set before the end.
 */
function stepFunction(ordered: Change[], from: number, end: number): { times: number[]; values: number[] } {
  const times: number[] = [];
  const values: number[] = [];
  if (end < from) {
    return { times, values };
  }
  const set = (time: number, value: number) => {
    if (times[times.length - 1] === time) {
      times.pop();
      values.pop();
    }
    if (values[values.length - 1] !== value) {
      times.push(time);
      values.push(value);
    }
  };
  let current: number | undefined;
  for (const change of ordered) {
    if (change.time > end) {
      break;
    }
    current = change.value;
    set(Math.max(change.time, from), current);
  }
  if (current !== undefined && times[times.length - 1] < end) {
    times.push(end);
    values.push(current);
  }
  return { times, values };
}

/** Entries grouped by namespace and rollout, in order of first appearance. */
function byRollout(entries: readonly TimelineEntry[]): Map<string, TimelineEntry[]> {
  const groups = new Map<string, TimelineEntry[]>();
  for (const entry of entries) {
    const key = `${entry.namespace}/${entry.rollout}`;
    const group = groups.get(key);
    if (group) {
      group.push(entry);
    } else {
      groups.set(key, [entry]);
    }
  }
  return groups;
}

function rolloutKey(rollout: Rollout): string {
  return `${rollout.metadata?.namespace ?? ''}/${rollout.metadata?.name ?? ''}`;
}

/**
 * While an update is in progress, the weight the Rollout's status asks for now: step Events expire after an hour,
 * the status does not. Blue-green rollouts have no weight in their status.
 */
function statusWeightNow(rollout: Rollout | undefined, entries: TimelineEntry[]): number | undefined {
  const latest = entries.filter(isRevision).pop();
  if (!rollout?.spec?.strategy?.canary || latest?.outcome !== 'inProgress') {
    return undefined;
  }
  return canaryWeightOf(rollout);
}

function timeSeriesFrame(
  name: string,
  times: number[],
  field: { name: string; values: number[]; labels: Record<string, string>; displayName: string; unit?: string },
  options: SeriesOptions
): DataFrame {
  return createDataFrame({
    name,
    refId: options.refId,
    meta: { type: DataFrameType.TimeSeriesMulti },
    fields: [
      { name: 'time', type: FieldType.time, values: times, config: {} },
      {
        name: field.name,
        type: FieldType.number,
        values: field.values,
        labels: field.labels,
        config: {
          displayNameFromDS: field.displayName,
          ...(field.unit ? { unit: field.unit, min: 0, max: 100 } : { decimals: 0, min: 0 }),
        },
      },
    ],
  });
}

/** The notices go on the first frame: Grafana shows a frame's notices on the panel. */
function withNotices(frames: DataFrame[], notices: QueryResultMetaNotice[] = []): DataFrame[] {
  if (notices.length > 0) {
    frames[0].meta = { ...frames[0].meta, notices };
  }
  return frames;
}

/**
 * One series per rollout: the weight of its newest revision, in percent. `entries` is the timeline of the
 * selected rollouts from their oldest known moment up to the end of the range (the value at the start of the range
 * depends on what happened before it); `rollouts` are their objects, for the weight their status asks for now.
 */
export function canaryWeightFrames(
  entries: readonly TimelineEntry[],
  rollouts: readonly Rollout[],
  options: SeriesOptions
): DataFrame[] {
  const end = Math.min(options.range.to, options.now);
  const objects = new Map(rollouts.map((rollout) => [rolloutKey(rollout), rollout]));
  const frames: DataFrame[] = [];
  for (const [key, group] of byRollout(entries)) {
    const changes = weightChanges(group);
    const [namespace, rollout] = [group[0].namespace, group[0].rollout];
    const now = options.range.to >= options.now ? statusWeightNow(objects.get(key), group) : undefined;
    if (now !== undefined) {
      changes.push({ time: options.now, value: now, order: STATUS });
    }
    const { times, values } = stepFunction(inOrder(changes), options.range.from, end);
    if (times.length === 0) {
      continue;
    }
    frames.push(
      timeSeriesFrame(
        key,
        times,
        {
          name: 'weight',
          values,
          labels: { cluster: options.cluster, namespace, rollout },
          displayName: key,
          unit: PERCENT_UNIT,
        },
        options
      )
    );
  }
  // No rollout had a weight before the end of the range: an empty series, which carries the notices.
  const empty = () =>
    timeSeriesFrame(
      'weight',
      [],
      { name: 'weight', values: [], labels: { cluster: options.cluster }, displayName: 'weight', unit: PERCENT_UNIT },
      options
    );
  return withNotices(frames.length > 0 ? frames : [empty()], options.notices);
}

/**
 * One series: how many of the selected rollouts had an update in progress (a revision's rollout between its start
 * and its end, whatever its outcome), from the same timeline.
 */
export function rolloutsInProgressFrames(entries: readonly TimelineEntry[], options: SeriesOptions): DataFrame[] {
  const end = Math.min(options.range.to, options.now);
  const deltas: Change[] = [];
  for (const entry of entries) {
    // A revision whose end is not recorded is counted nowhere: when it was in progress is not known.
    if (isRevision(entry) && !entry.endUnknown) {
      deltas.push({ time: entry.time, value: 1, order: START });
      if (entry.outcome !== 'inProgress') {
        deltas.push({ time: entry.timeEnd, value: -1, order: END });
      }
    }
  }
  let count = 0;
  const counts = inOrder(deltas).map((delta) => ({ ...delta, value: (count += delta.value) }));
  const { times, values } = stepFunction(counts, options.range.from, end);
  const series = (t: number[], v: number[]) =>
    timeSeriesFrame(
      'rollouts in progress',
      t,
      { name: 'inProgress', values: v, labels: { cluster: options.cluster }, displayName: 'Rollouts in progress' },
      options
    );
  // No update started before the end of the range: none in progress over the whole range.
  const none = end < options.range.from ? series([], []) : series([options.range.from, end], [0, 0]);
  const frame = times.length > 0 ? series(times, values) : none;
  return withNotices([frame], options.notices);
}
