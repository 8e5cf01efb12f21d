import { DEFAULT_QUERY_DEADLINE_SECONDS, DEFAULT_REQUEST_TIMEOUT_SECONDS } from '../kube/deadline';
import type { RolloutLensJsonData } from '../types';

/** Grafana's `[dataproxy] timeout`, used when the data source's `jsonData.timeout` is not set. */
export const GRAFANA_PROXY_TIMEOUT_SECONDS = 30;

export interface Timeouts {
  /** How long one request may take before the plugin gives it up (and retries a read). */
  requestTimeoutSeconds: number;
  /** How long one query may take in all, retries included. */
  queryDeadlineSeconds: number;
  /** How long Grafana's data source proxy waits for the API server's response headers. */
  proxyTimeoutSeconds: number;
}

function positiveSeconds(value: unknown): number | undefined {
  const seconds = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0 ? seconds : undefined;
}

/** The time limits in force: the settings where they are positive numbers, else the defaults. */
export function effectiveTimeouts(jsonData: RolloutLensJsonData | undefined): Timeouts {
  return {
    requestTimeoutSeconds: positiveSeconds(jsonData?.requestTimeoutSeconds) ?? DEFAULT_REQUEST_TIMEOUT_SECONDS,
    queryDeadlineSeconds: positiveSeconds(jsonData?.queryDeadlineSeconds) ?? DEFAULT_QUERY_DEADLINE_SECONDS,
    proxyTimeoutSeconds: positiveSeconds(jsonData?.timeout) ?? GRAFANA_PROXY_TIMEOUT_SECONDS,
  };
}

export interface TimeoutProblems {
  requestTimeoutSeconds?: string;
  queryDeadlineSeconds?: string;
  timeout?: string;
}

const FIELD_LABELS: Record<keyof TimeoutProblems, string> = {
  requestTimeoutSeconds: 'The request timeout',
  queryDeadlineSeconds: 'The query deadline',
  timeout: "The data source proxy's timeout",
};

/** What is wrong with the time limits as typed, field by field: not a number, or limits that defeat each other. */
export function timeoutProblems(jsonData: RolloutLensJsonData): TimeoutProblems {
  const problems: TimeoutProblems = {};
  for (const key of Object.keys(FIELD_LABELS) as Array<keyof TimeoutProblems>) {
    const value = jsonData[key];
    if (value !== undefined && value !== null && String(value).trim() !== '' && positiveSeconds(value) === undefined) {
      problems[key] = `${FIELD_LABELS[key]} must be a number of seconds above 0.`;
    }
  }
  const { requestTimeoutSeconds, queryDeadlineSeconds, proxyTimeoutSeconds } = effectiveTimeouts(jsonData);
  if (!problems.requestTimeoutSeconds && requestTimeoutSeconds >= proxyTimeoutSeconds) {
    problems.requestTimeoutSeconds =
      `Grafana's data source proxy gives up after ${proxyTimeoutSeconds} s (Timeout below) and answers 504 ` +
      'first: keep the request timeout below it.';
  }
  if (!problems.queryDeadlineSeconds && queryDeadlineSeconds <= requestTimeoutSeconds) {
    problems.queryDeadlineSeconds = `A query deadline no longer than the request timeout (${requestTimeoutSeconds} s) leaves no time for a retry.`;
  }
  return problems;
}
