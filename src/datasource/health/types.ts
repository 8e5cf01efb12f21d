import type { KubeErrorKind } from '../kube/errors';

/** The answer of `testDatasource()`; Grafana renders `status` as the alert severity. */
export interface HealthResult {
  status: 'success' | 'warning' | 'error';
  message: string;
  details?: { message?: string; verboseMessage?: string };
}

export interface CheckFailure {
  kind: KubeErrorKind | 'unknown';
  message: string;
}

export type AccessOutcome =
  { state: 'allowed' } | { state: 'denied'; reason?: string } | { state: 'unknown'; failure: CheckFailure };

/** Whether `list` on one kind is allowed in one scope. */
export interface ReadCheck {
  /** e.g. `rollouts.argoproj.io` */
  resource: string;
  /** Undefined: all namespaces (cluster scope). */
  namespace?: string;
  /** The plugin works without it, with less information (experiments, namespace variables). */
  optional: boolean;
  outcome: AccessOutcome;
}

/** Access the identity should not have, because every viewer of the data source borrows it. */
export interface RiskCheck {
  risk: 'readsSecrets' | 'writes';
  verb: string;
  /** e.g. `secrets`, `rollouts.argoproj.io`, `*` */
  resource: string;
  namespace?: string;
  outcome: AccessOutcome;
}

export type ConnectionCheck = { ok: true; version: string } | { ok: false; failure: CheckFailure };

export type ArgoApiCheck =
  | { ok: true; groupVersion: string; served: string[]; missing: string[] }
  | { ok: false; groupVersion: string; failure: CheckFailure };

/** A kind and scope the data source keeps current with a watch, as an access review answered `watch` on it. */
export interface WatchReview {
  /** e.g. `rollouts.argoproj.io` */
  resource: string;
  namespace?: string;
  outcome: AccessOutcome;
}

/**
 * Whether the panels can be kept current by watches (a refresh of an unchanged cluster then makes no list, and open
 * panels update by themselves), or every refresh lists again.
 */
export interface WatchCheck {
  /** This data source can read a streamed response (it runs in a browser with `fetch`). */
  streaming: boolean;
  reviews: WatchReview[];
  /** Scopes this data source instance already falls back to lists for, and why. */
  fallbacks: Array<{ resource: string; namespace?: string; reason: string }>;
}

export interface HealthChecks {
  connection: ConnectionCheck;
  /** Absent when the connection failed and nothing else was tried. */
  argo?: ArgoApiCheck;
  /** Default namespaces that are not valid names (left out of the access reviews). */
  invalidNamespaces: string[];
  reads: ReadCheck[];
  risks: RiskCheck[];
  /** Absent when the caller did not ask (or the connection failed). */
  watch?: WatchCheck;
}
