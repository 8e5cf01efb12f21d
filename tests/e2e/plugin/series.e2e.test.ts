/**
 * Real-stack check of the `series` query: for the canary-promote scenario, which the real controller took through
 * setWeight 25, 50 and 75 to completion, the canary weight series steps through exactly 0 -> 25 -> 50 -> 75 -> 100
 * during revision 2's update, each change within one second of the Event the controller recorded for it.
 */
import { dateTime, type DataFrame } from '@grafana/data';
import { lastValueFrom } from 'rxjs';

import { check } from './checks';
import { adminList, testbedDataSource, VIA_PROXY_STAND_IN } from './testbed';

const NAMESPACE = 'e2e-canary-promote';
const ROLLOUT = 'canary-promote';
const SECOND = 1000;

interface KubeEvent {
  reason: string;
  message: string;
  involvedObject: { kind: string; name: string };
  lastTimestamp?: string;
  eventTime?: string;
}

const eventTime = (event: KubeEvent) => Date.parse(event.lastTimestamp ?? event.eventTime ?? '');
const iso = (ms: number) => new Date(ms).toISOString();

async function canaryWeight(): Promise<Array<{ time: number; value: number }>> {
  const { dataSource, proxy } = testbedDataSource();
  try {
    const to = dateTime();
    const from = dateTime(Date.now() - 3_600_000);
    const response = await lastValueFrom(
      dataSource.query({
        requestId: 'e2e-series',
        interval: '1m',
        intervalMs: 60_000,
        range: { from, to, raw: { from, to } },
        scopedVars: {},
        targets: [{ refId: 'A', queryType: 'series', metric: 'canaryWeight', namespaces: [NAMESPACE] }],
        timezone: 'utc',
        app: 'dashboard',
        startTime: Date.now(),
      })
    );
    expect(response.errors ?? []).toEqual([]);
    const frames = response.data as DataFrame[];
    expect(frames.map((frame) => frame.fields[1]?.labels?.rollout)).toEqual([ROLLOUT]);
    const [time, value] = frames[0].fields;
    return (time.values as number[]).map((t, i) => ({ time: t, value: (value.values as number[])[i] }));
  } finally {
    proxy.close();
  }
}

describe('time series of the test bed', () => {
  check(
    'series/canary-weight',
    async (details) => {
      const events = (await adminList<KubeEvent>(`/api/v1/namespaces/${NAMESPACE}/events`)).filter(
        (event) => event.involvedObject.kind === 'Rollout' && event.involvedObject.name === ROLLOUT
      );
      const update = events.find((e) => e.reason === 'RolloutUpdated' && /revision 2$/.test(e.message));
      const completed = events.find((e) => e.reason === 'RolloutCompleted' && /revision 2 /.test(e.message));
      const steps = events
        .filter((e) => e.reason === 'RolloutStepCompleted')
        .map((e) => ({ weight: Number(/\(setWeight: (\d+)\)/.exec(e.message)?.[1] ?? NaN), time: eventTime(e) }))
        .filter((step) => !Number.isNaN(step.weight))
        .sort((a, b) => a.time - b.time);
      details.controllerEvents = {
        update: update && iso(eventTime(update)),
        steps: steps.map((step) => `${step.weight}% at ${iso(step.time)}`),
        completed: completed && iso(eventTime(completed)),
      };
      expect(steps.map((step) => step.weight)).toEqual([25, 50, 75]);
      expect(update && completed).toBeTruthy();

      const points = await canaryWeight();
      details.series = points.map((p) => `${p.value}% at ${iso(p.time)}`);
      // Revision 2's update, from the second the controller recorded its start: each change of value, in order.
      const during = points.filter((p) => p.time >= eventTime(update!));
      const changes = during.filter((p, i) => i === 0 || p.value !== during[i - 1].value);
      expect(changes.map((p) => p.value)).toEqual([0, 25, 50, 75, 100]);
      const expected = [...steps, { weight: 100, time: eventTime(completed!) }];
      const missed = expected.filter(
        (step) => !changes.some((p) => p.value === step.weight && Math.abs(p.time - step.time) <= SECOND)
      );
      expect({ missed }).toEqual({ missed: [] });
      return details;
    },
    { against: VIA_PROXY_STAND_IN }
  );
});
