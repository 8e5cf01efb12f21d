// What each scene object asked its data source and got back, for the checks: runRequest is wrapped so that every
// request is filed under the panel, annotation layer or variable that made it (found by walking up from the
// request's `__sceneObject`). The wrapped runRequest itself is unchanged.
import type { DataQueryRequest, DataSourceApi, PanelData } from '@grafana/data';
import { type SceneObject, VizPanel } from '@grafana/scenes';
import { defer, finalize, type Observable, tap } from 'rxjs';

type RunRequest = (
  ds: DataSourceApi,
  request: DataQueryRequest,
  queryFn?: DataSourceApi['query']
) => Observable<PanelData>;

export interface RecordedQuery {
  /** Key of the panel, annotation layer or variable that asked. */
  origin: string;
  dataSource: string;
  request: DataQueryRequest;
  /** The last PanelData runRequest emitted, undefined while it runs. */
  data?: PanelData;
  startedAt: number;
  endedAt?: number;
}

/** The scene object a request belongs to: the panel of a query runner, or the layer or variable itself. */
function originOf(object: SceneObject | undefined): SceneObject | undefined {
  for (let o = object; o; o = o.parent) {
    if (o instanceof VizPanel) {
      return o;
    }
  }
  return object;
}

export class QueryRecorder {
  readonly last = new Map<string, RecordedQuery>();
  /** Requests started. */
  total = 0;
  /** Results emitted, by every request (a streaming query emits more than once). */
  emissions = 0;

  wrap(runRequest: RunRequest): RunRequest {
    return (ds, request, queryFn) =>
      defer(() => {
        const sceneObject = request.scopedVars?.__sceneObject?.value?.valueOf() as SceneObject | undefined;
        const origin = originOf(sceneObject)?.state.key ?? `unknown:${request.requestId}`;
        const record: RecordedQuery = { origin, dataSource: ds.uid, request, startedAt: Date.now() };
        this.last.set(origin, record);
        this.total++;
        return runRequest(ds, request, queryFn).pipe(
          tap((data) => {
            record.data = data;
            this.emissions++;
          }),
          finalize(() => {
            record.endedAt = Date.now();
          })
        );
      });
  }
}
