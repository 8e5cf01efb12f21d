import { type Deadline, remainingMs, secondsText } from './deadline';
import { isKubernetesStatus, KubeError } from './errors';

export interface RetryPolicy {
  /** Retries after the first attempt. */
  maxRetries: number;
  /** Delay before the first retry; doubled for each further one. */
  baseDelayMs: number;
  /** Cap of the exponential delay. */
  maxDelayMs: number;
  /** Cap of a server-requested Retry-After, so a dashboard never waits minutes. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 3,
  baseDelayMs: 300,
  maxDelayMs: 5_000,
  maxRetryAfterMs: 10_000,
};

/** Waits `ms`, rejecting as soon as `signal` aborts. Injected in tests so that nothing really sleeps. */
export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

export const abortableSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });

/**
 * Only requests that change nothing may be sent twice: a write (or a POST such as an access review) that timed out
 * may still have been carried out.
 */
export function isIdempotent(method: string): boolean {
  return method === 'GET' || method === 'HEAD';
}

/**
 * Worth another attempt: no answer at all (including our own timeout), 429, and 5xx except 501 Not Implemented
 * (502 and 504 from Grafana's proxy cover transport failures and its timeout). 410 is handled by the list itself.
 */
export function isRetryableStatus(status: number | undefined): boolean {
  if (status === undefined || status === 0) {
    return true;
  }
  return status === 429 || (status >= 500 && status <= 599 && status !== 501);
}

function positiveSeconds(value: unknown): number | undefined {
  const seconds = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0 ? seconds : undefined;
}

/**
 * Seconds the server asked us to wait. Grafana's backendSrv does not pass response headers on errors, but
 * Kubernetes repeats the `Retry-After` header in the Status body as `details.retryAfterSeconds`, so both are read.
 */
export function retryAfterSeconds(data: unknown, headers?: Pick<Headers, 'get'>): number | undefined {
  const fromHeader = positiveSeconds(headers?.get('Retry-After') ?? undefined);
  if (fromHeader !== undefined) {
    return fromHeader;
  }
  return isKubernetesStatus(data) ? positiveSeconds(data.details?.retryAfterSeconds) : undefined;
}

/**
 * Delay before retry number `attempt` (0 for the first retry): the server's Retry-After when given (capped),
 * else exponential backoff with jitter in [half, full] of the exponential step.
 */
export function retryDelayMs(
  attempt: number,
  retryAfterSec: number | undefined,
  policy: RetryPolicy,
  random: () => number
): number {
  if (retryAfterSec !== undefined) {
    return Math.min(retryAfterSec * 1000, policy.maxRetryAfterMs);
  }
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.round(step / 2 + random() * (step / 2));
}

/** What one attempt came to: a value, or a failure that may be worth another attempt. */
export type AttemptOutcome<T> =
  { ok: true; value: T } | { ok: false; error: KubeError; retryable: boolean; retryAfterSeconds?: number };

export interface RetryOptions {
  policy: RetryPolicy;
  /** No attempt starts, and no wait lasts, past it. */
  deadline?: Deadline;
  signal: AbortSignal;
  sleep: Sleep;
  random: () => number;
  now: () => number;
  /** Thrown when `signal` aborts during a wait. */
  cancelled: () => KubeError;
}

/**
 * Runs `attempt` until it succeeds, fails for good, the retries are used up or the deadline comes. The error of the
 * last attempt is thrown, with a sentence on how many attempts were made (and that the deadline stopped them).
 * Reusable by anything that retries a request: a list page, a discovery call, the start of a watch.
 */
export async function withRetries<T>(
  attempt: (attemptIndex: number) => Promise<AttemptOutcome<T>>,
  options: RetryOptions
): Promise<T> {
  const { policy, deadline, signal, now } = options;
  const started = now();
  for (let index = 0; ; index++) {
    const outcome = await attempt(index);
    if (outcome.ok) {
      return outcome.value;
    }
    const attempts = index + 1;
    if (!outcome.retryable) {
      throw outcome.error;
    }
    if (deadline !== undefined && remainingMs(deadline, now()) <= 0) {
      throw retriesEnded(outcome.error, attempts, atDeadline(deadline, attempts));
    }
    if (index >= policy.maxRetries) {
      throw retriesEnded(outcome.error, attempts, `Tried ${attempts} times in ${secondsText(now() - started)}.`);
    }
    const delay = retryDelayMs(index, outcome.retryAfterSeconds, policy, options.random);
    if (delay >= remainingMs(deadline, now())) {
      throw retriesEnded(outcome.error, attempts, atDeadline(deadline as Deadline, attempts));
    }
    try {
      await options.sleep(delay, signal);
    } catch {
      throw options.cancelled();
    }
    if (signal.aborted) {
      throw options.cancelled();
    }
  }
}

function atDeadline(deadline: Deadline, attempts: number): string {
  return (
    `Gave up after ${attempts === 1 ? '1 attempt' : `${attempts} attempts`} at the query deadline of ` +
    `${deadline.seconds} s (a data source setting).`
  );
}

function retriesEnded(error: KubeError, attempts: number, sentence: string): KubeError {
  return new KubeError({
    kind: error.kind,
    message: `${error.message} ${sentence}`,
    status: error.status,
    path: error.path,
    detail: error.detail,
    kubeStatus: error.kubeStatus,
    attempts,
  });
}
