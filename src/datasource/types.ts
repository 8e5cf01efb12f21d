import type { DataQuery, DataSourceJsonData } from '@grafana/schema';

import type { TagMapping } from './tags/tagMapping';
import type { TagMatch } from './timeline/filter';
import type { Category, DetailLevel, EntryKind, OutcomeFilterValue } from './timeline/types';

/** How the data source proxy authenticates to the API server. */
export type AuthMethod = 'token' | 'clientCert' | 'none';

/**
 * Settings readable by every viewer of the data source: nothing secret belongs here.
 * `tlsAuth`, `tlsAuthWithCACert`, `tlsSkipVerify`, `serverName` and `timeout` are Grafana's own keys,
 * read by the data source proxy when it builds the HTTP client for our routes.
 */
export interface RolloutLensJsonData extends DataSourceJsonData {
  apiServerUrl?: string;
  /** Display name of the cluster, emitted as the `cluster:` tag. */
  clusterName?: string;
  /** Namespaces queried when a query names none; empty means all namespaces. */
  defaultNamespaces?: string[];
  authMethod?: AuthMethod;
  tlsAuth?: boolean;
  tlsAuthWithCACert?: boolean;
  tlsSkipVerify?: boolean;
  serverName?: string;
  /** Rules that turn Rollout labels, annotations and event reasons into tags. */
  tagMapping?: TagMapping;
  /** Optional base URL of a rollout viewer (e.g. the Argo Rollouts dashboard): each annotation links to its rollout. */
  linkBaseUrl?: string;
  /** Seconds one request to the API server may take before it is given up and retried; default 15. */
  requestTimeoutSeconds?: number;
  /** Seconds a whole query (every request and retry) may take before the panel says what failed; default 45. */
  queryDeadlineSeconds?: number;
  /** Grafana's data source proxy timeout in seconds (its response-header timeout; Grafana's default is 30). */
  timeout?: number;
}

/** Secrets: stored encrypted by Grafana, used only by the proxy, never sent back to the browser. */
export interface RolloutLensSecureJsonData {
  token?: string;
  tlsCACert?: string;
  tlsClientCert?: string;
  tlsClientKey?: string;
}

export type SecureFieldName = keyof RolloutLensSecureJsonData;

export const QUERY_TYPES = [
  'annotations',
  'rollouts',
  'revisions',
  'events',
  'analysisRuns',
  'series',
  'status',
] as const;
export type QueryType = (typeof QUERY_TYPES)[number];

/** Current version of the saved query model; bump it with a migration step in `migrateQuery`. */
export const QUERY_MODEL_VERSION = 2;

interface BaseQuery extends DataQuery {
  version?: number;
  /** Namespaces (may hold template variables); empty means the data source's default namespaces. */
  namespaces?: string[];
  /** Rollout names, template variables, or one `/regex/`; empty means every rollout. */
  rollouts?: string[];
  /** Kubernetes label selector on Rollouts, e.g. `team=payments,tier!=batch`. */
  labelSelector?: string;
}

export interface AnnotationsQuery extends BaseQuery {
  queryType: 'annotations';
  /**
   * `significant` (the default of new queries since version 2) leaves out the controller's chatter; `all` shows
   * every entry (what queries saved before version 2 keep).
   */
  detail?: DetailLevel;
  /** Empty lists mean no restriction. */
  categories?: Category[];
  /** Grafana colours every annotation of one query alike: one query per outcome colours by outcome. */
  outcomes?: OutcomeFilterValue[];
  kinds?: EntryKind[];
  /** Default true: include history reconstructed from ReplicaSets, AnalysisRuns and Rollout status. */
  includeReconstructed?: boolean;
  tags?: string[];
  tagMatch?: TagMatch;
  /** Most annotations returned (newest kept); default DEFAULT_ANNOTATION_LIMIT. */
  limit?: number;
}
export interface RolloutsQuery extends BaseQuery {
  queryType: 'rollouts';
}
export interface RevisionsQuery extends BaseQuery {
  queryType: 'revisions';
}
export interface EventsQuery extends BaseQuery {
  queryType: 'events';
}
export interface AnalysisRunsQuery extends BaseQuery {
  queryType: 'analysisRuns';
}

/** What a `series` query draws over time. */
export const SERIES_METRICS = ['canaryWeight', 'rolloutsInProgress'] as const;
export type SeriesMetric = (typeof SERIES_METRICS)[number];

/** A time series for the time series panel: something to draw the annotations over. */
export interface SeriesQuery extends BaseQuery {
  queryType: 'series';
  /** Default `canaryWeight`: one series per rollout. `rolloutsInProgress`: one series, how many update at once. */
  metric?: SeriesMetric;
}

/**
 * The problems (errors and notices) of this data source's other queries of the same dashboard refresh, as a table:
 * Grafana's annotation layers drop them, this shows them. Its filter fields only make Grafana run it again when
 * the dashboard's variables change.
 */
export interface StatusQuery extends BaseQuery {
  queryType: 'status';
}

export type RolloutLensQuery =
  AnnotationsQuery | RolloutsQuery | RevisionsQuery | EventsQuery | AnalysisRunsQuery | SeriesQuery | StatusQuery;

export const DEFAULT_QUERY: Partial<RolloutLensQuery> = {
  queryType: 'rollouts',
  version: QUERY_MODEL_VERSION,
  namespaces: [],
  rollouts: [],
  labelSelector: '',
};
