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

export interface HealthChecks {
  connection: ConnectionCheck;
  /** Absent when the connection failed and nothing else was tried. */
  argo?: ArgoApiCheck;
  /** Default namespaces that are not valid names (left out of the access reviews). */
  invalidNamespaces: string[];
  reads: ReadCheck[];
  risks: RiskCheck[];
}
