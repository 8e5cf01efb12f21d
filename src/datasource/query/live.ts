import type { ClusterStore } from '../store/clusterStore';

/** At most one answer per this time: the first change of a burst at once (LIVE_BURST_MS), the last one of it this much later. */
export const LIVE_INTERVAL_MS = 1_000;
/**
 * A change is answered this long after it arrived at the earliest: a controller's step comes as a burst of watch
 * events within tens of milliseconds (the Rollout's status, its ReplicaSets, its Events), answered together rather
 * than the first alone and the rest a second later.
 */
export const LIVE_BURST_MS = 100;

export interface LiveOptions<T> {
  store: Pick<ClusterStore, 'subscribe'>;
  /** Keeps the query's scopes watched while it is open; returns the release. */
  hold: () => () => void;
  /** What the first answer was made from. */
  first: readonly unknown[];
  /** A new answer from the store as it is now, and what it was made from. */
  answer: () => { value: T; basis: readonly unknown[] };
  emit: (value: T) => void;
  now?: () => number;
}

const sameBasis = (a: readonly unknown[], b: readonly unknown[]) =>
  a.length === b.length && a.every((item, index) => item === b[index]);

/**
 * Answers a query again whenever the store changes, throttled to one answer per `LIVE_INTERVAL_MS` (a burst of changes answered together), and only when
 * the answer was made from other inputs than the last one (an unchanged answer is not sent). Returns the function
 * that stops it.
 */
export function liveAnswers<T>(options: LiveOptions<T>): () => void {
  const now = options.now ?? Date.now;
  const release = options.hold();
  let basis = options.first;
  let lastAnswerAt = now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const answerNow = () => {
    timer = undefined;
    lastAnswerAt = now();
    const next = options.answer();
    if (!sameBasis(next.basis, basis)) {
      basis = next.basis;
      options.emit(next.value);
    }
  };
  const unsubscribe = options.store.subscribe(() => {
    if (timer === undefined) {
      timer = setTimeout(answerNow, Math.max(LIVE_BURST_MS, lastAnswerAt + LIVE_INTERVAL_MS - now()));
    }
  });
  return () => {
    clearTimeout(timer);
    unsubscribe();
    release();
  };
}
