/**
 * Time limits of the requests to the Kubernetes API, as small pieces a list, a health check or a watch can combine:
 * a per-request timeout (`timeoutSignal`) and a deadline shared by every request and retry of one query.
 */

/** Defaults of the data source settings `requestTimeoutSeconds` and `queryDeadlineSeconds`. */
export const DEFAULT_REQUEST_TIMEOUT_SECONDS = 15;
export const DEFAULT_QUERY_DEADLINE_SECONDS = 45;

/** When a query must have answered: no request it makes, and no retry, goes past it. */
export interface Deadline {
  /** Epoch milliseconds. */
  readonly at: number;
  /** The query's whole budget, for messages. */
  readonly seconds: number;
}

export function deadlineIn(seconds: number, now: number): Deadline {
  return { at: now + seconds * 1000, seconds };
}

/** Milliseconds left before the deadline (Infinity without one; never negative). */
export function remainingMs(deadline: Deadline | undefined, now: number): number {
  return deadline === undefined ? Infinity : Math.max(0, deadline.at - now);
}

export interface TimeoutSignal {
  /** Aborts when the parent aborts or when the time is up, whichever comes first. */
  readonly signal: AbortSignal;
  /** True once the time ran out (and not because the parent aborted). */
  timedOut(): boolean;
  /**
   * Stops the timer and forgets the parent. Call it when the attempt is over; a watch calls it once the response
   * headers arrived, since its stream may then last as long as it likes.
   */
  clear(): void;
}

/** An AbortSignal for one attempt: `ms` at most, and never beyond its parent. */
export function timeoutSignal(parent: AbortSignal, ms: number): TimeoutSignal {
  const controller = new AbortController();
  let expired = false;
  const onParentAbort = () => controller.abort(parent.reason);
  const timer = Number.isFinite(ms)
    ? setTimeout(
        () => {
          expired = true;
          parent.removeEventListener('abort', onParentAbort);
          controller.abort(new Error(`timed out after ${ms} ms`));
        },
        Math.max(0, ms)
      )
    : undefined;
  if (parent.aborted) {
    clearTimeout(timer);
    controller.abort(parent.reason);
  } else {
    parent.addEventListener('abort', onParentAbort, { once: true });
  }
  return {
    signal: controller.signal,
    timedOut: () => expired,
    clear: () => {
      clearTimeout(timer);
      parent.removeEventListener('abort', onParentAbort);
    },
  };
}

/** `15 s`, `1.5 s`: seconds as the messages write them. */
export function secondsText(ms: number): string {
  const seconds = Math.round(ms / 100) / 10;
  return `${seconds} s`;
}
