import { FieldType, type DataFrame } from '@grafana/data';

import { revisionsTable, type RevisionRow } from './revisions';

const now = Date.parse('2024-05-01T12:00:00Z');
const options = { cluster: 'prod', now };

function row(frame: DataFrame, index = 0): Record<string, unknown> {
  return Object.fromEntries(frame.fields.map((field) => [field.name, field.values[index]]));
}

function column(frame: DataFrame, name: string): unknown[] {
  return frame.fields.find((f) => f.name === name)!.values;
}

/** Revisions 30 and 31 of the canary fixture's rollout, as the timeline would describe them. */
const promoted: RevisionRow = {
  namespace: 'jesse-test',
  rollout: 'canary-demo',
  revision: 30,
  started: Date.parse('2024-05-01T10:00:00Z'),
  ended: Date.parse('2024-05-01T10:20:00Z'),
  outcome: 'succeeded',
  precision: 'exact',
  images: ['argoproj/rollouts-demo:green'],
  stepsReached: 8,
  totalSteps: 8,
  analysisPhases: ['Successful', 'Successful'],
  pausedMs: 600_000,
  tags: 'cluster:prod,rollout:canary-demo,revision:30',
};

const running: RevisionRow = {
  namespace: 'jesse-test',
  rollout: 'canary-demo',
  revision: 31,
  started: Date.parse('2024-05-01T11:00:00Z'),
  inProgress: true,
  outcome: 'inProgress',
  precision: 'reconstructed',
  images: ['argoproj/rollouts-demo:does-not-exist', 'envoy:1.30'],
  stepsReached: 0,
  totalSteps: 8,
  analysisPhases: ['Successful', 'Failed', 'Inconclusive'],
  tags: 'cluster:prod,rollout:canary-demo,revision:31',
};

describe('revisionsTable', () => {
  it('returns a finished revision with its duration, steps, analyses and paused time', () => {
    const frame = revisionsTable([promoted], options);
    expect(row(frame)).toEqual({
      cluster: 'prod',
      namespace: 'jesse-test',
      rollout: 'canary-demo',
      revision: 30,
      started: Date.parse('2024-05-01T10:00:00Z'),
      ended: Date.parse('2024-05-01T10:20:00Z'),
      duration: 1200,
      outcome: 'succeeded',
      precision: 'exact',
      images: 'argoproj/rollouts-demo:green',
      stepsReached: '8/8',
      analyses: 2,
      worstAnalysis: 'Successful',
      pausedTime: 600,
      tags: 'cluster:prod,rollout:canary-demo,revision:30',
    });
  });

  it('counts a revision in progress up to now and reports its worst analysis', () => {
    const frame = revisionsTable([running], options);
    expect(row(frame)).toMatchObject({
      ended: null,
      duration: 3600,
      stepsReached: '0/8',
      analyses: 3,
      worstAnalysis: 'Failed',
      pausedTime: null,
      images: 'argoproj/rollouts-demo:does-not-exist, envoy:1.30',
    });
  });

  it('leaves the duration empty when a finished revision has no recorded end', () => {
    const frame = revisionsTable([{ ...promoted, ended: undefined }], options);
    expect(row(frame).duration).toBeNull();
  });

  it('sorts the most recently started revision first, then unknown starts by revision', () => {
    const unknownStart: RevisionRow = { ...promoted, revision: 29, started: undefined, ended: undefined };
    const older: RevisionRow = { ...promoted, revision: 28, started: undefined, ended: undefined };
    const frame = revisionsTable([older, promoted, unknownStart, running], options);
    expect(column(frame, 'revision')).toEqual([31, 30, 29, 28]);
  });

  it('types the times as time fields and durations in seconds', () => {
    const frame = revisionsTable([promoted], options);
    const field = (name: string) => frame.fields.find((f) => f.name === name)!;
    expect(field('started').type).toBe(FieldType.time);
    expect(field('ended').type).toBe(FieldType.time);
    expect(field('duration').config).toEqual({ displayName: 'Duration', unit: 'dtdurations' });
    expect(field('pausedTime').config.unit).toBe('dtdurations');
    expect(field('analyses').type).toBe(FieldType.number);
  });

  it('shows no analyses and no steps for a blue-green revision without them', () => {
    const blueGreen: RevisionRow = {
      namespace: 'jesse-test',
      rollout: 'bluegreen-demo',
      revision: 11,
      images: [],
      analysisPhases: [],
      tags: '',
    };
    expect(row(revisionsTable([blueGreen], options))).toMatchObject({
      stepsReached: null,
      analyses: 0,
      worstAnalysis: null,
      started: null,
      duration: null,
      tags: '',
    });
  });
});
