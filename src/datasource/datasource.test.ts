import fs from 'node:fs';
import path from 'node:path';

import {
  type DataFrame,
  type DataQueryRequest,
  type DataQueryResponse,
  type DataSourceInstanceSettings,
} from '@grafana/data';
import { firstValueFrom, Observable, type Subscription } from 'rxjs';

import { DataSource, kubeClientFor } from './datasource';
import { buildOpenTimeline, buildTimeline } from './timeline/buildTimeline';
import { createKubeClient } from './kube/client';
import {
  collection,
  forbidden,
  gate,
  type Handler,
  notFound,
  routes,
  startStandInApiServer,
  type StandInApiServer,
} from './kube/testing/stand-in-api-server';
import { nodeHttpFetch } from './kube/testing/node-http-fetch';
import type { KubeFetch } from './kube/transport';
import { queryRequest } from './testing/queryRequest';
import type { RolloutLensJsonData, RolloutLensQuery } from './types';

// The real timeline, counted: queries of one refresh must share it.
jest.mock('./timeline/buildTimeline', () => {
  const actual = jest.requireActual('./timeline/buildTimeline');
  return {
    ...actual,
    buildTimeline: jest.fn(actual.buildTimeline),
    buildOpenTimeline: jest.fn(actual.buildOpenTimeline),
  };
});

/** The Rollouts whose timelines were built since the last `forgetTimelinesBuilt`: open, or for one `now`. */
function timelinesBuilt(): string[] {
  return [...jest.mocked(buildOpenTimeline).mock.calls, ...jest.mocked(buildTimeline).mock.calls].map(
    ([input]) => (input.rollouts[0] as { metadata?: { name?: string } }).metadata?.name ?? ''
  );
}

function forgetTimelinesBuilt(): void {
  jest.mocked(buildOpenTimeline).mockClear();
  jest.mocked(buildTimeline).mockClear();
}

const RECORDED = path.resolve(__dirname, '../../tests/fixtures/recorded');
const FILES: Record<string, string> = {
  '/apis/argoproj.io/v1alpha1/%s/rollouts': 'rollouts.json',
  '/apis/apps/v1/%s/replicasets': 'replicasets.json',
  '/apis/argoproj.io/v1alpha1/%s/analysisruns': 'analysisruns.json',
  '/apis/argoproj.io/v1alpha1/%s/experiments': 'experiments.json',
  '/api/v1/%s/events': 'events.json',
};

type ListBody = { kind: string; apiVersion: string; items: unknown[] };
const readList = (scenario: string, file: string): ListBody =>
  JSON.parse(fs.readFileSync(path.join(RECORDED, scenario, file), 'utf8'));
const namespaceOf = (scenario: string) => `e2e-${scenario}`;

/** The list endpoints of the recorded scenarios, per namespace and cluster-wide, like the API server serves them. */
function recordedRoutes(scenarios: string[]): Record<string, Handler> {
  const table: Record<string, Handler> = {};
  Object.entries(FILES).forEach(([template, file]) => {
    const lists = scenarios.map((scenario) => readList(scenario, file));
    scenarios.forEach((scenario, i) => {
      const list = lists[i];
      table[`GET ${template.replace('%s', `namespaces/${namespaceOf(scenario)}`)}`] = collection({
        ...list,
        resourceVersion: '100',
      });
    });
    table[`GET ${template.replace('/%s', '')}`] = collection({
      kind: lists[0].kind,
      apiVersion: lists[0].apiVersion,
      items: lists.flatMap((list) => list.items),
      resourceVersion: '100',
    });
  });
  return table;
}

const recordedAt = Date.parse(
  JSON.parse(fs.readFileSync(path.join(RECORDED, 'canary-promote', 'versions.json'), 'utf8')).recordedAt
);

function dataSourceFor(server: StandInApiServer, jsonData: RolloutLensJsonData = {}) {
  const settings = {
    id: 1,
    uid: 'stand-in',
    name: 'Stand-in',
    type: 'rolloutlens-argorollouts-datasource',
    url: server.baseUrl.replace(/\/kube$/, ''),
    jsonData: { clusterName: 'testbed', ...jsonData },
    meta: {},
    access: 'proxy',
    readOnly: false,
  } as unknown as DataSourceInstanceSettings<RolloutLensJsonData>;
  const kube = createKubeClient({ baseUrl: server.baseUrl, fetch: nodeHttpFetch(), cacheTtlMs: 0 });
  return new DataSource(settings, (target) => target, kube);
}

function request(targets: Array<Partial<RolloutLensQuery>>): DataQueryRequest<RolloutLensQuery> {
  return queryRequest(targets, recordedAt);
}

const run = (ds: DataSource, targets: Array<Partial<RolloutLensQuery>>): Promise<DataQueryResponse> =>
  firstValueFrom(ds.query(request(targets)));
const values = (frame: DataFrame, name: string) => frame.fields.find((field) => field.name === name)?.values ?? [];

describe('DataSource against the stand-in API server serving objects recorded from a real controller', () => {
  let server: StandInApiServer;
  afterEach(() => server?.close());

  it('returns a rollouts table for the queried namespace', async () => {
    server = await startStandInApiServer(routes(recordedRoutes(['canary-promote', 'canary-abort'])));
    const response = await run(dataSourceFor(server), [{ queryType: 'rollouts', namespaces: ['e2e-canary-promote'] }]);
    expect(response.errors).toEqual([]);
    const [frame] = response.data as DataFrame[];
    expect(frame.refId).toBe('A');
    expect(values(frame, 'name')).toEqual(['canary-promote']);
    expect(values(frame, 'phase')).toEqual(['Healthy']);
    expect(server.requests.map((r) => r.path)).toEqual([
      '/apis/argoproj.io/v1alpha1/namespaces/e2e-canary-promote/rollouts',
      '/apis/apps/v1/namespaces/e2e-canary-promote/replicasets',
    ]);
  });

  it('returns annotations with a succeeded region for the promoted revision and an aborted one for the abort', async () => {
    server = await startStandInApiServer(routes(recordedRoutes(['canary-promote', 'canary-abort'])));
    const response = await run(dataSourceFor(server), [{ queryType: 'annotations', refId: 'Anno' }]);
    expect(response.errors).toEqual([]);
    const [frame] = response.data as DataFrame[];
    expect(frame.fields.map((field) => field.name)).toEqual(
      expect.arrayContaining(['time', 'timeEnd', 'title', 'text', 'tags', 'id'])
    );
    const tags = values(frame, 'tags') as string[][];
    const regionOf = (rollout: string, outcome: string) =>
      tags.some(
        (t) => t.includes(`rollout:${rollout}`) && t.includes('revision:2') && t.includes(`outcome:${outcome}`)
      );
    expect(regionOf('canary-promote', 'succeeded')).toBe(true);
    expect(regionOf('canary-abort', 'aborted')).toBe(true);
  });

  it('gives a new annotation query the significant entries, and one saved before the detail level every entry', async () => {
    server = await startStandInApiServer(routes(recordedRoutes(['canary-promote'])));
    const ds = dataSourceFor(server);
    const prepared = (target?: Partial<RolloutLensQuery>) =>
      ds.annotations.prepareAnnotation!({ name: 'Rollouts', enable: true, iconColor: 'green', target } as never)
        .target as RolloutLensQuery;
    const reasonsOf = async (target: RolloutLensQuery) => {
      const response = await run(ds, [target]);
      expect(response.errors).toEqual([]);
      const tags = values((response.data as DataFrame[])[0], 'tags') as string[][];
      return tags.map((t) => t.find((tag) => tag.startsWith('reason:')) ?? '(no reason)');
    };
    const newQuery = prepared(undefined);
    expect(newQuery).toMatchObject({ detail: 'significant', categories: [] });
    const significant = await reasonsOf(newQuery);
    const chatter = ['RolloutAddedToInformer', 'RolloutNotCompleted', 'NewReplicaSetCreated', 'ScalingReplicaSet'];
    expect(significant.filter((reason) => chatter.includes(reason.slice('reason:'.length)))).toEqual([]);
    expect(significant).toEqual(
      expect.arrayContaining(['reason:RolloutUpdated', 'reason:RolloutStepCompleted', 'reason:RolloutCompleted'])
    );
    const saved = prepared({ refId: 'Anno', queryType: 'annotations', version: 1 });
    expect(saved).toMatchObject({ detail: 'all' });
    const all = await reasonsOf(saved);
    expect(all).toEqual(expect.arrayContaining(chatter.map((reason) => `reason:${reason}`)));
    expect(all.length).toBeGreaterThan(significant.length);
  });

  it("builds each Rollout's timeline once for the annotation queries of one refresh, each filtering it its own way", async () => {
    server = await startStandInApiServer(routes(recordedRoutes(['canary-promote', 'canary-abort'])));
    forgetTimelinesBuilt();
    const response = await run(dataSourceFor(server), [
      { queryType: 'annotations', outcomes: ['succeeded'] },
      { queryType: 'annotations', outcomes: ['aborted'] },
    ]);
    expect(timelinesBuilt().sort()).toEqual(['canary-abort', 'canary-promote']);
    const [succeeded, aborted] = (response.data as DataFrame[]).map((frame) => values(frame, 'tags') as string[][]);
    expect(succeeded.length).toBeGreaterThan(0);
    expect(aborted.length).toBeGreaterThan(0);
    expect(succeeded.every((tags) => tags.includes('outcome:succeeded'))).toBe(true);
    expect(aborted.every((tags) => tags.includes('outcome:aborted'))).toBe(true);
  });

  it('shares that timeline with the revision history of the same refresh', async () => {
    server = await startStandInApiServer(routes(recordedRoutes(['canary-promote', 'canary-abort'])));
    forgetTimelinesBuilt();
    const response = await run(dataSourceFor(server), [
      { queryType: 'annotations', outcomes: ['aborted'] },
      { queryType: 'revisions' },
    ]);
    expect(response.errors).toEqual([]);
    expect(timelinesBuilt()).toHaveLength(2);
    const revisions = (response.data as DataFrame[])[1];
    expect(values(revisions, 'rollout')).toEqual(expect.arrayContaining(['canary-promote', 'canary-abort']));
  });

  it('builds no timeline again when a later refresh finds the same objects, and rebuilds only what changed', async () => {
    const scenarios = ['canary-promote', 'canary-abort'];
    const table = recordedRoutes(scenarios);
    server = await startStandInApiServer(routes(table));
    const ds = dataSourceFor(server);
    const first = await run(ds, [{ queryType: 'annotations' }, { queryType: 'revisions' }]);
    forgetTimelinesBuilt();
    const again = await run(ds, [{ queryType: 'annotations' }, { queryType: 'revisions' }]);
    expect(timelinesBuilt()).toEqual([]);
    expect(again.data).toEqual(first.data);

    // A new resourceVersion of one Rollout: its timeline alone is built again.
    const rollouts = readList('canary-abort', 'rollouts.json');
    const changed = rollouts.items.map((item: any) => ({
      ...item,
      metadata: { ...item.metadata, resourceVersion: `${item.metadata.resourceVersion}1` },
    }));
    table['GET /apis/argoproj.io/v1alpha1/rollouts'] = collection({
      kind: 'RolloutList',
      apiVersion: 'argoproj.io/v1alpha1',
      items: [...readList('canary-promote', 'rollouts.json').items, ...changed],
      resourceVersion: '101',
    });
    await run(ds, [{ queryType: 'annotations' }]);
    expect(timelinesBuilt()).toEqual(['canary-abort']);
  });

  it('reports an invalid label selector before making any request', async () => {
    server = await startStandInApiServer(routes({}));
    const response = await run(dataSourceFor(server), [{ queryType: 'rollouts', labelSelector: 'team in ()' }]);
    expect(response.errors?.[0]).toMatchObject({ refId: 'A', message: expect.stringMatching(/at least one value/) });
    expect(server.requests).toHaveLength(0);
  });

  it('names a namespace RBAC refuses and still returns the others', async () => {
    const table = recordedRoutes(['canary-promote']);
    const refused = `/apis/argoproj.io/v1alpha1/namespaces/secret-team/rollouts`;
    table[`GET ${refused}`] = () =>
      forbidden({
        user: 'system:serviceaccount:rollout-lens:rollout-lens-reader',
        verb: 'list',
        resource: 'rollouts',
        group: 'argoproj.io',
        namespace: 'secret-team',
      });
    table['GET /apis/apps/v1/namespaces/secret-team/replicasets'] = () =>
      forbidden({
        user: 'system:serviceaccount:rollout-lens:rollout-lens-reader',
        verb: 'list',
        resource: 'replicasets',
        group: 'apps',
        namespace: 'secret-team',
      });
    server = await startStandInApiServer(routes(table));
    const response = await run(dataSourceFor(server), [
      { queryType: 'rollouts', namespaces: ['e2e-canary-promote', 'secret-team'] },
    ]);
    const [frame] = response.data as DataFrame[];
    expect(values(frame, 'name')).toEqual(['canary-promote']);
    expect(frame.meta?.notices?.map((n) => n.text).join('\n')).toMatch(/secret-team/);
  });

  it('says when a namespace does not exist', async () => {
    const table = recordedRoutes(['canary-promote']);
    table['GET /apis/argoproj.io/v1alpha1/namespaces/typo/rollouts'] = collection({
      kind: 'RolloutList',
      apiVersion: 'argoproj.io/v1alpha1',
      items: [],
      resourceVersion: '1',
    });
    table['GET /apis/apps/v1/namespaces/typo/replicasets'] = collection({
      kind: 'ReplicaSetList',
      apiVersion: 'apps/v1',
      items: [],
      resourceVersion: '1',
    });
    server = await startStandInApiServer(routes(table));
    const response = await run(dataSourceFor(server), [{ queryType: 'rollouts', namespaces: ['typo'] }]);
    const [frame] = response.data as DataFrame[];
    expect(frame.length).toBe(0);
    expect(frame.meta?.notices?.map((n) => n.text)).toEqual(
      expect.arrayContaining([expect.stringMatching(/"typo" does not exist/)])
    );
  });

  it('aborts the requests of a query Grafana cancels', async () => {
    const held = gate();
    server = await startStandInApiServer(async () => {
      await held.opened;
      return {
        status: 200,
        body: { kind: 'RolloutList', apiVersion: 'argoproj.io/v1alpha1', metadata: {}, items: [] },
      };
    });
    const subscription = dataSourceFor(server)
      .query(request([{ queryType: 'rollouts' }]))
      .subscribe();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(server.requests.length).toBeGreaterThan(0);
    subscription.unsubscribe();
    await Promise.all(server.requests.map((r) => r.closed));
    expect(server.requests.every((r) => r.aborted)).toBe(true);
    held.open();
  });

  describe('status query', () => {
    const forbiddenNamespace = (table: Record<string, Handler>, namespace: string) => {
      const resources = [
        ['argoproj.io/v1alpha1', 'rollouts'],
        ['apps/v1', 'replicasets'],
        ['argoproj.io/v1alpha1', 'analysisruns'],
        ['argoproj.io/v1alpha1', 'experiments'],
      ];
      for (const [groupVersion, resource] of resources) {
        table[`GET /apis/${groupVersion}/namespaces/${namespace}/${resource}`] = () =>
          forbidden({
            user: 'system:serviceaccount:rollout-lens:rollout-lens-reader',
            verb: 'list',
            resource,
            group: groupVersion.split('/')[0],
            namespace,
          });
      }
      table[`GET /api/v1/namespaces/${namespace}/events`] = () =>
        forbidden({
          user: 'system:serviceaccount:rollout-lens:rollout-lens-reader',
          verb: 'list',
          resource: 'events',
          group: '',
          namespace,
        });
    };
    const statusRows = (response: DataQueryResponse) => {
      const [frame] = response.data as DataFrame[];
      return (values(frame, 'severity') as string[]).map((severity, i) => ({
        severity,
        message: values(frame, 'message')[i] as string,
        queries: values(frame, 'queries')[i] as string,
      }));
    };
    let subscription: Subscription | undefined;
    afterEach(() => subscription?.unsubscribe());

    it('shows what the other queries of the refresh reported, updated as each finishes', async () => {
      const table = recordedRoutes(['canary-promote']);
      forbiddenNamespace(table, 'secret-team');
      server = await startStandInApiServer(routes(table));
      const ds = dataSourceFor(server);
      const answers: DataQueryResponse[] = [];
      subscription = ds.query(request([{ queryType: 'status', refId: 'S' }])).subscribe((r) => answers.push(r));
      expect(statusRows(answers[0])).toEqual([
        {
          severity: 'ok',
          message: 'No other query of this data source has finished in this refresh yet.',
          queries: '',
        },
      ]);
      await run(ds, [{ queryType: 'rollouts', namespaces: ['e2e-canary-promote', 'secret-team'] }]);
      await run(ds, [
        { queryType: 'annotations', refId: 'Anno', version: 2, namespaces: ['e2e-canary-promote'], limit: 3 },
      ]);
      await run(ds, [{ queryType: 'events', labelSelector: 'team in ()' }]);
      expect(answers).toHaveLength(4);
      expect(answers.every((answer) => answer.key === 'status-S' && answer.data[0].refId === 'S')).toBe(true);
      const [error, ...warnings] = statusRows(answers[3]);
      expect(error).toMatchObject({ severity: 'error', queries: 'Events table, labels team in ()' });
      expect(error.message).toMatch(/at least one value/);
      expect(warnings.every((row) => row.severity === 'warning')).toBe(true);
      const limit = warnings.filter((row) => row.queries === 'Annotations (limit 3) in e2e-canary-promote');
      expect(limit.map((row) => row.message)).toEqual([
        expect.stringMatching(/^Showing the newest 3 of \d+ annotations/),
      ]);
      const rbac = warnings.filter((row) => row.queries === 'Rollouts table in e2e-canary-promote, secret-team');
      expect(rbac.length).toBeGreaterThan(0);
      expect(rbac.every((row) => /secret-team/.test(row.message))).toBe(true);
      expect(limit.length + rbac.length).toBe(warnings.length);
    });

    it('shows a missing CRD and a query that failed as a whole', async () => {
      const table = recordedRoutes(['canary-promote']);
      table['GET /apis/argoproj.io/v1alpha1/namespaces/e2e-canary-promote/experiments'] = () => notFound();
      table['GET /apis/argoproj.io/v1alpha1/namespaces/gone/rollouts'] = () => notFound();
      server = await startStandInApiServer(routes(table));
      const ds = dataSourceFor(server);
      const answers: DataQueryResponse[] = [];
      subscription = ds.query(request([{ queryType: 'status' }])).subscribe((r) => answers.push(r));
      await run(ds, [{ queryType: 'revisions', namespaces: ['e2e-canary-promote'] }]);
      await run(ds, [{ queryType: 'rollouts', namespaces: ['gone'] }]);
      const rows = statusRows(answers[answers.length - 1]);
      expect(rows.map((row) => [row.severity, row.queries])).toEqual([
        ['error', 'Rollouts table in gone'],
        ['warning', 'Revisions table in e2e-canary-promote'],
      ]);
      expect(rows[0].message).toMatch(/argoproj\.io/);
      expect(rows[1].message).toMatch(/experiments/);
    });

    it('says so in one row when the queries of the refresh reported nothing', async () => {
      server = await startStandInApiServer(routes(recordedRoutes(['canary-promote'])));
      const ds = dataSourceFor(server);
      await run(ds, [{ queryType: 'rollouts', namespaces: ['e2e-canary-promote'] }]);
      const answer = await firstValueFrom(ds.query(request([{ queryType: 'status' }])));
      expect(statusRows(answer)).toEqual([
        {
          severity: 'ok',
          message: 'No errors or notices: the 1 query of this data source in this refresh succeeded.',
          queries: '',
        },
      ]);
    });
  });

  it('draws the canary weight of each selected rollout as a time series', async () => {
    server = await startStandInApiServer(routes(recordedRoutes(['canary-promote', 'canary-abort'])));
    const response = await run(dataSourceFor(server), [{ queryType: 'series' }]);
    expect(response.errors).toEqual([]);
    const frames = response.data as DataFrame[];
    expect(frames.map((frame) => [frame.refId, frame.fields.map((field) => field.name)])).toEqual([
      ['A', ['time', 'weight']],
      ['A', ['time', 'weight']],
    ]);
    expect(frames.map((frame) => frame.fields[1].labels?.rollout).sort()).toEqual(['canary-abort', 'canary-promote']);
    const promote = frames.find((frame) => frame.fields[1].labels?.rollout === 'canary-promote')!;
    expect(values(promote, 'weight')).toEqual([100, 0, 25, 75, 100, 100]);
  });

  it('lists namespaces that have rollouts for a variable, filtered by regex', async () => {
    server = await startStandInApiServer(routes(recordedRoutes(['canary-promote', 'canary-abort', 'rollback'])));
    const ds = dataSourceFor(server);
    expect(await ds.metricFindQuery({ kind: 'namespaces' })).toEqual([
      { text: 'e2e-canary-abort', value: 'e2e-canary-abort' },
      { text: 'e2e-canary-promote', value: 'e2e-canary-promote' },
      { text: 'e2e-rollback', value: 'e2e-rollback' },
    ]);
    expect(await ds.metricFindQuery('rollouts(e2e-rollback)')).toEqual([{ text: 'rollback', value: 'rollback' }]);
    await expect(ds.metricFindQuery({ kind: 'rollouts', regex: '/(/' })).rejects.toThrow(
      /^The regex filter of this variable \/\(\/ is not a valid regular expression/
    );
  });
});

describe('DataSource time limits', () => {
  /** The data source proxy accepts every request and the API server never answers. */
  const unanswered: KubeFetch = () => new Observable(() => undefined);

  function hangingDataSource(jsonData: RolloutLensJsonData) {
    const settings = {
      id: 1,
      uid: 'hanging',
      name: 'Hanging',
      type: 'rolloutlens-argorollouts-datasource',
      url: '/api/datasources/proxy/uid/hanging',
      jsonData,
      meta: {},
      access: 'proxy',
      readOnly: false,
    } as unknown as DataSourceInstanceSettings<RolloutLensJsonData>;
    return new DataSource(settings, (target) => target, kubeClientFor(settings, unanswered, { random: () => 1 }));
  }

  beforeEach(() => jest.useFakeTimers({ now: 0 }));
  afterEach(() => jest.useRealTimers());

  it('answers at the query deadline with what failed, from the timeouts of its settings', async () => {
    const ds = hangingDataSource({ requestTimeoutSeconds: 5, queryDeadlineSeconds: 12 });
    let answeredAt: number | undefined;
    const answer = firstValueFrom(ds.query(request([{ queryType: 'rollouts', namespaces: ['payments'] }]))).then(
      (response) => {
        answeredAt = Date.now();
        return response;
      }
    );
    await jest.advanceTimersByTimeAsync(11_999);
    expect(answeredAt).toBeUndefined();
    await jest.advanceTimersByTimeAsync(1);
    const response = await answer;

    expect(answeredAt).toBe(12_000);
    expect(response.data).toEqual([]);
    expect(response.errors).toEqual([
      expect.objectContaining({
        refId: 'A',
        message: expect.stringMatching(
          /^The Kubernetes API server did not answer list rollouts\.argoproj\.io in namespace "payments" \(GET \/apis\/argoproj\.io\/v1alpha1\/namespaces\/payments\/rollouts\) within 1\.1 s\. .* Gave up after 3 attempts at the query deadline of 12 s \(a data source setting\)\.$/
        ),
      }),
    ]);
  });

  it('bounds a variable query and the health check by the same deadline', async () => {
    const ds = hangingDataSource({ queryDeadlineSeconds: 20 });
    const variable = ds.metricFindQuery({ kind: 'namespaces' });
    variable.catch(() => undefined);
    const health = ds.testDatasource();
    await jest.advanceTimersByTimeAsync(20_000);

    await expect(variable).rejects.toThrow(/at the query deadline of 20 s/);
    await expect(health).resolves.toMatchObject({
      status: 'error',
      message: expect.stringMatching(/did not answer GET \/version within .* at the query deadline of 20 s/),
    });
  });
});
