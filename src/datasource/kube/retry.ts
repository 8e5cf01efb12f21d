import { isKubernetesStatus } from './errors';

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
 * Worth another attempt: no answer at all, 429, and 5xx except 501 Not Implemented (502 and 504 from Grafana's
 * proxy cover transport failures and timeouts). 410 is handled by the list itself, not here.
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
