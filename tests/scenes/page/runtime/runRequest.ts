// STAND-IN for Grafana's runRequest (public/app/features/query/state/runRequest.ts), which is core code and not on
// npm. @grafana/scenes calls it through getRunRequest() for every panel, annotation layer and query variable; this
// equivalent follows Grafana's rules: packets merged by key, frames of the annotation topic kept apart, an error
// of any packet marks the whole result, a Loading state after 200 ms without an answer, queries without fields of
// their own get the data source's default query, hidden and filtered-out queries are not sent, a thrown error
// becomes a DataQueryError, and unsubscribing cancels the network requests of the request id.
// Left out: expression queries (the harness has no expression data source) and query analytics.
import {
  CoreApp,
  type DataQueryError,
  type DataQueryRequest,
  type DataQueryResponse,
  type DataQueryResponseData,
  type DataSourceApi,
  DataTopic,
  dateMath,
  LoadingState,
  type PanelData,
  type TimeRange,
} from '@grafana/data';
import { isMigrationHandler, migrateRequest, toDataQueryError } from '@grafana/runtime';
import type { DataQuery } from '@grafana/schema';
import { catchError, finalize, from, map, merge, mergeMap, type Observable, of, share, takeUntil, timer } from 'rxjs';

interface RunningQueryState {
  packets: Record<string, DataQueryResponse>;
  panelData: PanelData;
}

/** runRequest.ts `processResponsePacket`: a packet replaces the earlier one of its key; errors mark the result. */
export function processResponsePacket(packet: DataQueryResponse, state: RunningQueryState): RunningQueryState {
  const request = state.panelData.request!;
  const key = packet.key ?? packet.data?.[0]?.refId ?? 'A';
  const packets: Record<string, DataQueryResponse> = { ...state.packets, [key]: packet };
  let loadingState = packet.state || LoadingState.Done;
  let error: DataQueryError | undefined;
  let errors: DataQueryError[] | undefined;
  const series: DataQueryResponseData[] = [];
  const annotations: DataQueryResponseData[] = [];
  for (const each of Object.values(packets)) {
    if (each.error || each.errors?.length) {
      loadingState = LoadingState.Error;
      error = each.error;
      errors = each.errors;
    }
    for (const frame of each.data ?? []) {
      (frame.meta?.dataTopic === DataTopic.Annotations ? annotations : series).push(frame);
    }
  }
  return {
    packets,
    panelData: {
      state: loadingState,
      series,
      annotations,
      error,
      errors,
      request,
      timeRange: requestTimeRange(request, loadingState),
    },
  };
}

/** runRequest.ts `getRequestTimeRange`: a streaming result moves a relative range along. */
function requestTimeRange(request: DataQueryRequest, loadingState: LoadingState): TimeRange {
  const range = request.range;
  if (typeof range.raw.from !== 'string' || loadingState !== LoadingState.Streaming) {
    return range;
  }
  return { ...range, from: dateMath.parse(range.raw.from, false)!, to: dateMath.parse(range.raw.to, true)! };
}

/** query.ts `queryIsEmpty`: a query with no field beyond DataQuery's own (`label` aside). */
export function queryIsEmpty(query: DataQuery): boolean {
  const dataQueryProps = ['refId', 'hide', 'key', 'queryType', 'datasource'];
  return Object.keys(query).every((key) => key === 'label' || dataQueryProps.includes(key));
}

/** runRequest.ts `callQueryMethod`. */
function callQueryMethod(
  datasource: DataSourceApi,
  request: DataQueryRequest,
  queryFunction?: DataSourceApi['query']
): Observable<DataQueryResponse> {
  request.targets = request.targets.map((target) =>
    queryIsEmpty(target) ? { ...datasource.getDefaultQuery?.(CoreApp.PanelEditor), ...target } : target
  );
  // A custom query function (variable queries) gets every target.
  if (!queryFunction) {
    request.targets = request.targets.filter((target) => datasource.filterQuery?.(target) ?? true);
  }
  if (request.targets.length === 0) {
    return of<DataQueryResponse>({ data: [] });
  }
  return from(queryFunction ? queryFunction(request) : datasource.query(request));
}

/** runRequest.ts `callQueryMethodWithMigration`. */
function callQueryMethodWithMigration(
  datasource: DataSourceApi,
  request: DataQueryRequest,
  queryFunction?: DataSourceApi['query']
): Observable<DataQueryResponse> {
  if (isMigrationHandler(datasource)) {
    return from(migrateRequest(datasource, request)).pipe(
      mergeMap((migrated) => callQueryMethod(datasource, migrated, queryFunction))
    );
  }
  return callQueryMethod(datasource, request, queryFunction);
}

/** runRequest.ts `runRequest`; `cancelRequest` is BackendSrv's `resolveCancelerIfExists`. */
export function createRunRequest(cancelRequest: (requestId: string) => void) {
  return function runRequest(
    datasource: DataSourceApi,
    request: DataQueryRequest,
    queryFunction?: DataSourceApi['query']
  ): Observable<PanelData> {
    let state: RunningQueryState = {
      panelData: { state: LoadingState.Loading, series: [], request, timeRange: request.range },
      packets: {},
    };
    if (!request.targets.length) {
      request.endTime = Date.now();
      state.panelData.state = LoadingState.Done;
      return of(state.panelData);
    }
    const dataObservable = callQueryMethodWithMigration(datasource, request, queryFunction).pipe(
      map((packet: DataQueryResponse) => {
        if (!Array.isArray(packet.data)) {
          throw new Error(`Expected response data to be array, got ${typeof packet.data}.`);
        }
        const hidden = request.targets.filter((query) => query.hide).map((query) => query.refId);
        packet.data = packet.data.filter((frame) => !hidden.includes(frame.refId));
        request.endTime = Date.now();
        state = processResponsePacket(packet, state);
        return state.panelData;
      }),
      catchError((err: unknown) => {
        console.error('runRequest.catchError', err);
        return of({ ...state.panelData, state: LoadingState.Error, error: toDataQueryError(err) });
      }),
      finalize(() => cancelRequest(request.requestId)),
      share()
    );
    // The Loading state unless an answer came within 200 ms.
    return merge(
      timer(200).pipe(
        map(() => state.panelData),
        takeUntil(dataObservable)
      ),
      dataObservable
    );
  };
}
