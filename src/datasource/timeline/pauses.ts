import { type DraftEntry, openEnd } from './draft';
import { type NormalizedEvent, occurrenceTimes, provesFirstOccurrence } from './events';
import { entryId } from './hash';
import type { RolloutView } from './objects';
import { formatTime } from './parse';
import { pauseReasonInMessage } from './reasons';
import type { SourceRef } from './types';

/** Pause starts within this distance of each other are the same pause seen by an Event and by status. */
const SAME_PAUSE_MS = 120_000;

const PAUSE_STEP_COMPLETED = /completed \(pause\b/;

const PAUSE_ENDERS = new Set(['RolloutResumed', 'RolloutStepCompleted', 'RolloutAborted', 'RolloutCompleted']);

/**
 * Whether an occurrence ends a pause that started at `start`. Event times have one-second precision: in the
 * pause's own second, a resume, abort, completion or the completion of a pause step comes after it, while the
 * completion of another step (the `setWeight` that led into the pause) comes before it.
 */
function endsPauseAt(event: NormalizedEvent, time: number, start: number): boolean {
  if (!PAUSE_ENDERS.has(event.reason) || time < start) {
    return false;
  }
  if (time > start) {
    return true;
  }
  return event.reason !== 'RolloutStepCompleted' || PAUSE_STEP_COMPLETED.test(event.message);
}

interface Occurrence {
  time: number;
  event: NormalizedEvent;
}

/**
 * The first occurrence of the Events, in time order (then by Event key, unique among them), for which `matches`
 * holds.
 */
function firstOccurrence(
  events: NormalizedEvent[],
  matches: (event: NormalizedEvent, time: number) => boolean
): Occurrence | undefined {
  let firstTime = Infinity;
  let firstEvent: NormalizedEvent | undefined;
  const consider = (event: NormalizedEvent, time: number) => {
    if (
      matches(event, time) &&
      (!firstEvent || time < firstTime || (time === firstTime && event.key < firstEvent.key))
    ) {
      firstTime = time;
      firstEvent = event;
    }
  };
  for (const event of events) {
    if (provesFirstOccurrence(event)) {
      consider(event, event.firstTime);
    }
    consider(event, event.lastTime);
  }
  return firstEvent && { time: firstTime, event: firstEvent };
}

function eventRef(event: NormalizedEvent): SourceRef {
  return { kind: 'Event', namespace: event.namespace, name: event.name ?? event.reason, uid: event.uid };
}

interface PauseContext {
  namespace: string;
  rollout: string;
  view?: RolloutView;
  /** Events of this Rollout (involved object kind Rollout), any reason. */
  events: NormalizedEvent[];
  now: number;
  cluster: string;
}

/**
 * Pause regions. Current pauses come from `status.pauseConditions` (exact start, open while paused) and a
 * manual `spec.paused` (start from the Paused condition); past ones from `RolloutPaused` Events, ended by
 * the next resume, step completion, abort or completion Event, else by the next recorded activity.
 */
export function pauseRegions(ctx: PauseContext): DraftEntry[] {
  const { namespace, rollout, view, events, now, cluster } = ctx;
  const drafts: DraftEntry[] = [];
  const pauseEvents = events.filter((e) => e.reason === 'RolloutPaused');
  // The fields every pause region starts with are written out in each: spreading them into an object that then
  // grows by many more makes it much slower to build.
  const strategy = view?.strategy;
  const statusStarts: number[] = [];
  if (view) {
    for (const pause of view.pauseConditions) {
      if (pause.startTime === undefined) {
        continue;
      }
      statusStarts.push(pause.startTime);
      const matching = pauseEvents.filter((e) =>
        occurrenceTimes(e).some((t) => Math.abs(t - pause.startTime!) <= SAME_PAUSE_MS)
      );
      drafts.push({
        namespace,
        rollout,
        strategy,
        category: 'steps',
        reason: 'RolloutPaused',
        id: entryId(cluster, 'pause', namespace, rollout, pause.startTime),
        kind: 'region',
        span: 'pause',
        revision: view.revision,
        time: pause.startTime,
        timeEnd: openEnd(pause.startTime, now),
        outcome: 'inProgress',
        precision: 'exact',
        derivation: 'start from status.pauseConditions[].startTime; still paused: open until now',
        message: `Paused (${pause.reason ?? 'unknown reason'}), waiting to resume`,
        sources: [{ kind: 'Rollout', namespace, name: rollout, uid: view.uid }, ...matching.map(eventRef)],
      });
    }
    const pausedCondition = view.conditions.find((c) => c.type === 'Paused');
    if (view.specPaused && pausedCondition?.status === 'True' && pausedCondition.lastTransitionTime !== undefined) {
      const start = pausedCondition.lastTransitionTime;
      statusStarts.push(start);
      drafts.push({
        namespace,
        rollout,
        strategy,
        category: 'steps',
        reason: 'RolloutPaused',
        id: entryId(cluster, 'manual-pause', namespace, rollout, start),
        kind: 'region',
        span: 'pause',
        revision: view.revision,
        time: start,
        timeEnd: openEnd(start, now),
        outcome: 'inProgress',
        precision: 'reconstructed',
        derivation: 'start reconstructed from the Paused condition; still paused (spec.paused): open until now',
        message: 'Manually paused (spec.paused)',
        sources: [{ kind: 'Rollout', namespace, name: rollout, uid: view.uid }],
      });
    }
  }
  if (pauseEvents.length === 0) {
    return drafts;
  }
  for (const pauseEvent of pauseEvents) {
    for (const start of occurrenceTimes(pauseEvent)) {
      if (statusStarts.some((s) => Math.abs(s - start) <= SAME_PAUSE_MS)) {
        continue;
      }
      const ender = firstOccurrence(events, (event, time) => endsPauseAt(event, time, start));
      const later = ender
        ? undefined
        : firstOccurrence(events, (event, time) => time > start && event.reason !== 'RolloutPaused');
      let timeEnd: number;
      let derivation: string;
      let precision: 'exact' | 'reconstructed' = 'exact';
      let endUnknown: true | undefined;
      const sources = [eventRef(pauseEvent)];
      if (ender) {
        timeEnd = ender.time;
        derivation = `start from the RolloutPaused Event; ended at the ${ender.event.reason} Event (${formatTime(ender.time)})`;
        sources.push(eventRef(ender.event));
      } else if (later) {
        timeEnd = later.time;
        precision = 'reconstructed';
        derivation = `start from the RolloutPaused Event; resume not recorded: ends at the next recorded activity (${later.event.reason})`;
        sources.push(eventRef(later.event));
      } else {
        timeEnd = start;
        precision = 'reconstructed';
        derivation = 'start from the RolloutPaused Event; when it ended is not recorded';
        endUnknown = true;
      }
      const reason = pauseReasonInMessage(pauseEvent.message);
      drafts.push({
        namespace,
        rollout,
        strategy,
        category: 'steps',
        reason: 'RolloutPaused',
        id: entryId(cluster, 'pause', namespace, rollout, start),
        kind: 'region',
        span: 'pause',
        endUnknown,
        time: start,
        timeEnd,
        precision,
        derivation,
        message: `Paused${reason ? ` (${reason})` : ''}`,
        sources,
      });
    }
  }
  return drafts;
}
