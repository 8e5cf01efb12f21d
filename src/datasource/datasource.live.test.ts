import fs from 'node:fs';
import path from 'node:path';

import {
  type DataFrame,
  type DataQueryRequest,
  type DataQueryResponse,
  type DataSourceInstanceSettings,
} from '@grafana/data';

import { firstValueFrom } from 'rxjs';

import { DataSource } from './datasource';
import { createKubeClient } from './kube/client';
import { ROLLOUTS } from './kube/resources';
import { LiveCollection } from './kube/testing/live-collection';
import { nodeHttpFetch } from './kube/testing/node-http-fetch';
import { nodeStreamFetch } from './kube/testing/node-stream-fetch';
import { type Handler, startStandInApiServer, type StandInApiServer } from './kube/testing/stand-in-api-server';
import { queryRequest } from './testing/queryRequest';
import type { RolloutLensJsonData, RolloutLensQuery } from './types';

const RECORDED = path.resolve(__dirname, '../../tests/fixtures/recorded/canary-promote');
const recorded = (file: string) => JSON.parse(fs.readFileSync(path.join(RECORDED, file), 'utf8'));
const recordedAt = Date.parse(recorded('versions.json').recordedAt);

/** The recorded canary-promote scenario, served cluster-wide as collections that clients can list and watch. */
function liveCluster(watchHeadersAfterMs = 0, events: Array<Record<string, unknown>> = recorded('events.json').items) {
  const collections = new Map<string, LiveCollection>([
    [
      '/apis/argoproj.io/v1alpha1/rollouts',
      new LiveCollection('Rollout', 'argoproj.io/v1alpha1', recorded('rollouts.json').items, 700),
    ],
    ['/apis/apps/v1/replicasets', new LiveCollection('ReplicaSet', 'apps/v1', recorded('replicasets.json').items, 700)],
    ['/apis/argoproj.io/v1alpha1/analysisruns', new LiveCollection('AnalysisRun', 'argoproj.io/v1alpha1', [], 700)],
    ['/apis/argoproj.io/v1alpha1/experiments', new LiveCollection('Experiment', 'argoproj.io/v1alpha1', [], 700)],
    ['/api/v1/events', new LiveCollection('Event', 'v1', events, 700)],
  ]);
  const handler: Handler = async (request) => {
    if (request.method === 'POST') {
      return { status: 201, body: { status: { allowed: true } } };
    }
    if (request.query.get('watch') === '1') {
      // Grafana's proxy sends the headers of a silent stream 200 ms after it opened it.
      await new Promise((resolve) => setTimeout(resolve, watchHeadersAfterMs));
    }
    const collection = collections.get(request.path);
    return collection ? collection.handler()(request) : { status: 404, body: 'not found' };
  };
  return { collections, handler };
}

let server: StandInApiServer | undefined;
let dataSource: DataSource | undefined;
afterEach(async () => {
  dataSource?.informer.stop();
  await server?.close();
});

function request(targets: Array<Partial<RolloutLensQuery>>): DataQueryRequest<RolloutLensQuery> {
  return queryRequest(targets, recordedAt, 'live');
}

const messages = (response: DataQueryResponse) =>
  ((response.data[0] as DataFrame).fields.find((field) => field.name === 'text')?.values ?? []) as string[];

async function until(what: string, condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function liveDataSource(watchHeadersAfterMs = 0, events?: Array<Record<string, unknown>>) {
  const cluster = liveCluster(watchHeadersAfterMs, events);
  server = await startStandInApiServer(cluster.handler);
  const settings = {
    id: 1,
    uid: 'live',
    name: 'Live',
    type: 'rolloutlens-argorollouts-datasource',
    url: server.baseUrl.replace(/\/kube$/, ''),
    jsonData: { clusterName: 'testbed' },
    meta: {},
    access: 'proxy',
    readOnly: false,
  } as unknown as DataSourceInstanceSettings<RolloutLensJsonData>;
  const kube = createKubeClient({
    baseUrl: server.baseUrl,
    fetch: nodeHttpFetch(),
    streamFetch: nodeStreamFetch(),
    cacheTtlMs: 0,
  });
  dataSource = new DataSource(settings, (target) => target, kube);
  return { cluster, dataSource };
}

describe('DataSource live answers', () => {
  it('stays live when the watches are still connecting at the first answer, as through the proxy of Grafana', async () => {
    const { cluster, dataSource: live } = await liveDataSource(300);
    const answers: DataQueryResponse[] = [];
    let completed = false;
    const subscription = live
      .query(request([{ queryType: 'annotations', detail: 'all', categories: [], outcomes: [] }]))
      .subscribe({ next: (response) => answers.push(response), complete: () => (completed = true) });
    await until('the first answer', () => answers.length === 1);
    // At the first answer the watches were still connecting.
    expect(live.informer.isWatching([{ resource: ROLLOUTS }])).toBe(false);
    await until('the watches', () => [...cluster.collections.values()].every((c) => c.openWatches === 1));
    const step = recorded('events.json').items.find((event: any) => event.reason === 'RolloutStepCompleted');
    cluster.collections.get('/api/v1/events')!.upsert({
      ...step,
      metadata: { ...step.metadata, name: 'canary-promote.late-step', uid: 'late-step' },
      message: 'Rollout step 6/4 completed (pause)',
    });
    await until('the second answer', () => answers.length === 2);
    expect(messages(answers[1]).some((text) => text.includes('Rollout step 6/4 completed'))).toBe(true);
    expect(completed).toBe(false);
    subscription.unsubscribe();
  });

  it('does not stay live for a caller that took the first answer and unsubscribed', async () => {
    const { cluster, dataSource: live } = await liveDataSource();
    const query = request([{ queryType: 'rollouts' }]);
    await firstValueFrom(live.query(query));
    const read = ['/apis/argoproj.io/v1alpha1/rollouts', '/apis/apps/v1/replicasets'];
    await until('the watches', () => read.every((path) => cluster.collections.get(path)!.openWatches === 1));
    // The scopes are watched now: a second query would stay live, this one was already closed.
    const hold = jest.spyOn(live.informer, 'hold');
    const first = await firstValueFrom(live.query(query));
    expect(first.errors).toEqual([]);
    expect(hold).not.toHaveBeenCalled();
  });

  it('answers an open query again when a watch brings a new Event, within a second and a bit', async () => {
    const { cluster, dataSource: live } = await liveDataSource();
    const answers: Array<{ at: number; response: DataQueryResponse }> = [];
    let completed = false;
    const subscription = live
      .query(request([{ queryType: 'annotations', detail: 'all', categories: [], outcomes: [] }]))
      .subscribe({
        next: (response) => answers.push({ at: Date.now(), response }),
        complete: () => (completed = true),
      });
    await until('the first answer', () => answers.length === 1);
    expect(answers[0].response.errors).toEqual([]);
    const events = cluster.collections.get('/api/v1/events')!;
    await until('the watches', () => [...cluster.collections.values()].every((c) => c.openWatches === 1));
    expect(messages(answers[0].response).some((text) => text.includes('step 5/4'))).toBe(false);

    const step = recorded('events.json').items.find((event: any) => event.reason === 'RolloutStepCompleted');
    const added = Date.now();
    events.upsert({
      ...step,
      metadata: { ...step.metadata, name: 'canary-promote.live-step', uid: 'live-step' },
      message: 'Rollout step 5/4 completed (pause)',
      firstTimestamp: new Date(recordedAt).toISOString().replace(/\.\d+Z$/, 'Z'),
      lastTimestamp: new Date(recordedAt).toISOString().replace(/\.\d+Z$/, 'Z'),
    });
    await until('the second answer', () => answers.length === 2);
    expect(answers[1].at - added).toBeLessThan(1_500);
    expect(messages(answers[1].response).some((text) => text.includes('Rollout step 5/4 completed'))).toBe(true);
    expect(answers[1].response.data.map((frame: DataFrame) => frame.refId)).toEqual(['A']);

    // A change the query does not show (an Event about another namespace's Rollout) sends no answer.
    events.upsert({
      ...step,
      metadata: { ...step.metadata, namespace: 'elsewhere', name: 'other.1', uid: 'other-1' },
      involvedObject: { ...step.involvedObject, namespace: 'elsewhere', name: 'other' },
    });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(answers).toHaveLength(2);
    expect(completed).toBe(false);

    subscription.unsubscribe();
    events.upsert({ ...step, metadata: { ...step.metadata, name: 'canary-promote.after', uid: 'after' } });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(answers).toHaveLength(2);
  });

  it('drops the Events Kubernetes deleted (their time to live) and answers as a first load without them would', async () => {
    const annotations = request([{ queryType: 'annotations', detail: 'all', categories: [], outcomes: [] }]);
    const withoutEvents = await liveDataSource(0, []);
    const expected = await firstValueFrom(withoutEvents.dataSource.query(annotations));
    withoutEvents.dataSource.informer.stop();
    await server?.close();

    const { cluster, dataSource: live } = await liveDataSource();
    const answers: DataQueryResponse[] = [];
    const subscription = live.query(annotations).subscribe({ next: (response) => answers.push(response) });
    await until('the first answer', () => answers.length === 1);
    await until('the watches', () => [...cluster.collections.values()].every((c) => c.openWatches === 1));
    const fromEvents = messages(answers[0]).filter((text) => text.includes('Rollout step'));
    expect(fromEvents.length).toBeGreaterThan(0);

    const events = cluster.collections.get('/api/v1/events')!;
    for (const event of recorded('events.json').items) {
      events.delete(event);
    }
    await until('the answer without the Events', () => answers.length === 2);
    subscription.unsubscribe();

    expect(answers[1].errors).toEqual([]);
    expect(messages(answers[1]).filter((text) => text.includes('Rollout step'))).toEqual([]);
    // What stays is the history reconstructed from the ReplicaSets and the Rollout, as a first load finds it.
    expect(messages(expected).length).toBeGreaterThan(0);
    const columns = (response: DataQueryResponse) =>
      (response.data[0] as DataFrame).fields.map((field) => ({ name: field.name, values: [...field.values] }));
    expect(columns(answers[0])).not.toEqual(columns(expected));
    expect(columns(answers[1])).toEqual(columns(expected));
  });
});
