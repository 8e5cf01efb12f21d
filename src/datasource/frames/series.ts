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
 * end.
 */
interface Change {
  time: number;
  value: number;
  order: number;
}

const START = 0;
const STEP = 1;
const END = 2;

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
 * A step function over the range from `from` to `end`, drawn from the changes in order: the value in force at its
 * start (when one was set before), every change of value inside it (of several at one instant, the last: Grafana
 * draws one value per time), and the value at its end, so that the line reaches the right edge. Empty when nothing
 * was set before the end.
 */
class StepFunction {
  readonly times: number[] = [];
  readonly values: number[] = [];
  private current: number | undefined;

  constructor(
    private readonly from: number,
    private readonly end: number
  ) {}

  /** The value from `time` on; false, and nothing set, when `time` is past the end (so are the changes after it). */
  set(time: number, value: number): boolean {
    if (time > this.end || this.end < this.from) {
      return false;
    }
    const { times, values } = this;
    const at = Math.max(time, this.from);
    this.current = value;
    if (times[times.length - 1] === at) {
      times.pop();
      values.pop();
    }
    if (values[values.length - 1] !== value) {
      times.push(at);
      values.push(value);
    }
    return true;
  }

  /** The times and values, the last value held to the end. */
  drawn(): { times: number[]; values: number[] } {
    const { times, values, current } = this;
    if (current !== undefined && times[times.length - 1] < this.end) {
      times.push(this.end);
      values.push(current);
    }
    return { times, values };
  }
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
 * What the weight series of one rollout takes from its timeline and its object, whatever the range and `now`: made
 * once per change of its objects, drawn over a range at each refresh.
 */
export interface RolloutWeights {
  namespace: string;
  rollout: string;
  /** The first of its entries. */
  first: TimelineEntry;
  /** Its weight changes in order, as times and values; the end of a region still open is at `Infinity`. */
  times: number[];
  values: number[];
  /** Its revisions, in timeline order. */
  revisions: TimelineEntry[];
  /** The weight its status asks for, for a canary rollout. */
  statusWeight?: number;
}

/** The weight series of a rollout, from its entries in timeline order (none without entries) and its object. */
export function rolloutWeights(
  entries: readonly TimelineEntry[],
  rollout: Rollout | undefined
): RolloutWeights | undefined {
  if (entries.length === 0) {
    return undefined;
  }
  const changes = inOrder(weightChanges(entries));
  return {
    namespace: entries[0].namespace,
    rollout: entries[0].rollout,
    first: entries[0],
    times: changes.map((change) => change.time),
    values: changes.map((change) => change.value),
    revisions: entries.filter(isRevision),
    statusWeight: rollout?.spec?.strategy?.canary ? canaryWeightOf(rollout) : undefined,
  };
}

/**
 * While the newest revision up to `to` is in progress, the weight the Rollout's status asks for now: step Events
 * expire after an hour, the status does not. Blue-green rollouts have no weight in their status.
 */
function statusWeightNow(weights: RolloutWeights, to: number): number | undefined {
  if (weights.statusWeight === undefined) {
    return undefined;
  }
  let index = weights.revisions.length - 1;
  while (index >= 0 && weights.revisions[index].time > to) {
    index--;
  }
  return weights.revisions[index]?.outcome === 'inProgress' ? weights.statusWeight : undefined;
}

/**
 * The weight of a rollout over the range. What the status asks for now comes last of the changes at `now` (they
 * are in order up to `now`: an open region's end, at `Infinity`, is the last of them).
 */
function weightOverRange(weights: RolloutWeights, options: SeriesOptions): StepFunction {
  const { range, now } = options;
  const steps = new StepFunction(range.from, Math.min(range.to, now));
  const { times, values } = weights;
  for (let index = 0; index < times.length; index++) {
    if (!steps.set(times[index] === Infinity ? now : times[index], values[index])) {
      break;
    }
  }
  const status = range.to >= now ? statusWeightNow(weights, range.to) : undefined;
  if (status !== undefined) {
    steps.set(now, status);
  }
  return steps;
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
  const objects = new Map(rollouts.map((rollout) => [rolloutKey(rollout), rollout]));
  const weights = [...byRollout(entries)].map(([key, group]) => rolloutWeights(group, objects.get(key))!);
  return weightFrames(weights, options);
}

/** The frames of `canaryWeightFrames`, from the weight series of the rollouts in the order of their frames. */
export function weightFrames(weights: readonly RolloutWeights[], options: SeriesOptions): DataFrame[] {
  const frames: DataFrame[] = [];
  for (const one of weights) {
    const { times, values } = weightOverRange(one, options).drawn();
    if (times.length === 0) {
      continue;
    }
    const { namespace, rollout } = one;
    const key = `${namespace}/${rollout}`;
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

/** Moments in time order. */
export const byTime = (a: number, b: number) => a - b;

/**
 * The starts and ends of a rollout's updates (or of several rollouts'), each in time order, and how many end `now`
 * (regions still open).
 */
export interface Updates {
  starts: number[];
  ends: number[];
  openEnds: number;
}

/**
 * The starts and ends of the updates of `entries`. A revision whose end is not recorded is counted nowhere: when it
 * was in progress is not known.
 */
export function updatesOf(entries: readonly TimelineEntry[]): Updates {
  const starts: number[] = [];
  const ends: number[] = [];
  let openEnds = 0;
  for (const entry of entries) {
    if (isRevision(entry) && !entry.endUnknown) {
      starts.push(entry.time);
      if (entry.outcome === 'inProgress') {
        // In progress: it has no end yet.
      } else if (entry.timeEnd === Infinity) {
        openEnds++;
      } else {
        ends.push(entry.timeEnd);
      }
    }
  }
  return { starts: starts.sort(byTime), ends: ends.sort(byTime), openEnds };
}

/**
 * One series: how many of the selected rollouts had an update in progress (a revision's rollout between its start
 * and its end, whatever its outcome), from the same timeline.
 */
export function rolloutsInProgressFrames(entries: readonly TimelineEntry[], options: SeriesOptions): DataFrame[] {
  return inProgressFrames(updatesOf(entries), options);
}

/**
 * The frame of `rolloutsInProgressFrames`, from the starts and ends of the selected rollouts' updates. The count at
 * an instant is that of every start and end up to it, so the starts and ends of one instant count in any order.
 */
export function inProgressFrames({ starts, ends, openEnds }: Updates, options: SeriesOptions): DataFrame[] {
  const { range, now } = options;
  const end = Math.min(range.to, now);
  const steps = new StepFunction(range.from, end);
  let count = 0;
  let s = 0;
  let e = 0;
  while (s < starts.length || e < ends.length) {
    const isStart = e === ends.length || (s < starts.length && starts[s] <= ends[e]);
    if (!steps.set(isStart ? starts[s] : ends[e], isStart ? count + 1 : count - 1)) {
      break;
    }
    count += isStart ? 1 : -1;
    if (isStart) {
      s++;
    } else {
      e++;
    }
  }
  if (openEnds > 0 && range.to >= now) {
    steps.set(now, count - openEnds);
  }
  const { times, values } = steps.drawn();
  const series = (t: number[], v: number[]) =>
    timeSeriesFrame(
      'rollouts in progress',
      t,
      { name: 'inProgress', values: v, labels: { cluster: options.cluster }, displayName: 'Rollouts in progress' },
      options
    );
  // No update started before the end of the range: none in progress over the whole range.
  const none = end < range.from ? series([], []) : series([range.from, end], [0, 0]);
  const frame = times.length > 0 ? series(times, values) : none;
  return withNotices([frame], options.notices);
}
