// Bounded waits for real-stack checks: a check that takes too long fails, and what it does later is discarded.

/** Thrown when a check or a wait ran out of time; `details` go into the report. */
export class TimeoutFailure extends Error {
  constructor(what, timeoutMs) {
    super(`${what} timed out after ${timeoutMs / 1000} s; whatever it does later is discarded`);
    this.details = { timedOut: true, timeoutMs };
  }
}

/**
 * Resolves what `promise` resolves, or rejects with a TimeoutFailure once `timeoutMs` passed; a later result of
 * `promise` (value or error) is discarded.
 */
export function withTimeout(promise, timeoutMs, what) {
  let timer;
  const timedOut = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutFailure(what, timeoutMs)), timeoutMs);
  });
  return Promise.race([promise, timedOut]).finally(() => clearTimeout(timer));
}
