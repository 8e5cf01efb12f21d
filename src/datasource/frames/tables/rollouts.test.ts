/**
 * @jest-environment-options {"customExportConditions": ["node", "node-addons"]}
 */
import { FieldType, type DataFrame } from '@grafana/data';
import type { ReplicaSet } from 'kubernetes-types/apps/v1';

import type { Rollout } from '../../model/argo';
import { rolloutsTable } from './rollouts';
import { loadInfoObject } from './testdata';

const now = Date.parse('2020-01-01T00:00:00Z');
const options = { cluster: 'prod', now };

const canary = loadInfoObject<Rollout>('canary/canary-rollout.yaml');
const canaryReplicaSets = ['canary/canary-rs.yaml', 'canary/stable-rs.yaml', 'canary/old-rs.yaml'].map((file) =>
  loadInfoObject<ReplicaSet>(file)
);
const blueGreen = loadInfoObject<Rollout>('blue-green/bluegreen-rollout.yaml');
const blueGreenReplicaSets = ['blue-green/active-rs.yaml', 'blue-green/preview-rs.yaml', 'blue-green/old-rs.yaml'].map(
  (file) => loadInfoObject<ReplicaSet>(file)
);
const aborted = loadInfoObject<Rollout>('rollout-aborted/rollout.yaml');
const abortedReplicaSets = ['rollout-aborted/rs1.yaml', 'rollout-aborted/rs2.yaml'].map((file) =>
  loadInfoObject<ReplicaSet>(file)
);
const experiment = loadInfoObject<Rollout>('experiment-analysis/rollout-experiment-analysis.yaml');

/** Row `index` of the frame as `{fieldName: value}`. */
function row(frame: DataFrame, index = 0): Record<string, unknown> {
  return Object.fromEntries(frame.fields.map((field) => [field.name, field.values[index]]));
}

function column(frame: DataFrame, name: string): unknown[] {
  const field = frame.fields.find((f) => f.name === name);
  if (!field) {
    throw new Error(`no field ${name}`);
  }
  return field.values;
}

describe('rolloutsTable', () => {
  it('returns the canary fixture with its step, weight, revisions, images and replica counts', () => {
    const frame = rolloutsTable([canary], canaryReplicaSets, options);
    expect(frame.length).toBe(1);
    expect(row(frame)).toEqual({
      cluster: 'prod',
      namespace: 'jesse-test',
      name: 'canary-demo',
      strategy: 'canary',
      phase: 'Degraded',
      message: 'ProgressDeadlineExceeded: ReplicaSet "canary-demo-65fb5ffc84" has timed out progressing.',
      step: '0/8',
      canaryWeight: 20,
      stableRevision: 30,
      currentRevision: 31,
      images: 'argoproj/rollouts-demo:does-not-exist',
      desiredReplicas: 5,
      readyReplicas: 5,
      availableReplicas: 5,
      updatedReplicas: 1,
      paused: false,
      aborted: false,
      age: (now - Date.parse('2019-10-25T06:07:18Z')) / 1000,
      lastTransition: Date.parse('2019-10-28T04:52:55Z'),
      revisionHistoryLimit: 3,
      tags: 'cluster:prod,namespace:jesse-test,rollout:canary-demo,revision:31,strategy:canary',
    });
  });

  it('returns the blue-green fixture as paused, with no step or canary weight', () => {
    const frame = rolloutsTable([blueGreen], blueGreenReplicaSets, options);
    expect(row(frame)).toMatchObject({
      name: 'bluegreen-demo',
      strategy: 'blueGreen',
      phase: 'Paused',
      message: 'BlueGreenPause',
      step: null,
      canaryWeight: null,
      stableRevision: 10,
      currentRevision: 11,
      images: 'argoproj/rollouts-demo:green',
      paused: true,
      aborted: false,
      lastTransition: Date.parse('2019-10-28T04:50:20Z'),
    });
  });

  it('returns an aborted rollout with weight 0 and the abort message', () => {
    const frame = rolloutsTable([aborted], abortedReplicaSets, options);
    expect(row(frame)).toMatchObject({
      phase: 'Degraded',
      message: 'RolloutAborted: metric "web" assessed Failed due to failed (1) > failureLimit (0)',
      aborted: true,
      canaryWeight: 0,
      stableRevision: 1,
      currentRevision: 2,
      step: '0/2',
      images: 'argoproj/rollouts-demo:yellow',
    });
  });

  it('takes the canary weight from the traffic router when status reports one', () => {
    const routed = loadInfoObject<Rollout>('canary/canary-rollout5.yaml');
    const weighted: Rollout = {
      ...routed,
      status: {
        ...routed.status,
        canary: { weights: { canary: { weight: 35 } } },
      },
    };
    expect(row(rolloutsTable([weighted], [], options)).canaryWeight).toBe(35);
    expect(row(rolloutsTable([routed], [], options)).canaryWeight).toBe(20);
  });

  it('gives 100 as the canary weight once every step is done', () => {
    const done: Rollout = { ...canary, status: { ...canary.status, currentStepIndex: 8 } };
    expect(row(rolloutsTable([done], [], options))).toMatchObject({ canaryWeight: 100, step: '8/8' });
  });

  it('reads the images of a workloadRef rollout from its current ReplicaSet', () => {
    const workloadRef = loadInfoObject<Rollout>('canary/canary-rollout2.yaml');
    expect(workloadRef.spec?.template).toBeUndefined();
    const frame = rolloutsTable([workloadRef], canaryReplicaSets, options);
    expect(row(frame).images).toBe('argoproj/rollouts-demo:does-not-exist');
  });

  it('ignores a ReplicaSet with the same hash that another rollout owns', () => {
    const foreign: ReplicaSet = {
      ...canaryReplicaSets[0],
      metadata: {
        ...canaryReplicaSets[0].metadata,
        ownerReferences: [{ apiVersion: 'x', kind: 'Rollout', name: 'other', uid: 'other-uid' }],
      },
    };
    const frame = rolloutsTable([canary], [foreign], options);
    // Falls back to the Rollout's own revision annotation.
    expect(row(frame).currentRevision).toBe(31);
    expect(row(frame).stableRevision).toBeNull();
  });

  it('uses the controller phase and message when the current spec was observed', () => {
    const modern: Rollout = {
      ...canary,
      status: { ...canary.status, phase: 'Progressing', message: 'more replicas need to be updated' },
    };
    expect(row(rolloutsTable([modern], [], options))).toMatchObject({
      phase: 'Progressing',
      message: 'more replicas need to be updated',
    });
  });

  it('reports a stale phase while the controller has not observed the latest generation', () => {
    const stale: Rollout = {
      ...canary,
      metadata: { ...canary.metadata, generation: 430 },
      status: { ...canary.status, phase: 'Healthy' },
    };
    expect(row(rolloutsTable([stale], [], options))).toMatchObject({
      phase: 'Progressing',
      message: 'waiting for rollout spec update to be observed',
    });
  });

  it('sorts the most recently changed rollout first', () => {
    const frame = rolloutsTable([blueGreen, canary, aborted, experiment], [], options);
    expect(column(frame, 'name')).toEqual([
      'rollout-background-analysis',
      'rollout-experiment-analysis',
      'canary-demo',
      'bluegreen-demo',
    ]);
  });

  it('types times as time, durations in seconds and the weight in percent, with display names', () => {
    const frame = rolloutsTable([canary], canaryReplicaSets, options);
    const field = (name: string) => frame.fields.find((f) => f.name === name)!;
    expect(field('lastTransition').type).toBe(FieldType.time);
    expect(field('age')).toMatchObject({ type: FieldType.number, config: { unit: 'dtdurations', displayName: 'Age' } });
    expect(field('canaryWeight').config.unit).toBe('percent');
    expect(field('paused').type).toBe(FieldType.boolean);
    expect(field('tags').type).toBe(FieldType.string);
    expect(field('cluster').config.displayName).toBe('Cluster');
    expect(frame.meta?.preferredVisualisationType).toBe('table');
  });

  it('applies the tag mapping to the Rollout labels', () => {
    const frame = rolloutsTable([canary], canaryReplicaSets, {
      ...options,
      tagMapping: { metadataRules: [{ source: 'label', key: 'app.kubernetes.io/instance', tagName: 'instance' }] },
    });
    expect(String(row(frame).tags).split(',')).toContain('instance:jesse-test');
  });

  it('does not throw on a rollout with no spec or status, and says it is not reconciled yet', () => {
    const bare: Rollout = { metadata: { name: 'new', namespace: 'default' } };
    const frame = rolloutsTable([bare, {}], [], options);
    expect(frame.length).toBe(2);
    expect(column(frame, 'name')).toEqual(['', 'new']);
    expect(row(frame, 1)).toMatchObject({
      name: 'new',
      phase: 'Progressing',
      desiredReplicas: 1,
      readyReplicas: 0,
      paused: false,
      revisionHistoryLimit: 10,
      lastTransition: null,
    });
    expect(frame.meta?.notices).toEqual([
      expect.objectContaining({ severity: 'info', text: expect.stringContaining('2 rollout(s) have no status') }),
    ]);
  });

  it('keeps the notices given by the caller', () => {
    const notice = { severity: 'warning' as const, text: 'namespace "payments" is not readable' };
    const frame = rolloutsTable([canary], [], { ...options, notices: [notice] });
    expect(frame.meta?.notices).toEqual([notice]);
  });

  it('returns an empty table with every column when there are no rollouts', () => {
    const frame = rolloutsTable([], [], options);
    expect(frame.length).toBe(0);
    expect(frame.fields.map((f) => f.name)).toContain('revisionHistoryLimit');
  });

  describe('objects that break the schema', () => {
    const notices = (frame: DataFrame) => frame.meta?.notices?.map((notice) => notice.text);

    it('skips what is no object, shows wrong-typed fields empty, and says both', () => {
      const malformed = {
        metadata: { name: 'web', namespace: 'shop', ownerReferences: 'web' },
        spec: {
          replicas: '3',
          strategy: { canary: { steps: 'setWeight: 20' } },
          template: { spec: { containers: [null, { image: 7 }, { image: 'web:2' }] } },
        },
        status: {
          phase: 'Healthy',
          readyReplicas: '2',
          conditions: 'Available',
          pauseConditions: null,
          currentStepIndex: 'x',
        },
      } as unknown as Rollout;
      const frame = rolloutsTable([null as unknown as Rollout, malformed], [], options);

      expect(frame.length).toBe(1);
      expect(row(frame)).toMatchObject({
        name: 'web',
        desiredReplicas: null,
        readyReplicas: null,
        images: 'web:2',
        step: null,
        canaryWeight: 100,
        lastTransition: null,
        paused: false,
      });
      expect(notices(frame)).toEqual([
        'Skipped 1 rollout that could not be read: an item that is no object.',
        '2 values of an unexpected type shown empty (Desired, Ready): some objects do not follow the schema of their kind.',
      ]);
    });

    it('skips an object it cannot read at all, and names it', () => {
      const unreadable = { metadata: { name: 'web', namespace: 'shop' } } as Rollout;
      Object.defineProperty(unreadable, 'spec', {
        get() {
          throw new Error('cannot be read');
        },
      });
      const frame = rolloutsTable([unreadable, canary], canaryReplicaSets, options);

      expect(column(frame, 'name')).toEqual(['canary-demo']);
      expect(notices(frame)).toContain(
        'Skipped 1 rollout that could not be read: shop/web (fields of unexpected types).'
      );
    });
  });
});
