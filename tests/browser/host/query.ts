import {
  CoreApp,
  type DataFrame,
  type DataQueryRequest,
  type DataQueryResponse,
  type DataSourceApi,
  dateTime,
  FieldType,
  getFieldDisplayName,
  type TimeRange,
} from '@grafana/data';
import type { DataQuery } from '@grafana/schema';
import { firstValueFrom, from } from 'rxjs';

/** The last `hours` hours, as Grafana's time picker gives them ("now-6h" to "now"). */
export function lastHours(hours: number): TimeRange {
  const to = dateTime();
  const from = dateTime(to).subtract(hours, 'h');
  return { from, to, raw: { from: `now-${hours}h`, to: 'now' } };
}

/** A query request for `targets` over `range`, as a dashboard of the harness makes one. */
export function queryRequest<Q extends DataQuery>(
  targets: Q[],
  range: TimeRange,
  app: CoreApp = CoreApp.Dashboard
): DataQueryRequest<Q> {
  return {
    requestId: `host-${Date.now()}`,
    app,
    range,
    interval: '1m',
    intervalMs: 60_000,
    scopedVars: {},
    targets,
    timezone: 'utc',
    startTime: Date.now(),
  };
}

/**
 * Runs the targets through the data source's query(), as a panel or an annotation layer would, and resolves with its
 * first answer (a watched query stays open and answers again as the objects change).
 */
export function runQuery<Q extends DataQuery>(
  dataSource: DataSourceApi<Q>,
  targets: Q[],
  range: TimeRange,
  app: CoreApp = CoreApp.Dashboard
): Promise<DataQueryResponse> {
  return firstValueFrom(from(dataSource.query(queryRequest(targets, range, app))));
}

export interface HostAnnotation {
  time: number;
  timeEnd?: number;
  title?: string;
  text: string;
  tags: string[];
}

/**
 * A reduced version of Grafana's standard annotation mapping: fields found by lower-cased display name
 * (`time`, `timeEnd`, `title`, `text`, `tags`), the first time field as fallback for `time`. Rows without time
 * or text are dropped, as Grafana drops them.
 */
export function annotationsFromFrames(frames: DataFrame[]): HostAnnotation[] {
  return frames.flatMap((frame) => {
    const byName = new Map(frame.fields.map((field) => [getFieldDisplayName(field, frame).toLowerCase(), field]));
    const time = byName.get('time') ?? frame.fields.find((field) => field.type === FieldType.time);
    const text = byName.get('text') ?? frame.fields.find((field) => field.type === FieldType.string);
    if (!time || !text) {
      return [];
    }
    const timeEnd = byName.get('timeend');
    const title = byName.get('title');
    const tags = byName.get('tags');
    return Array.from({ length: frame.length }, (_, row): HostAnnotation | undefined => {
      const start = Number(time.values[row]);
      const body = text.values[row];
      if (!Number.isFinite(start) || body === undefined || body === null) {
        return undefined;
      }
      const tagValue: unknown = tags?.values[row];
      return {
        time: start,
        timeEnd:
          timeEnd?.values[row] === undefined || timeEnd?.values[row] === null ? undefined : Number(timeEnd.values[row]),
        title: title?.values[row] === undefined ? undefined : String(title.values[row]),
        text: String(body),
        tags: Array.isArray(tagValue) ? tagValue.map(String) : typeof tagValue === 'string' ? tagValue.split(',') : [],
      };
    }).filter((annotation): annotation is HostAnnotation => annotation !== undefined);
  });
}
