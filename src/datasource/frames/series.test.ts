import fs from 'node:fs';
import path from 'node:path';

import type { DataFrame } from '@grafana/data';

import type { Rollout } from '../model/argo';
import { buildTimeline } from '../timeline/buildTimeline';
import { RECORDED_FIXTURES, recordedScenario } from '../timeline/testing/sharedFixtures';
import type { TimelineEntry } from '../timeline/types';
import { canaryWeightFrames, rolloutsInProgressFrames } from './series';

const recordedAt = (scenario: string) =>
  Date.parse(JSON.parse(fs.readFileSync(path.join(RECORDED_FIXTURES, scenario, 'versions.json'), 'utf8')).recordedAt);

function recordedHistory(scenario: string) {
  const lists = recordedScenario(scenario);
  const now = recordedAt(scenario);
  const { entries } = buildTimeline({ ...lists, range: { from: -Infinity, to: now }, now, cluster: 'testbed' });
  return { entries, rollouts: lists.rollouts as Rollout[], now };
}

const iso = (ms: number) => new Date(ms).toISOString().slice(11, 19);
const points = (frame: DataFrame) =>
  frame.fields[0].values.map((time: number, i: number) => [iso(time), frame.fields[1].values[i]]);

function entry(fields: Partial<TimelineEntry> & Pick<TimelineEntry, 'time'>): TimelineEntry {
  return {
    id: `${fields.time}`,
    kind: 'point',
    timeEnd: fields.time,
    namespace: 'shop',
    rollout: 'web',
    category: 'lifecycle',
    precision: 'exact',
    derivation: '',
    message: '',
    sources: [],
    ...fields,
  };
}

const T = (hhmmss: string) => Date.parse(`2026-11-20T${hhmmss}Z`);
const revision = (start: string, end: string, outcome: TimelineEntry['outcome']) =>
  entry({ kind: 'region', span: 'revision', time: T(start), timeEnd: T(end), outcome });
const step = (time: string, index: number, weight: number) =>
  entry({ time: T(time), category: 'steps', reason: 'RolloutStepCompleted', step: { index, total: 4, weight } });

describe('canary weight series', () => {
  it('steps through the weights the controller reported for the recorded canary-promote scenario', () => {
    const { entries, rollouts, now } = recordedHistory('canary-promote');
    const range = { from: now - 3_600_000, to: now + 60_000 };
    const [frame] = canaryWeightFrames(entries, rollouts, { range, now: range.to, cluster: 'testbed' });
    // Revision 1 (initial deploy, no steps) completes in its first second; revision 2 goes 25 -> 75 -> done.
    expect(points(frame)).toEqual([
      ['03:57:58', 100],
      ['03:57:59', 0],
      ['03:58:01', 25],
      ['03:58:04', 75],
      ['03:58:07', 100],
      ['03:59:07', 100],
    ]);
    expect(frame.fields[1].labels).toEqual({
      cluster: 'testbed',
      namespace: 'e2e-canary-promote',
      rollout: 'canary-promote',
    });
    expect(frame.fields[1].config).toMatchObject({ unit: 'percent', min: 0, max: 100 });
    expect(frame.fields[1].config.displayNameFromDS).toBe('e2e-canary-promote/canary-promote');
  });

  it('falls to 0 when an update is aborted', () => {
    // Recorded: step 1 (50 %) completed in the same second as the abort, so that second ends at 0.
    const { entries, rollouts, now } = recordedHistory('canary-abort');
    const [frame] = canaryWeightFrames(entries, rollouts, {
      range: { from: now - 3_600_000, to: now },
      now,
      cluster: 'testbed',
    });
    expect(points(frame)).toEqual([
      ['03:57:58', 100],
      ['03:57:59', 0],
      ['03:58:04', 0],
    ]);
    expect(iso(now)).toBe('03:58:04');
    const aborted = [revision('10:00:00', '10:04:00', 'aborted'), step('10:02:00', 1, 50)];
    const [synthetic] = canaryWeightFrames(aborted, [], {
      range: { from: T('09:00:00'), to: T('10:10:00') },
      now: T('10:10:00'),
      cluster: 'c',
    });
    expect(points(synthetic)).toEqual([
      ['10:00:00', 0],
      ['10:02:00', 50],
      ['10:04:00', 0],
      ['10:10:00', 0],
    ]);
  });

  it('starts the range with the weight set before it, and only changes inside it', () => {
    const entries = [revision('10:00:00', '10:05:00', 'succeeded'), step('10:01:00', 1, 25), step('10:03:00', 3, 50)];
    const [frame] = canaryWeightFrames(entries, [], {
      range: { from: T('10:02:00'), to: T('10:10:00') },
      now: T('10:10:00'),
      cluster: 'c',
    });
    expect(points(frame)).toEqual([
      ['10:02:00', 25],
      ['10:03:00', 50],
      ['10:05:00', 100],
      ['10:10:00', 100],
    ]);
  });

  it('orders steps of the same second by their number and keeps the last value of an instant', () => {
    // Events have one-second timestamps: a list may hold step 3 before step 2 of the same second.
    const entries = [revision('10:00:00', '10:00:09', 'inProgress'), step('10:00:05', 3, 50), step('10:00:05', 2, 25)];
    const [frame] = canaryWeightFrames(entries, [], {
      range: { from: T('09:00:00'), to: T('10:00:09') },
      now: T('10:00:09'),
      cluster: 'c',
    });
    expect(points(frame)).toEqual([
      ['10:00:00', 0],
      ['10:00:05', 50],
      ['10:00:09', 50],
    ]);
  });

  it('starts a revision at 0 when the previous one completed in the same second', () => {
    // The list has the newer revision first: only their revisions tell the order of one second.
    const entries = [
      entry({
        kind: 'region',
        span: 'revision',
        revision: 2,
        time: T('10:00:05'),
        timeEnd: T('10:00:09'),
        outcome: 'inProgress',
      }),
      entry({
        kind: 'region',
        span: 'revision',
        revision: 1,
        time: T('10:00:00'),
        timeEnd: T('10:00:05'),
        outcome: 'succeeded',
      }),
      { ...step('10:00:02', 1, 50), revision: 1 },
    ];
    const [frame] = canaryWeightFrames(entries, [], {
      range: { from: T('09:00:00'), to: T('10:00:09') },
      now: T('10:00:09'),
      cluster: 'c',
    });
    expect(points(frame)).toEqual([
      ['10:00:00', 0],
      ['10:00:02', 50],
      ['10:00:05', 0],
      ['10:00:09', 0],
    ]);
  });

  it('holds the weight after a revision whose end is not recorded, and counts it in no update in progress', () => {
    const unknownEnd = entry({
      kind: 'point',
      span: 'revision',
      revision: 3,
      time: T('10:00:00'),
      outcome: 'succeeded',
      endUnknown: true,
    });
    const options = { range: { from: T('09:00:00'), to: T('10:10:00') }, now: T('10:10:00'), cluster: 'c' };
    expect(points(canaryWeightFrames([unknownEnd], [], options)[0])).toEqual([
      ['10:00:00', 0],
      ['10:10:00', 0],
    ]);
    expect(points(rolloutsInProgressFrames([unknownEnd], options)[0])).toEqual([
      ['09:00:00', 0],
      ['10:10:00', 0],
    ]);
  });

  it('ends an update in progress at the weight the Rollout status asks for now, once step Events expired', () => {
    const entries = [revision('10:00:00', '10:30:00', 'inProgress')];
    const rollout: Rollout = {
      metadata: { namespace: 'shop', name: 'web' },
      spec: { strategy: { canary: { steps: [{ setWeight: 20 }, { pause: {} }, { setWeight: 60 }, { pause: {} }] } } },
      status: { currentStepIndex: 3 },
    };
    const [frame] = canaryWeightFrames(entries, [rollout], {
      range: { from: T('09:00:00'), to: T('10:30:00') },
      now: T('10:30:00'),
      cluster: 'c',
    });
    expect(points(frame)).toEqual([
      ['10:00:00', 0],
      ['10:30:00', 60],
    ]);
  });

  it('leaves out rollouts with nothing known before the end of the range, and says so in an empty frame', () => {
    const frames = canaryWeightFrames([revision('11:00:00', '11:01:00', 'succeeded')], [], {
      range: { from: T('09:00:00'), to: T('10:00:00') },
      now: T('12:00:00'),
      cluster: 'c',
      notices: [{ severity: 'warning', text: 'partial' }],
    });
    expect(frames).toHaveLength(1);
    expect(frames[0].length).toBe(0);
    expect(frames[0].meta?.notices).toEqual([{ severity: 'warning', text: 'partial' }]);
  });
});

describe('rollouts in progress series', () => {
  it('counts the updates between their start and end, overlapping ones together', () => {
    const entries = [
      revision('10:00:00', '10:10:00', 'succeeded'),
      entry({
        kind: 'region',
        span: 'revision',
        rollout: 'api',
        time: T('10:05:00'),
        timeEnd: T('10:20:00'),
        outcome: 'aborted',
      }),
      entry({
        kind: 'region',
        span: 'revision',
        rollout: 'db',
        time: T('10:15:00'),
        timeEnd: T('10:30:00'),
        outcome: 'inProgress',
      }),
      step('10:06:00', 1, 10),
    ];
    const [frame] = rolloutsInProgressFrames(entries, {
      range: { from: T('10:00:00'), to: T('10:30:00') },
      now: T('10:30:00'),
      cluster: 'c',
    });
    expect(points(frame)).toEqual([
      ['10:00:00', 1],
      ['10:05:00', 2],
      ['10:10:00', 1],
      ['10:15:00', 2],
      ['10:20:00', 1],
      ['10:30:00', 1],
    ]);
    expect(frame.fields[1].config.displayNameFromDS).toBe('Rollouts in progress');
  });

  it('is 0 over the whole range when no update is known', () => {
    const [frame] = rolloutsInProgressFrames([], {
      range: { from: T('10:00:00'), to: T('11:00:00') },
      now: T('12:00:00'),
      cluster: 'c',
    });
    expect(points(frame)).toEqual([
      ['10:00:00', 0],
      ['11:00:00', 0],
    ]);
  });
});
