import {
  type AnnotationQuery,
  type CoreApp,
  type DataFrame,
  type DataQueryError,
  type DataQueryRequest,
  type DataQueryResponse,
  DataSourceApi,
  type DataSourceInstanceSettings,
  type LegacyMetricFindQueryOptions,
  LoadingState,
  type MetricFindValue,
  type QueryResultMetaNotice,
  type ScopedVars,
  type TestDataSourceResponse,
} from '@grafana/data';
import { getBackendSrv, getTemplateSrv } from '@grafana/runtime';
import { merge, Observable } from 'rxjs';

import { AnnotationQueryEditor } from './components/query/AnnotationQueryEditor';
import { toAnnotationFrame } from './frames/annotations';
import { analysisRunsTable } from './frames/tables/analysisRuns';
import { eventsTable } from './frames/tables/events';
import { TAGS_SEPARATOR } from './frames/tables/fields';
import { revisionRowsFromTimeline } from './frames/tables/revisionRowsFromTimeline';
import { revisionsTable } from './frames/tables/revisions';
import { rolloutsTable } from './frames/tables/rollouts';
import { canaryWeightFrames, rolloutsInProgressFrames } from './frames/series';
import { type ProblemSeverity, statusTable } from './frames/status';
import { checkHealth } from './health/checkHealth';
import { effectiveTimeouts } from './config/timeouts';
import {
  createKubeClient,
  type KubeApi,
  type KubeClient,
  type KubeClientOptions,
  kubeProxyBaseUrl,
} from './kube/client';
import { deadlineIn } from './kube/deadline';
import { isKubeError } from './kube/errors';
import { newAnnotationQuery, withAnnotationDefaults } from './query/annotationQuery';
import { QueryInputError } from './filters/errors';
import { describeQuery } from './query/describeQuery';
import { fetchObjects } from './query/fetchObjects';
import { interpolateFilter, interpolateValues, type ReplaceVariables, type ResolvedFilter } from './query/interpolate';
import { validateLabelSelector } from './query/labelSelector';
import { migrateQuery } from './query/migrate';
import { planRequests } from './query/plan';
import { ProblemLog } from './query/problemLog';
import { type ClusterObjects, selectRelated } from './query/related';
import { rolloutMatcher } from './filters/rolloutMatcher';
import { ShortMemo } from './query/shortMemo';
import { entriesInRange } from './query/timelineRange';
import { parseVariableQuery, type VariableQuery } from './query/variableQuery';
import { buildTimeline } from './timeline/buildTimeline';
import { filterEntries, limitEntries } from './timeline/filter';
import type { TimelineResult } from './timeline/types';
import { RolloutLensVariableSupport } from './variableSupport';
import { compileRegexFilter } from './variables/regexFilter';
import { labelValues, namespacesWithRollouts, rolloutNames } from './variables/rolloutVariables';
import {
  type AnnotationsQuery,
  DEFAULT_QUERY,
  type QueryType,
  type RolloutLensJsonData,
  type RolloutLensQuery,
  type SeriesQuery,
} from './types';

/** Everything a query needs besides the objects: resolved once per request. */
interface QueryContext {
  range: { from: number; to: number };
  scopedVars: ScopedVars;
  now: number;
  cluster: string;
  settings: RolloutLensJsonData;
  notices: string[];
  /** Identifies the objects read and the rollout filter: queries with the same selection share one timeline. */
  selection: string;
}

/**
 * How long what was computed from the same lists (the objects of the selected rollouts, the timeline) is shared:
 * long enough for one dashboard refresh, short enough to stay current.
 */
const REFRESH_REUSE_MS = 5_000;

const toNotices = (texts: readonly string[]): QueryResultMetaNotice[] =>
  texts.map((text) => ({ severity: 'warning', text }));

/**
 * Orchestration only: interpolate template variables -> list objects through the kube client -> build the
 * timeline and frames with pure code.
 */
export class DataSource extends DataSourceApi<RolloutLensQuery, RolloutLensJsonData> {
  private readonly kube: KubeClient;
  private readonly settings: RolloutLensJsonData;
  private readonly cluster: string;
  private readonly queryDeadlineSeconds: number;
  private readonly relatedObjects = new ShortMemo<ClusterObjects>(REFRESH_REUSE_MS, 8);
  private readonly histories = new ShortMemo<TimelineResult>(REFRESH_REUSE_MS, 8);
  private readonly timelines = new ShortMemo<TimelineResult>(REFRESH_REUSE_MS, 8);
  /** What the recent queries of this instance reported, for the `status` query. */
  private readonly problems = new ProblemLog();

  override annotations = {
    /**
     * A new annotation (no target yet) gets a new query of the current model; a saved one, whatever its query type,
     * becomes an annotation query, migrated to the current model.
     */
    prepareAnnotation: (json: AnnotationQuery<RolloutLensQuery>): AnnotationQuery<RolloutLensQuery> => ({
      ...json,
      target: withAnnotationDefaults(
        json.target ? { ...json.target, refId: json.target.refId ?? 'Anno' } : newAnnotationQuery()
      ),
    }),
    QueryEditor: AnnotationQueryEditor,
  };

  constructor(
    instanceSettings: DataSourceInstanceSettings<RolloutLensJsonData>,
    private readonly replaceVariables: ReplaceVariables = (target, scopedVars, format) =>
      getTemplateSrv().replace(target, scopedVars, format),
    kube?: KubeClient
  ) {
    super(instanceSettings);
    this.variables = new RolloutLensVariableSupport(this);
    this.settings = instanceSettings.jsonData ?? {};
    this.cluster = this.settings.clusterName?.trim() || instanceSettings.name;
    this.queryDeadlineSeconds = effectiveTimeouts(this.settings).queryDeadlineSeconds;
    this.kube = kube ?? kubeClientFor(instanceSettings, (options) => getBackendSrv().fetch(options));
  }

  /** The kube client for one query: every request and retry of it ends by the query deadline. */
  private kubeForQuery(): KubeApi {
    return this.kube.within(deadlineIn(this.queryDeadlineSeconds, Date.now()));
  }

  /** Namespaces read when a query names none (empty: all). */
  get defaultNamespaces(): string[] {
    return this.settings.defaultNamespaces ?? [];
  }

  override getDefaultQuery(_app: CoreApp): Partial<RolloutLensQuery> {
    return DEFAULT_QUERY;
  }

  override filterQuery(query: RolloutLensQuery): boolean {
    return !query.hide;
  }

  /**
   * Grafana cancels a query by unsubscribing: that aborts every request still running for it. Status queries keep
   * answering as the other queries of the refresh finish, until Grafana unsubscribes (the next refresh).
   */
  query(request: DataQueryRequest<RolloutLensQuery>): Observable<DataQueryResponse> {
    const targets = request.targets.filter((target) => !target.hide);
    const statusTargets = targets.filter((target) => target.queryType === 'status');
    const others = targets.filter((target) => target.queryType !== 'status');
    const responses = statusTargets.map((target) => this.statusResponses(target.refId));
    if (others.length > 0 || statusTargets.length === 0) {
      responses.push(
        new Observable<DataQueryResponse>((subscriber) => {
          const controller = new AbortController();
          this.runQueries({ ...request, targets: others }, controller.signal).then(
            (response) => {
              subscriber.next(response);
              subscriber.complete();
            },
            (error: unknown) => subscriber.error(error)
          );
          return () => controller.abort();
        })
      );
    }
    return merge(...responses);
  }

  /**
   * The problems of this refresh: of the queries that started shortly before this one (the panels and layers of one
   * refresh start together) and of every one that finishes while it is subscribed, one table per change.
   */
  private statusResponses(refId: string): Observable<DataQueryResponse> {
    const since = Date.now() - REFRESH_REUSE_MS;
    return new Observable<DataQueryResponse>((subscriber) => {
      const emit = () => {
        const { rows, queries } = this.problems.problemsSince(since);
        subscriber.next({
          key: `status-${refId}`,
          state: LoadingState.Done,
          data: [statusTable(rows, { queries }, refId)],
        });
      };
      emit();
      return this.problems.subscribe(emit);
    });
  }

  /** Dashboard variables: namespaces with rollouts, rollouts (optionally in some namespaces), Rollout label values. */
  override async metricFindQuery(
    query: VariableQuery | string,
    options?: LegacyMetricFindQueryOptions
  ): Promise<MetricFindValue[]> {
    const variableQuery = parseVariableQuery(query);
    compileRegexFilter(variableQuery.regex);
    const scopedVars = options?.scopedVars ?? {};
    const { namespaces } = interpolateFilter(
      { refId: 'variable', queryType: 'rollouts', namespaces: variableQuery.namespaces ?? [] },
      this.replaceVariables,
      scopedVars
    );
    const requests = planRequests('rollouts', { namespaces, labelSelector: '' }, this.defaultNamespaces).filter(
      (request) => request.resource.plural === 'rollouts'
    );
    const { objects } = await fetchObjects(this.kubeForQuery(), requests);
    const { rollouts } = objects;
    switch (variableQuery.kind) {
      case 'namespaces':
        return namespacesWithRollouts(rollouts, variableQuery.regex);
      case 'rollouts':
        return rolloutNames(rollouts, namespaces, variableQuery.regex);
      case 'labelValues':
        return labelValues(rollouts, variableQuery.labelKey ?? '', variableQuery.regex);
    }
  }

  async testDatasource(): Promise<TestDataSourceResponse> {
    return checkHealth(this.kubeForQuery(), this.settings);
  }

  private async runQueries(
    request: DataQueryRequest<RolloutLensQuery>,
    signal: AbortSignal
  ): Promise<DataQueryResponse> {
    const context: Omit<QueryContext, 'notices' | 'selection'> = {
      range: { from: request.range.from.valueOf(), to: request.range.to.valueOf() },
      scopedVars: request.scopedVars,
      now: Date.now(),
      cluster: this.cluster,
      settings: this.settings,
    };
    const targets = request.targets.filter((target) => !target.hide);
    const kube = this.kubeForQuery();
    const results = await Promise.all(
      targets.map((target) => this.runQuery(target, request.scopedVars, context, kube, signal))
    );
    return {
      data: results.flatMap((result) => ('frames' in result ? result.frames : [])),
      errors: results.flatMap((result) => ('error' in result ? [result.error] : [])),
    };
  }

  private async runQuery(
    target: RolloutLensQuery,
    scopedVars: ScopedVars,
    baseContext: Omit<QueryContext, 'notices' | 'selection'>,
    kube: KubeApi,
    signal: AbortSignal
  ): Promise<{ frames: DataFrame[] } | { error: DataQueryError }> {
    const query = migrateQuery(target);
    const startedAt = Date.now();
    let description = describeQuery(query, { namespaces: [], rollouts: [], labelSelector: '' });
    try {
      const filter = interpolateFilter(query, this.replaceVariables, scopedVars);
      description = describeQuery(query, filter);
      validateLabelSelector(filter.labelSelector);
      const isSelectedRollout = rolloutMatcher(filter.rollouts);
      const requests = planRequests(query.queryType, filter, this.settings.defaultNamespaces);
      const { objects, notices, snapshot } = await fetchObjects(kube, requests, signal);
      const selection = [snapshot, filter.rollouts.join(',')].join('|');
      const related = this.relatedObjects.get(selection, () =>
        selectRelated(objects, (rollout) => isSelectedRollout(rollout.metadata?.name ?? ''))
      );
      const frames = this.buildFrames(query, filter, related, { ...baseContext, notices, selection });
      frames.forEach((frame) => (frame.refId = query.refId));
      this.problems.record({ query: description, startedAt, finishedAt: Date.now(), problems: noticesOf(frames) });
      return { frames };
    } catch (error) {
      const queryError = toQueryError(error, query.refId);
      if (!signal.aborted) {
        const problems = [{ severity: 'error' as const, message: queryError.message ?? 'The query failed.' }];
        this.problems.record({ query: description, startedAt, finishedAt: Date.now(), problems });
      }
      return { error: queryError };
    }
  }

  private buildFrames(
    query: RolloutLensQuery,
    filter: ResolvedFilter,
    objects: ClusterObjects,
    context: QueryContext
  ): DataFrame[] {
    const { cluster, now, settings } = context;
    const tagMapping = settings.tagMapping;
    const notices = toNotices(context.notices);
    if (query.queryType === 'series') {
      return this.seriesFrames(query, objects, context);
    }
    const frameBuilders: Record<Exclude<QueryType, 'series'>, () => DataFrame> = {
      annotations: () => this.annotationFrame(withAnnotationDefaults(query), filter, objects, context),
      rollouts: () => rolloutsTable(objects.rollouts, objects.replicaSets, { cluster, now, tagMapping, notices }),
      revisions: () => {
        const timeline = this.timeline(objects, context);
        const rows = revisionRowsFromTimeline(timeline.entries, (entry) => timeline.tagTextOf(entry, TAGS_SEPARATOR));
        return revisionsTable(rows, { cluster, now, notices: [...notices, ...toNotices(timeline.notices)] });
      },
      events: () =>
        eventsTable(objects.events, {
          cluster,
          tagMapping,
          rollouts: objects.rollouts,
          analysisRuns: objects.analysisRuns,
          experiments: objects.experiments,
          notices,
        }),
      analysisRuns: () =>
        analysisRunsTable(objects.analysisRuns, {
          cluster,
          now,
          tagMapping,
          rollouts: objects.rollouts,
          experiments: objects.experiments,
          notices,
        }),
      // Status queries are answered by `statusResponses` and never read objects.
      status: () => statusTable([], { queries: 0 }, query.refId),
    };
    return [frameBuilders[query.queryType]()];
  }

  /** The value at the start of the range depends on what happened before it: the series read the whole history. */
  private seriesFrames(query: SeriesQuery, objects: ClusterObjects, context: QueryContext): DataFrame[] {
    const history = this.history(objects, context);
    const options = {
      range: context.range,
      now: context.now,
      cluster: context.cluster,
      notices: toNotices([...context.notices, ...history.notices]),
    };
    return query.metric === 'rolloutsInProgress'
      ? rolloutsInProgressFrames(history.entries, options)
      : canaryWeightFrames(history.entries, objects.rollouts, options);
  }

  private annotationFrame(
    query: AnnotationsQuery,
    filter: ResolvedFilter,
    objects: ClusterObjects,
    context: QueryContext
  ): DataFrame {
    const timeline = this.timeline(objects, context);
    const filtered = filterEntries(
      timeline.entries,
      {
        detail: query.detail,
        categories: query.categories,
        outcomes: query.outcomes,
        kinds: query.kinds,
        includeReconstructed: query.includeReconstructed,
        tags: interpolateValues(query.tags, this.replaceVariables, context.scopedVars),
        tagMatch: query.tagMatch,
        rollouts: filter.rollouts,
      },
      timeline.tagsOf
    );
    const limited = limitEntries(filtered.entries, query.limit);
    return toAnnotationFrame(limited.entries, timeline.tagsOf, {
      linkBaseUrl: context.settings.linkBaseUrl,
      notices: [...context.notices, ...timeline.notices, ...filtered.notices, ...limited.notices],
      refId: query.refId,
    });
  }

  /**
   * The panels of one refresh usually read the same lists: they share one timeline built from them, from the oldest
   * known moment to the end of the range.
   */
  private history(objects: ClusterObjects, context: QueryContext): TimelineResult {
    return this.histories.get([context.selection, context.range.to].join('|'), () =>
      buildTimeline({
        ...objects,
        range: { from: -Infinity, to: context.range.to },
        now: context.now,
        cluster: context.cluster,
        tagMapping: context.settings.tagMapping,
      })
    );
  }

  /** What the range shows of that timeline. */
  private timeline(objects: ClusterObjects, context: QueryContext): TimelineResult {
    const { from, to } = context.range;
    return this.timelines.get([context.selection, from, to].join('|'), () => {
      const history = this.history(objects, context);
      return { ...history, entries: entriesInRange(history.entries, context.range) };
    });
  }
}

/** The notices of a query's frames, each once, as the status query shows them. */
function noticesOf(frames: DataFrame[]): Array<{ severity: ProblemSeverity; message: string }> {
  const seen = new Set<string>();
  const problems: Array<{ severity: ProblemSeverity; message: string }> = [];
  for (const notice of frames.flatMap((frame) => frame.meta?.notices ?? [])) {
    if (!seen.has(notice.text)) {
      seen.add(notice.text);
      problems.push({ severity: notice.severity, message: notice.text });
    }
  }
  return problems;
}

/** The kube client of a data source instance: its proxy URL, and the request timeout of its settings. */
export function kubeClientFor(
  instanceSettings: Pick<DataSourceInstanceSettings<RolloutLensJsonData>, 'url' | 'jsonData'>,
  fetch: KubeClientOptions['fetch'],
  options: Omit<KubeClientOptions, 'baseUrl' | 'fetch'> = {}
): KubeClient {
  return createKubeClient({
    baseUrl: kubeProxyBaseUrl(instanceSettings.url ?? ''),
    fetch,
    requestTimeoutMs: effectiveTimeouts(instanceSettings.jsonData).requestTimeoutSeconds * 1000,
    ...options,
  });
}

function toQueryError(error: unknown, refId: string): DataQueryError {
  if (isKubeError(error)) {
    return {
      refId,
      message: error.message,
      status: error.status,
      data: { message: error.message, error: error.detail },
    };
  }
  if (error instanceof QueryInputError || (error instanceof Error && error.name === 'LabelSelectorError')) {
    return { refId, message: error.message };
  }
  return { refId, message: error instanceof Error ? error.message : String(error) };
}
