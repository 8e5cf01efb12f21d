/**
 * @jest-environment-options {"customExportConditions": ["node", "node-addons"]}
 */
import { FieldType, type DataFrame } from '@grafana/data';
import type { Event } from 'kubernetes-types/core/v1';

import type { AnalysisRun, Experiment, Rollout } from '../../model/argo';
import { eventsTable } from './events';
import { loadInfoObject, recordedScenarios } from './testdata';

const abortedRollout = loadInfoObject<Rollout>('rollout-aborted/rollout.yaml');
const abortedRun = loadInfoObject<AnalysisRun>('rollout-aborted/analysisrun.yaml');
const stepExperiment = loadInfoObject<Experiment>('experiment-step/canary-exp.yaml');
const stepRun = loadInfoObject<AnalysisRun>('experiment-step/canary-exp-analysis.yaml');
const stepRollout = loadInfoObject<Rollout>('experiment-step/canary-demo.yaml');

/**
 * A core/v1 Event in the shape the controller's recorder writes (reference notes §1.1): legacy timestamps,
 * `source.component` rollouts-controller, name `<object>.<hex>`.
 */
function argoEvent(
  kind: string,
  objectName: string,
  reason: string,
  message: string,
  first: string,
  last = first,
  extra: Partial<Event> = {}
): Event {
  return {
    metadata: { name: `${objectName}.17f${reason.length}`, namespace: 'default', creationTimestamp: first },
    involvedObject: { apiVersion: 'argoproj.io/v1alpha1', kind, name: objectName, namespace: 'default' },
    reason,
    message,
    type: reason === 'RolloutAborted' || reason.endsWith('Failed') ? 'Warning' : 'Normal',
    firstTimestamp: first,
    lastTimestamp: last,
    count: 1,
    source: { component: 'rollouts-controller' },
    reportingComponent: 'rollouts-controller',
    ...extra,
  };
}

function row(frame: DataFrame, index = 0): Record<string, unknown> {
  return Object.fromEntries(frame.fields.map((field) => [field.name, field.values[index]]));
}

function column(frame: DataFrame, name: string): unknown[] {
  return frame.fields.find((f) => f.name === name)!.values;
}

const options = { cluster: 'kind' };

describe('eventsTable', () => {
  it('returns the times, count, reason, category, object and revision of a Rollout event', () => {
    const event = argoEvent(
      'Rollout',
      'rollout-background-analysis',
      'ScalingReplicaSet',
      'Scaled up ReplicaSet rollout-background-analysis-db976bc44 (revision 2) from 0 to 1',
      '2020-09-22T09:10:04Z',
      '2020-09-22T09:12:00Z',
      { count: 3 }
    );
    const frame = eventsTable([event], { ...options, rollouts: [abortedRollout] });
    expect(row(frame)).toEqual({
      cluster: 'kind',
      lastTime: Date.parse('2020-09-22T09:12:00Z'),
      firstTime: Date.parse('2020-09-22T09:10:04Z'),
      count: 3,
      type: 'Normal',
      reason: 'ScalingReplicaSet',
      category: 'lifecycle',
      step: null,
      message: 'Scaled up ReplicaSet rollout-background-analysis-db976bc44 (revision 2) from 0 to 1',
      namespace: 'default',
      objectKind: 'Rollout',
      objectName: 'rollout-background-analysis',
      rollout: 'rollout-background-analysis',
      revision: 2,
      tags: 'cluster:kind,namespace:default,rollout:rollout-background-analysis,revision:2,reason:ScalingReplicaSet,category:lifecycle,strategy:canary',
    });
  });

  it.each([
    { reason: 'RolloutStepCompleted', message: 'Rollout step 1/2 completed (setWeight: 50)', category: 'steps' },
    {
      reason: 'AnalysisRunFailed',
      message: "Background Analysis Run 'x' Status New: 'Failed' Previous: 'Running'",
      category: 'analysis',
    },
    { reason: 'TrafficWeightUpdated', message: 'Traffic weight updated from 0 to 10', category: 'traffic' },
    { reason: 'Updated VirtualService', message: "VirtualService `vs` set to desiredWeight '10'", category: 'traffic' },
    { reason: 'ReplicaSetCreateError', message: 'Failed to create new replica set "x": quota', category: 'errors' },
    {
      reason: 'RolloutCompleted',
      message: 'Rollout completed update to revision 2 (abc): Initial deploy',
      category: 'lifecycle',
    },
  ])('puts reason $reason in category $category', ({ reason, message, category }) => {
    const frame = eventsTable([argoEvent('Rollout', 'web', reason, message, '2024-01-01T00:00:00Z')], options);
    expect(row(frame).category).toBe(category);
  });

  it('links an event on an AnalysisRun to its Rollout and revision through the run', () => {
    const event = argoEvent(
      'AnalysisRun',
      'rollout-background-analysis-db976bc44-2',
      'AnalysisRunFailed',
      'Analysis Completed. Result: Failed',
      '2020-09-22T09:10:04Z',
      undefined,
      {
        involvedObject: {
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'AnalysisRun',
          name: 'rollout-background-analysis-db976bc44-2',
          namespace: 'default',
          uid: 'f453c075-5964-4330-bb30-6bedad22d08b',
        },
      }
    );
    const frame = eventsTable([event], { ...options, analysisRuns: [abortedRun] });
    expect(row(frame)).toMatchObject({
      objectKind: 'AnalysisRun',
      rollout: 'rollout-background-analysis',
      revision: 2,
      category: 'analysis',
      type: 'Warning',
    });
  });

  it('links an event on an experiment step analysis to the Rollout through its Experiment', () => {
    const event = argoEvent(
      'AnalysisRun',
      'canary-demo-645d5dbc4c-2-0-stress-test',
      'MetricFailed',
      "Metric 'stress' Completed. Result: Failed",
      '2019-11-07T22:39:00Z'
    );
    const inJesseTest = { ...event, involvedObject: { ...event.involvedObject, namespace: 'jesse-test' } };
    const frame = eventsTable([inJesseTest], {
      ...options,
      rollouts: [stepRollout],
      analysisRuns: [stepRun],
      experiments: [stepExperiment],
    });
    expect(row(frame)).toMatchObject({ rollout: 'canary-demo', revision: 2, namespace: 'jesse-test' });
    expect(String(row(frame).tags).split(',')).toEqual(
      expect.arrayContaining(['rollout:canary-demo', 'strategy:canary'])
    );
  });

  it('finds the Rollout of an object it has no copy of by the longest rollout name its name starts with', () => {
    const web: Rollout = { metadata: { name: 'web', namespace: 'default' } };
    const webApi: Rollout = { metadata: { name: 'web-api', namespace: 'default' } };
    const event = argoEvent(
      'AnalysisRun',
      'web-api-6f646bf7b7-3-1',
      'AnalysisRunSuccessful',
      'Analysis Completed. Result: Successful',
      '2024-01-01T00:00:00Z'
    );
    const frame = eventsTable([event], { ...options, rollouts: [web, webApi] });
    expect(row(frame)).toMatchObject({ rollout: 'web-api', revision: null });
  });

  it('tags each event with its own revision, reason and outcome and with the labels of its Rollout', () => {
    const web: Rollout = {
      metadata: { name: 'web', namespace: 'default', labels: { team: 'shop' } },
      spec: { strategy: { canary: {} } },
    };
    const events = [
      argoEvent('Rollout', 'web', 'RolloutUpdated', 'Rollout updated to revision 3', '2024-01-01T00:00:00Z'),
      argoEvent('Rollout', 'web', 'RolloutAborted', 'Rollout aborted update to revision 3', '2024-01-01T00:01:00Z'),
      argoEvent('Rollout', 'web', 'RolloutUpdated', 'Rollout updated to revision 4', '2024-01-01T00:02:00Z'),
      argoEvent('Rollout', 'api', 'RolloutUpdated', 'Rollout updated to revision 4', '2024-01-01T00:03:00Z'),
    ];
    const frame = eventsTable(events, {
      ...options,
      rollouts: [web],
      tagMapping: {
        metadataRules: [{ source: 'label', key: 'team' }],
        reasonRules: [{ reason: 'RolloutAborted', tags: ['alert'] }],
      },
    });
    expect(column(frame, 'tags')).toEqual([
      'cluster:kind,namespace:default,rollout:api,revision:4,reason:RolloutUpdated,category:lifecycle',
      'cluster:kind,namespace:default,rollout:web,revision:4,reason:RolloutUpdated,category:lifecycle,strategy:canary,team:shop',
      'cluster:kind,namespace:default,rollout:web,revision:3,reason:RolloutAborted,category:lifecycle,outcome:aborted,strategy:canary,team:shop,alert',
      'cluster:kind,namespace:default,rollout:web,revision:3,reason:RolloutUpdated,category:lifecycle,strategy:canary,team:shop',
    ]);
  });

  it('counts series occurrences when the legacy count is missing', () => {
    const event = argoEvent(
      'Rollout',
      'web',
      'RolloutUpdated',
      'Rollout updated to revision 4',
      '2024-01-01T00:00:00Z',
      undefined,
      {
        count: undefined,
        lastTimestamp: undefined,
        series: { count: 7, lastObservedTime: '2024-01-01T00:05:00.000000Z' },
      }
    );
    const frame = eventsTable([event], options);
    expect(row(frame)).toMatchObject({ count: 7, revision: 4, lastTime: Date.parse('2024-01-01T00:05:00Z') });
  });

  it('leaves out events about objects that are not Argo Rollouts objects', () => {
    const deploymentEvent: Event = {
      ...argoEvent(
        'Deployment',
        'web',
        'ScalingReplicaSet',
        'Scaled up replica set web-1 to 1',
        '2024-01-01T00:00:00Z'
      ),
      involvedObject: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'default' },
    };
    const rolloutEvent = argoEvent(
      'Rollout',
      'web',
      'RolloutUpdated',
      'Rollout updated to revision 1',
      '2024-01-01T00:00:00Z'
    );
    const frame = eventsTable([deploymentEvent, rolloutEvent], options);
    expect(column(frame, 'objectKind')).toEqual(['Rollout']);
  });

  it('sorts the most recently seen event first', () => {
    const events = [
      argoEvent('Rollout', 'a', 'RolloutUpdated', 'Rollout updated to revision 1', '2024-01-01T00:00:00Z'),
      argoEvent(
        'Rollout',
        'b',
        'RolloutPaused',
        'Rollout is paused (CanaryPauseStep)',
        '2024-01-01T00:00:00Z',
        '2024-01-01T02:00:00Z'
      ),
      argoEvent('Rollout', 'c', 'RolloutResumed', 'Rollout is resumed', '2024-01-01T01:00:00Z'),
    ];
    expect(column(eventsTable(events, options), 'objectName')).toEqual(['b', 'c', 'a']);
  });

  it('types the first and last times as time fields with display names', () => {
    const frame = eventsTable(
      [argoEvent('Rollout', 'a', 'RolloutUpdated', 'Rollout updated to revision 1', '2024-01-01T00:00:00Z')],
      options
    );
    const field = (name: string) => frame.fields.find((f) => f.name === name)!;
    expect(field('lastTime')).toMatchObject({ type: FieldType.time, config: { displayName: 'Last seen' } });
    expect(field('firstTime').type).toBe(FieldType.time);
    expect(field('count').type).toBe(FieldType.number);
  });

  it('notes events whose messages Kubernetes combined', () => {
    const event = argoEvent(
      'Rollout',
      'a',
      'ScalingReplicaSet',
      '(combined from similar events): Scaled down ReplicaSet a-1 (revision 1) from 3 to 0',
      '2024-01-01T00:00:00Z'
    );
    const frame = eventsTable([event], options);
    expect(row(frame).revision).toBe(1);
    expect(frame.meta?.notices?.map((n) => n.text)).toEqual([expect.stringContaining('combined from similar events')]);
  });

  it('explains an empty result by the event time to live', () => {
    const frame = eventsTable([], options);
    expect(frame.length).toBe(0);
    expect(frame.meta?.notices?.[0].text).toContain('one hour');
  });

  it('does not throw on an event with no fields', () => {
    const frame = eventsTable([{} as Event], options);
    expect(row(frame)).toMatchObject({ count: 1, reason: '', lastTime: null, rollout: null, revision: null });
  });

  it('gives the step Events of the recorded step plugin scenario their step and the plugin transitions their outcome', () => {
    const recorded = recordedScenarios().find((scenario) => scenario.name === 'step-plugin')!;
    const frame = eventsTable(recorded.items<Event>('events'), {
      ...options,
      rollouts: recorded.items<Rollout>('rollouts'),
    });
    const rows = Array.from({ length: frame.length }, (_, i) => row(frame, i));
    const stepRows = rows
      .filter((r) => r.reason === 'RolloutStepCompleted' || r.reason === 'StepPluginTransition')
      .map((r) => [
        r.rollout,
        r.step,
        r.message,
        String(r.tags)
          .split(',')
          .filter((tag) => tag.startsWith('outcome:'))
          .join(),
      ])
      .sort((a, b) => `${a[0]} ${a[1]} ${a[2]}`.localeCompare(`${b[0]} ${b[1]} ${b[2]}`));
    expect(stepRows).toEqual([
      ['step-plugin', 1, 'Rollout step 1/3 completed (setWeight: 50)', ''],
      ['step-plugin', 2, 'Rollout step 2/3 completed (plugin: step/e2e-test)', ''],
      ['step-plugin', 3, 'Step plugin step/e2e-test (step 3) terminated (Successful)', 'outcome:superseded'],
      ['step-plugin', 3, 'Step plugin step/e2e-test (step 3) transitioned to Running', 'outcome:inProgress'],
      ['step-plugin-failure', 1, 'Rollout step 1/3 completed (setWeight: 50)', ''],
      ['step-plugin-failure', 2, 'Rollout step 2/3 completed (plugin: step/e2e-test)', ''],
      ['step-plugin-failure', 2, 'Step plugin step/e2e-test (step 2) aborted (Successful)', 'outcome:aborted'],
      ['step-plugin-failure', 3, 'Step plugin step/e2e-test (step 3) transitioned to Failed', 'outcome:failed'],
    ]);
    expect(frame.fields.find((f) => f.name === 'step')).toMatchObject({
      type: FieldType.number,
      config: { displayName: 'Step' },
    });
  });

  it('shows events whose fields break the schema with those cells empty, and skips what is no event', () => {
    const malformed = [
      null,
      {
        involvedObject: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 5, namespace: 'shop' },
        reason: 'RolloutAborted',
        message: { text: 'aborted' },
        count: 'twice',
        type: 'Warning',
        lastTimestamp: 'yesterday',
      },
    ] as unknown as Event[];
    const frame = eventsTable(malformed, options);

    expect(frame.length).toBe(1);
    expect(row(frame)).toMatchObject({
      reason: 'RolloutAborted',
      message: '',
      count: null,
      objectName: null,
      namespace: 'shop',
      lastTime: null,
    });
    expect(frame.meta?.notices?.map((notice) => notice.text)).toEqual([
      'Skipped 1 event that is no object.',
      '1 value of an unexpected type shown empty (Count): some objects do not follow the schema of their kind.',
    ]);
  });
});
