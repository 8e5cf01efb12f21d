import {
  type DataQueryRequest,
  type DataQueryResponse,
  type DataSourceApi,
  DataTopic,
  dateTime,
  LoadingState,
  type PanelData,
  toDataFrame,
} from '@grafana/data';
import type { DataQuery } from '@grafana/schema';
import { lastValueFrom, NEVER, type Observable, of, throwError, toArray } from 'rxjs';

import { queryRequest } from '../../../browser/host/query';
import { createRunRequest, queryIsEmpty } from './runRequest';

const range = { from: dateTime(0), to: dateTime(1000), raw: { from: 'now-6h', to: 'now' } };

function request(targets: DataQuery[]): DataQueryRequest {
  return { ...queryRequest(targets, range), requestId: 'Q1' };
}

function dataSource(query: (r: DataQueryRequest) => Observable<DataQueryResponse>, extra: Partial<DataSourceApi> = {}) {
  return { query: jest.fn(query), uid: 'ds', ...extra } as unknown as DataSourceApi & { query: jest.Mock };
}

const last = (o: Observable<PanelData>) => lastValueFrom(o);

describe('runRequest (runRequest.ts equivalent)', () => {
  const cancel = jest.fn();
  const runRequest = createRunRequest(cancel);

  beforeEach(() => cancel.mockReset());

  it('keeps annotation-topic frames apart from series and is Done', async () => {
    const series = toDataFrame({ refId: 'A', fields: [{ name: 'x', values: [1] }] });
    const annotations = toDataFrame({ refId: 'A', fields: [{ name: 'time', values: [1] }] });
    annotations.meta = { dataTopic: DataTopic.Annotations };
    const ds = dataSource(() => of({ data: [series, annotations] }));

    const data = await last(runRequest(ds, request([{ refId: 'A', queryType: 'x', namespaces: [] } as DataQuery])));

    expect(data.state).toBe(LoadingState.Done);
    expect(data.series).toEqual([series]);
    expect(data.annotations).toEqual([annotations]);
  });

  it('marks the result as an error when the answer carries errors', async () => {
    const ds = dataSource(() => of({ data: [], errors: [{ refId: 'A', message: 'forbidden' }] }));

    const data = await last(runRequest(ds, request([{ refId: 'A', expr: 'x' } as DataQuery])));

    expect(data.state).toBe(LoadingState.Error);
    expect(data.errors).toEqual([{ refId: 'A', message: 'forbidden' }]);
  });

  it('turns a thrown error into a DataQueryError', async () => {
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const ds = dataSource(() => throwError(() => new Error('boom')));

    const data = await last(runRequest(ds, request([{ refId: 'A', expr: 'x' } as DataQuery])));

    expect(data.state).toBe(LoadingState.Error);
    expect(data.error?.message).toBe('boom');
  });

  it('gives a query without fields of its own the default query, and drops queries filterQuery refuses', async () => {
    const ds = dataSource(() => of({ data: [] }), {
      getDefaultQuery: () => ({ queryType: 'rollouts', namespaces: [] }),
      filterQuery: (q: DataQuery) => !q.hide,
    });

    await last(runRequest(ds, request([{ refId: 'A' }, { refId: 'B', hide: true, expr: 'x' } as DataQuery])));

    expect(ds.query.mock.calls[0][0].targets).toEqual([{ queryType: 'rollouts', namespaces: [], refId: 'A' }]);
  });

  it('answers Done without asking the data source when there is no query', async () => {
    const ds = dataSource(() => of({ data: [] }));

    const data = await last(runRequest(ds, request([])));

    expect(data.state).toBe(LoadingState.Done);
    expect(ds.query).not.toHaveBeenCalled();
  });

  it('emits Loading when no answer came within 200 ms, and cancels the request id when unsubscribed', () => {
    jest.useFakeTimers();
    const ds = dataSource(() => NEVER);
    const seen: PanelData[] = [];

    const subscription = runRequest(ds, request([{ refId: 'A', expr: 'x' } as DataQuery])).subscribe((d) =>
      seen.push(d)
    );
    jest.advanceTimersByTime(250);
    subscription.unsubscribe();
    jest.useRealTimers();

    expect(seen.map((d) => d.state)).toEqual([LoadingState.Loading]);
    expect(cancel).toHaveBeenCalledWith('Q1');
  });

  it('merges packets by key: a later packet of a key replaces the earlier one', async () => {
    const frame = (n: number) => toDataFrame({ refId: 'A', fields: [{ name: 'x', values: [n] }] });
    const ds = dataSource(() =>
      of({ key: 'A', data: [frame(1)], state: LoadingState.Streaming }, { key: 'A', data: [frame(2)] })
    );

    const all = await lastValueFrom(runRequest(ds, request([{ refId: 'A', expr: 'x' } as DataQuery])).pipe(toArray()));

    expect(all.at(-1)?.series.map((f) => f.fields[0].values[0])).toEqual([2]);
  });
});

describe('queryIsEmpty', () => {
  it('is true for a query with only DataQuery fields', () => {
    expect(queryIsEmpty({ refId: 'A', hide: false, datasource: { uid: 'x' } })).toBe(true);
    expect(queryIsEmpty({ refId: 'A', namespaces: [] } as DataQuery)).toBe(false);
  });
});
