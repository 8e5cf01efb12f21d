/**
 * @jest-environment-options {"customExportConditions": ["node", "node-addons"]}
 */
import { FieldType, type DataFrame } from '@grafana/data';

import type { AnalysisRun, Experiment, Rollout } from '../../model/argo';
import { analysisRunsTable } from './analysisRuns';
import { loadInfoObject } from './testdata';

const now = Date.parse('2020-01-01T00:00:00Z');
const options = { cluster: 'prod', now };

const abortedRun = loadInfoObject<AnalysisRun>('rollout-aborted/analysisrun.yaml');
const abortedRollout = loadInfoObject<Rollout>('rollout-aborted/rollout.yaml');
const inconclusiveRun = loadInfoObject<AnalysisRun>('experiment-analysis/canary-analysis.yaml');
const experimentRun = loadInfoObject<AnalysisRun>('experiment-step/canary-exp-analysis.yaml');
const stepExperiment = loadInfoObject<Experiment>('experiment-step/canary-exp.yaml');

function row(frame: DataFrame, index = 0): Record<string, unknown> {
  return Object.fromEntries(frame.fields.map((field) => [field.name, field.values[index]]));
}

function column(frame: DataFrame, name: string): unknown[] {
  return frame.fields.find((f) => f.name === name)!.values;
}

describe('analysisRunsTable', () => {
  it('returns the failed background run of the aborted rollout fixture', () => {
    const frame = analysisRunsTable([abortedRun], { ...options, rollouts: [abortedRollout] });
    expect(row(frame)).toEqual({
      cluster: 'prod',
      namespace: 'default',
      name: 'rollout-background-analysis-db976bc44-2',
      rollout: 'rollout-background-analysis',
      revision: 2,
      kind: 'background',
      stepIndex: null,
      phase: 'Failed',
      started: Date.parse('2020-09-22T09:10:04Z'),
      // No status.completedAt before v1.7: the end of the last measurement.
      completed: Date.parse('2020-09-22T09:10:04Z'),
      duration: 0,
      failingMetric: 'web',
      message: 'metric "web" assessed Failed due to failed (1) > failureLimit (0)',
      tags: 'cluster:prod,namespace:default,rollout:rollout-background-analysis,revision:2,category:analysis,outcome:failed,strategy:canary',
    });
  });

  it('starts a run without startedAt at its creation and names the inconclusive metric', () => {
    const frame = analysisRunsTable([inconclusiveRun], options);
    expect(row(frame)).toMatchObject({
      rollout: 'rollout-experiment-analysis',
      revision: 2,
      kind: 'background',
      phase: 'Inconclusive',
      started: Date.parse('2019-10-30T07:28:40Z'),
      completed: Date.parse('2019-10-30T16:13:40Z'),
      duration: 8 * 3600 + 45 * 60,
      failingMetric: 'random-fail',
      message: null,
    });
  });

  it('links an experiment analysis to its Rollout and revision through the Experiment and counts a running run up to now', () => {
    const frame = analysisRunsTable([experimentRun], { ...options, experiments: [stepExperiment] });
    expect(row(frame)).toMatchObject({
      name: 'canary-demo-645d5dbc4c-2-0-stress-test',
      rollout: 'canary-demo',
      revision: 2,
      kind: 'experiment',
      phase: 'Running',
      completed: null,
      duration: (now - Date.parse('2019-11-07T22:38:23Z')) / 1000,
      failingMetric: null,
    });
  });

  it('reads the step kind and index from the labels the controller sets', () => {
    const stepRun: AnalysisRun = {
      metadata: {
        name: 'web-6f646bf7b7-3-2',
        namespace: 'default',
        labels: { 'rollout-type': 'Step', 'step-index': '2', 'rollouts-pod-template-hash': '6f646bf7b7' },
        annotations: { 'rollout.argoproj.io/revision': '3' },
        ownerReferences: [
          { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'web', uid: 'u1', controller: true },
        ],
      },
      status: {
        phase: 'Successful',
        startedAt: '2024-05-01T10:00:00Z',
        completedAt: '2024-05-01T10:01:30Z',
        metricResults: [{ name: 'success-rate', phase: 'Successful' }],
      },
    };
    expect(row(analysisRunsTable([stepRun], options))).toMatchObject({
      kind: 'step',
      stepIndex: 2,
      revision: 3,
      rollout: 'web',
      duration: 90,
      failingMetric: null,
    });
  });

  it.each([
    { label: 'PrePromotion', kind: 'pre-promotion' },
    { label: 'PostPromotion', kind: 'post-promotion' },
  ])('maps rollout-type $label to kind $kind', ({ label, kind }) => {
    const run: AnalysisRun = { metadata: { name: 'bg', labels: { 'rollout-type': label } } };
    expect(row(analysisRunsTable([run], options)).kind).toBe(kind);
  });

  it('leaves the kind empty for a rollout-type it does not know, even one named like an object property', () => {
    const run: AnalysisRun = { metadata: { name: 'odd', labels: { 'rollout-type': 'constructor' } } };
    expect(row(analysisRunsTable([run], options)).kind).toBeNull();
  });

  it('names the failed metrics before the inconclusive ones', () => {
    const run: AnalysisRun = {
      metadata: { name: 'r' },
      status: {
        phase: 'Failed',
        metricResults: [
          { name: 'latency', phase: 'Inconclusive' },
          { name: 'errors', phase: 'Failed', message: 'too many errors' },
          { name: 'saturation', phase: 'Failed' },
          { name: 'ok', phase: 'Successful' },
        ],
      },
    };
    expect(row(analysisRunsTable([run], options))).toMatchObject({
      failingMetric: 'errors, saturation',
      message: 'too many errors',
    });
  });

  it('sorts the most recently started run first', () => {
    const frame = analysisRunsTable([inconclusiveRun, abortedRun, experimentRun], options);
    expect(column(frame, 'name')).toEqual([
      'rollout-background-analysis-db976bc44-2',
      'canary-demo-645d5dbc4c-2-0-stress-test',
      'rollout-experiment-analysis-random-fail-6f646bf7b7-skqcr',
    ]);
  });

  it('types started and completed as times and the duration in seconds', () => {
    const frame = analysisRunsTable([abortedRun], options);
    const field = (name: string) => frame.fields.find((f) => f.name === name)!;
    expect(field('started').type).toBe(FieldType.time);
    expect(field('completed').type).toBe(FieldType.time);
    expect(field('duration')).toMatchObject({
      type: FieldType.number,
      config: { unit: 'dtdurations', displayName: 'Duration' },
    });
  });

  it('does not throw on a run with no status', () => {
    const frame = analysisRunsTable([{ metadata: { name: 'new', namespace: 'default' } }, {}], options);
    expect(frame.length).toBe(2);
    expect(row(frame, 1)).toMatchObject({ name: 'new', phase: null, started: null, duration: null, kind: null });
  });

  it('reads what it can of a run whose status breaks the schema, and says what was skipped', () => {
    const malformed = {
      metadata: { name: 'web-1', namespace: 'shop', ownerReferences: { kind: 'Rollout' } },
      status: {
        phase: 'Failed',
        message: { text: 'no' },
        metricResults: [null, { name: 'error-rate', phase: 'Failed', measurements: 'many' }],
      },
    } as unknown as AnalysisRun;
    const frame = analysisRunsTable([malformed, 7 as unknown as AnalysisRun], options);

    expect(frame.length).toBe(1);
    expect(row(frame)).toMatchObject({
      name: 'web-1',
      phase: 'Failed',
      failingMetric: 'error-rate',
      message: null,
      rollout: null,
    });
    expect(frame.meta?.notices?.map((notice) => notice.text)).toEqual([
      'Skipped 1 analysis run that could not be read: an item that is no object.',
    ]);
  });
});
