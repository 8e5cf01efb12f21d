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
  dateTime,
} from '@grafana/data';
import { config, getBackendSrv, getTemplateSrv } from '@grafana/runtime';
import { merge, Observable } from 'rxjs';

import { AnnotationQueryEditor } from './components/query/AnnotationQueryEditor';
import { AnnotationCells, toAnnotationFrame } from './frames/annotations';
import { ANALYSIS_RUN_KIND, analysisRunsFrame } from './frames/tables/analysisRuns';
import { eventsFrame, eventsNotices } from './frames/tables/events';
import { skippedNotice } from './frames/tables/objects';
import { revisionsFrame } from './frames/tables/revisions';
import { ROLLOUT_KIND, rolloutsFrame, unreconciledNotice } from './frames/tables/rollouts';
import { inProgressFrames, weightFrames } from './frames/series';
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
import { Informer, type InformerOptions } from './kube/informer';
import { streamBudgetFor } from './kube/streamBudget';
import { pageStreamFetch, type StreamFetch } from './kube/watch';
import { newAnnotationQuery, withAnnotationDefaults } from './query/annotationQuery';
import { Assembly, type Selection, Selections } from './query/assembly';
import { QueryInputError } from './filters/errors';
import { describeQuery } from './query/describeQuery';
import { validateLabelSelector } from './filters/labelSelector';
import { interpolateFilter, interpolateValues, type ReplaceVariables, type ResolvedFilter } from './query/interpolate';
import { liveAnswers } from './query/live';
import { migrateQuery } from './query/migrate';
import { type ListRequest, planRequests } from './query/plan';
import { readObjects } from './query/readObjects';
import { RolloutCache } from './query/rolloutCache';
import { SeriesAssembly } from './query/seriesAssembly';
import { ProblemLog } from './query/problemLog';
import { entriesInRange } from './query/timelineRange';
import { parseVariableQuery, type VariableQuery } from './query/variableQuery';
import { limitEntries } from './timeline/filter';
import { timelineNotices, type TimelineProblems } from './timeline/problems';
import type { TimeRange } from './timeline/types';
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
  range: TimeRange;
  scopedVars: ScopedVars;
  now: number;
  notices: string[];
}

/** A query whose objects were read: it can make its frames again from the store as the objects change. */
interface ReadQuery {
  query: RolloutLensQuery;
  /** How the status query names it. */
  description: string;
  filter: ResolvedFilter;
  requests: ListRequest[];
  notices: string[];
}

/** A query that could not be read. */
interface FailedQuery {
  query: RolloutLensQuery;
  description: string;
  error: DataQueryError;
}

type Read = ReadQuery | FailedQuery;

/** A query's frames and what they were made from (the same inputs make the same frames). */
interface Answer {
  frames: DataFrame[];
  basis: unknown[];
}

/** The key of a request's answers (its status queries answer under their own). */
const ANSWER_KEY = 'rollout-lens';

/** The panels and layers of one refresh start within this time: a status query shows the problems of all of them. */
const REFRESH_SPREAD_MS = 5_000;

const toNotices = (texts: readonly string[]): QueryResultMetaNotice[] =>
  texts.map((text) => ({ severity: 'warning', text }));

/**
 * The watch streams the data sources of this page may keep open: limited when the page reached Grafana over
 * HTTP/1.1 (see kube/streamBudget.ts). Outside a browser page (tests, the benchmark) there is no limit.
 */
const PAGE_STREAMS = streamBudgetFor(pageProtocol());

function pageProtocol(): string | undefined {
  const [navigation] = (globalThis.performance?.getEntriesByType?.('navigation') ??
    []) as PerformanceNavigationTiming[];
  return navigation ? navigation.nextHopProtocol : 'h2';
}

/** The browser's fetch for watches, built as backendSrv builds requests; none outside a browser page. */
function browserStreamFetch(): StreamFetch | undefined {
  if (typeof document === 'undefined' || typeof globalThis.fetch !== 'function') {
    return undefined;
  }
  return pageStreamFetch({ baseUri: document.baseURI, orgId: config.bootData?.user?.orgId });
}

/**
 * Orchestration only: interpolate template variables -> make the informer's store current (lists, then watches)
 * -> assemble frames from the pure pipeline's results per Rollout. Queries stay open and answer again when the
 * objects they show change (see docs/architecture.md).
 */
export class DataSource extends DataSourceApi<RolloutLensQuery, RolloutLensJsonData> {
  private readonly kube: KubeClient;
  private readonly settings: RolloutLensJsonData;
  private readonly cluster: string;
  private readonly queryDeadlineSeconds: number;
  /** Lists, then watches, what the queries read; holds the objects between refreshes. */
  readonly informer: Informer;
  private readonly assembly: Assembly;
  private readonly series: SeriesAssembly;
  private readonly selections: Selections;
  private readonly annotationCells: AnnotationCells;
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
    kube?: KubeClient,
    informerOptions: Omit<InformerOptions, 'client'> = {}
  ) {
    super(instanceSettings);
    this.variables = new RolloutLensVariableSupport(this);
    this.settings = instanceSettings.jsonData ?? {};
    this.cluster = this.settings.clusterName?.trim() || instanceSettings.name;
    this.queryDeadlineSeconds = effectiveTimeouts(this.settings).queryDeadlineSeconds;
    this.kube =
      kube ??
      kubeClientFor(instanceSettings, (options) => getBackendSrv().fetch(options), {
        streamFetch: browserStreamFetch(),
      });
    this.informer = new Informer({ client: this.kube, streams: PAGE_STREAMS, ...informerOptions });
    const cache = new RolloutCache(this.informer.store, {
      cluster: this.cluster,
      tagMapping: this.settings.tagMapping,
    });
    this.assembly = new Assembly(cache);
    this.series = new SeriesAssembly(cache);
    this.selections = new Selections(this.informer.store);
    this.annotationCells = new AnnotationCells({ linkBaseUrl: this.settings.linkBaseUrl });
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
   * The first answer once the objects are read; then, while some of them are watched, a new answer whenever they
   * change (at most one a second, and only when a frame changed). Status queries keep answering as the other queries
   * of the refresh finish. Grafana cancels a query by unsubscribing: that aborts every request still running for it
   * and ends its answers.
   */
  query(request: DataQueryRequest<RolloutLensQuery>): Observable<DataQueryResponse> {
    const targets = request.targets.filter((target) => !target.hide);
    const statusTargets = targets.filter((target) => target.queryType === 'status');
    const others = targets.filter((target) => target.queryType !== 'status');
    const responses = statusTargets.map((target) => this.statusResponses(target.refId));
    if (others.length > 0 || statusTargets.length === 0) {
      responses.push(this.objectResponses({ ...request, targets: others }));
    }
    return merge(...responses);
  }

  private objectResponses(request: DataQueryRequest<RolloutLensQuery>): Observable<DataQueryResponse> {
    return new Observable<DataQueryResponse>((subscriber) => {
      const controller = new AbortController();
      let stopLive: (() => void) | undefined;
      const startedAt = Date.now();
      this.readQueries(request, controller.signal).then(
        (reads) => {
          if (controller.signal.aborted) {
            return;
          }
          const first = this.answer(request, reads, Date.now());
          this.recordProblems(reads, first.response, startedAt);
          subscriber.next(first.response);
          // A caller that wanted one answer (firstValueFrom) unsubscribed within `next`.
          if (subscriber.closed) {
            return;
          }
          const requests = reads.flatMap((read) => ('requests' in read ? read.requests : []));
          if (!this.informer.hasWatch(requests)) {
            subscriber.complete();
            return;
          }
          stopLive = liveAnswers({
            store: this.informer.store,
            hold: () => this.informer.hold(requests),
            first: first.basis,
            answer: () => {
              const now = Date.now();
              const { response, basis } = this.answer({ ...request, range: slidRange(request, now) }, reads, now);
              return { value: response, basis };
            },
            emit: (response) => subscriber.next(response),
          });
        },
        (error: unknown) => subscriber.error(error)
      );
      return () => {
        controller.abort();
        stopLive?.();
      };
    });
  }

  /**
   * The problems of this refresh: of the queries that started shortly before this one (the panels and layers of one
   * refresh start together) and of every one that answers first while it is subscribed, one table per change.
   */
  private statusResponses(refId: string): Observable<DataQueryResponse> {
    const since = Date.now() - REFRESH_SPREAD_MS;
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

  /** What each query of a first answer reported, for the status query. */
  private recordProblems(reads: readonly Read[], response: DataQueryResponse, startedAt: number): void {
    const finishedAt = Date.now();
    for (const read of reads) {
      const refId = read.query.refId;
      const problems =
        'error' in read
          ? [{ severity: 'error' as const, message: read.error.message ?? 'The query failed.' }]
          : noticesOf(response.data.filter((frame: DataFrame) => frame.refId === refId));
      const error = response.errors?.find((one) => one.refId === refId && !('error' in read));
      if (error) {
        problems.push({ severity: 'error', message: error.message ?? 'The query failed.' });
      }
      this.problems.record({ query: read.description, startedAt, finishedAt, problems });
    }
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
    const requests = planRequests('rollouts', { namespaces }, this.defaultNamespaces).filter(
      (request) => request.resource.plural === 'rollouts'
    );
    await readObjects(this.informer, this.kubeForQuery(), requests, this.readOptions());
    const scope = namespaces.length > 0 ? namespaces : this.defaultNamespaces;
    const rollouts = this.informer.store.rollouts(scope.length > 0 ? new Set(scope) : undefined);
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
    const fallbacks = this.informer
      .status()
      .flatMap(({ resource, namespace, mode, reason }) =>
        mode === 'lists' ? [{ resource, namespace, reason: reason ?? '' }] : []
      );
    return checkHealth(this.kubeForQuery(), this.settings, { streaming: this.kube.canWatch, fallbacks });
  }

  private readOptions(signal?: AbortSignal) {
    return { signal, deadline: deadlineIn(this.queryDeadlineSeconds, Date.now()) };
  }

  /** Interpolates each query and makes the store current for what it reads. */
  private readQueries(request: DataQueryRequest<RolloutLensQuery>, signal: AbortSignal): Promise<Read[]> {
    const targets = request.targets.filter((target) => !target.hide);
    const options = this.readOptions(signal);
    const kube = this.kubeForQuery();
    return Promise.all(
      targets.map(async (target) => {
        const query = migrateQuery(target);
        let description = describeQuery(query, { namespaces: [], rollouts: [], labelSelector: '' });
        try {
          const filter = interpolateFilter(query, this.replaceVariables, request.scopedVars);
          description = describeQuery(query, filter);
          validateLabelSelector(filter.labelSelector);
          const requests = planRequests(query.queryType, filter, this.defaultNamespaces);
          const { notices } = await readObjects(this.informer, kube, requests, options);
          return { query, description, filter, requests, notices };
        } catch (error) {
          return { query, description, error: toQueryError(error, query.refId) };
        }
      })
    );
  }

  /** The frames of every query of a request, from the store as it is now. */
  private answer(
    request: DataQueryRequest<RolloutLensQuery>,
    reads: readonly Read[],
    now: number
  ): { response: DataQueryResponse; basis: unknown[] } {
    const data: DataFrame[] = [];
    const errors: DataQueryError[] = [];
    const basis: unknown[] = [];
    for (const read of reads) {
      if ('error' in read) {
        errors.push(read.error);
        continue;
      }
      try {
        const context: QueryContext = {
          range: { from: request.range.from.valueOf(), to: request.range.to.valueOf() },
          scopedVars: request.scopedVars,
          now,
          notices: read.notices,
        };
        const answer = this.buildFrames(read.query, read.filter, context);
        answer.frames.forEach((frame) => (frame.refId = read.query.refId));
        data.push(...answer.frames);
        basis.push(...answer.basis);
      } catch (error) {
        errors.push(toQueryError(error, read.query.refId));
      }
    }
    // One key for every answer of the request: Grafana's runRequest replaces the previous answer with a later one.
    return { response: { key: ANSWER_KEY, state: LoadingState.Done, data, errors }, basis };
  }

  private selection(filter: ResolvedFilter): Selection {
    const namespaces = filter.namespaces.length > 0 ? filter.namespaces : this.defaultNamespaces;
    return this.selections.select({ ...filter, namespaces });
  }

  private buildFrames(query: RolloutLensQuery, filter: ResolvedFilter, context: QueryContext): Answer {
    const { now } = context;
    const selection = this.selection(filter);
    const frameBuilders: Record<QueryType, () => Answer> = {
      annotations: () => this.annotationFrame(withAnnotationDefaults(query), filter, selection, context),
      rollouts: () => {
        const { rows, skipped, unreconciled } = this.assembly.rolloutRows(selection);
        const notices = [
          ...toNotices(context.notices),
          ...skippedNotice(ROLLOUT_KIND, skipped),
          ...unreconciledNotice(unreconciled),
        ];
        return { frames: [rolloutsFrame(rows, { now, notices })], basis: [rows] };
      },
      revisions: () => {
        const { rows, problems } = this.assembly.revisionRows(selection, now);
        const notices = toNotices([...context.notices, ...timelineNotices(problems)]);
        // The merged rows are in table order, and so are those shown.
        const shown = rows.filter((row) => revisionMeetsRange(row, context.range, now));
        return { frames: [revisionsFrame(shown, { cluster: this.cluster, now, notices })], basis: [rows] };
      },
      events: () => {
        const { rows, someAggregated } = this.assembly.eventRows(selection);
        const notices = [
          ...toNotices(context.notices),
          ...eventsNotices({ skipped: 0, someAggregated, rows: rows.length }),
        ];
        return { frames: [eventsFrame(rows, notices)], basis: [rows] };
      },
      analysisRuns: () => {
        const { rows, skipped } = this.assembly.analysisRunRows(selection);
        const notices = [...toNotices(context.notices), ...skippedNotice(ANALYSIS_RUN_KIND, skipped)];
        return { frames: [analysisRunsFrame(rows, { now, notices })], basis: [rows] };
      },
      series: () => this.seriesFrames(query as SeriesQuery, selection, context),
      // Status queries are answered by `statusResponses` and never read objects.
      status: () => ({ frames: [statusTable([], { queries: 0 }, query.refId)], basis: [] }),
    };
    return frameBuilders[query.queryType]();
  }

  /**
   * The value at the start of the range depends on what happened before it: the series read the selected Rollouts'
   * timelines from their oldest known moment to the end of the range. What a live answer compares changes only when
   * their objects do.
   */
  private seriesFrames(query: SeriesQuery, selection: Selection, context: QueryContext): Answer {
    const options = (problems: TimelineProblems) => ({
      range: context.range,
      now: context.now,
      cluster: this.cluster,
      notices: toNotices([...context.notices, ...timelineNotices(problems)]),
    });
    if (query.metric === 'rolloutsInProgress') {
      const updates = this.series.updates(selection, context.now);
      return { frames: inProgressFrames(updates, options(updates.problems)), basis: [updates] };
    }
    const { weights, problems } = this.series.weights(selection, context.now);
    return { frames: weightFrames(weights, options(problems)), basis: [weights] };
  }

  private annotationFrame(
    query: AnnotationsQuery,
    filter: ResolvedFilter,
    selection: Selection,
    context: QueryContext
  ): Answer {
    const timeline = this.assembly.timeline(selection, context.now, {
      detail: query.detail,
      categories: query.categories,
      outcomes: query.outcomes,
      kinds: query.kinds,
      includeReconstructed: query.includeReconstructed,
      tags: interpolateValues(query.tags, this.replaceVariables, context.scopedVars),
      tagMatch: query.tagMatch,
      rollouts: filter.rollouts,
    });
    const limited = limitEntries(entriesInRange(timeline.entries, context.range), query.limit);
    const frame = toAnnotationFrame(limited.entries, timeline.tagsOf, {
      linkBaseUrl: this.settings.linkBaseUrl,
      cells: this.annotationCells,
      notices: [...context.notices, ...timelineNotices(timeline.problems), ...timeline.notices, ...limited.notices],
      refId: query.refId,
    });
    return { frames: [frame], basis: [timeline.unended] };
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

/** Whether a revision's span, as the timeline draws it, meets the range. */
function revisionMeetsRange(
  row: { started?: number; ended?: number; inProgress?: boolean; endsNow?: boolean },
  range: TimeRange,
  now: number
): boolean {
  const started = row.started ?? -Infinity;
  const drawnEnd = row.ended ?? (row.inProgress || row.endsNow ? Math.max(started, now) : started);
  return started <= range.to && drawnEnd >= range.from;
}

/**
 * The range of a live answer: a range that ends "now" moves with the clock (the last hour stays the last hour), an
 * absolute one stays as it was asked for.
 */
function slidRange(request: DataQueryRequest<RolloutLensQuery>, now: number): DataQueryRequest['range'] {
  const raw = request.range.raw;
  const relative = typeof raw?.to === 'string' && raw.to.includes('now');
  if (!relative) {
    return request.range;
  }
  const shift = now - request.range.to.valueOf();
  return {
    ...request.range,
    from: dateTime(request.range.from.valueOf() + shift),
    to: dateTime(request.range.to.valueOf() + shift),
  };
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
