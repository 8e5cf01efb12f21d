import { type Draft, openEnd } from './draft';
import { type NormalizedEvent, occurrenceTimes } from './events';
import { entryId } from './hash';
import type { RolloutView } from './objects';
import { formatTime } from './parse';
import { pauseReasonInMessage } from './reasons';
import type { SourceRef } from './types';

/** Pause starts within this distance of each other are the same pause seen by an Event and by status. */
const SAME_PAUSE_MS = 120_000;

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
  return event.reason !== 'RolloutStepCompleted' || /completed \(pause\b/.test(event.message);
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
export function pauseRegions(ctx: PauseContext): Draft[] {
  const { namespace, rollout, view, events, now, cluster } = ctx;
  const drafts: Draft[] = [];
  const base = {
    namespace,
    rollout,
    strategy: view?.strategy,
    category: 'steps' as const,
    reason: 'RolloutPaused',
  };
  const statusStarts: number[] = [];
  if (view) {
    for (const pause of view.pauseConditions) {
      if (pause.startTime === undefined) {
        continue;
      }
      statusStarts.push(pause.startTime);
      const matching = events.filter(
        (e) =>
          e.reason === 'RolloutPaused' &&
          occurrenceTimes(e).some((t) => Math.abs(t - pause.startTime!) <= SAME_PAUSE_MS)
      );
      drafts.push({
        ...base,
        id: entryId(cluster, 'pause', namespace, rollout, pause.startTime),
        kind: 'region',
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
        ...base,
        id: entryId(cluster, 'manual-pause', namespace, rollout, start),
        kind: 'region',
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
  const activity = events
    .flatMap((e) => occurrenceTimes(e).map((time) => ({ time, event: e })))
    .sort((a, b) => a.time - b.time || (a.event.key < b.event.key ? -1 : 1));
  for (const pauseEvent of events.filter((e) => e.reason === 'RolloutPaused')) {
    for (const start of occurrenceTimes(pauseEvent)) {
      if (statusStarts.some((s) => Math.abs(s - start) <= SAME_PAUSE_MS)) {
        continue;
      }
      const ender = activity.find((a) => endsPauseAt(a.event, a.time, start));
      const later = activity.find((a) => a.time > start && a.event.reason !== 'RolloutPaused');
      let timeEnd: number;
      let derivation: string;
      let precision: 'exact' | 'reconstructed' = 'exact';
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
      }
      const reason = pauseReasonInMessage(pauseEvent.message);
      drafts.push({
        ...base,
        id: entryId(cluster, 'pause', namespace, rollout, start),
        kind: 'region',
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
