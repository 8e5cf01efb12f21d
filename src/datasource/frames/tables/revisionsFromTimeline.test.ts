/**
 * @jest-environment-options {"customExportConditions": ["node", "node-addons"]}
 */
import type { DataFrame } from '@grafana/data';

import { buildTimeline } from '../../timeline/buildTimeline';
import { recordedScenario, sharedScenario } from '../../timeline/testing/sharedFixtures';
import { revisionRowsFromTimeline } from './revisionRowsFromTimeline';
import { revisionsTable } from './revisions';

const now = Date.parse('2021-01-01T00:00:00Z');

/** The revisions table of one info testdata scenario (or one recorded from the test bed), through the real timeline. */
function revisionsOf(scenario: string, recorded = false): DataFrame {
  const { entries, tagTextOf } = buildTimeline({
    ...(recorded ? recordedScenario(scenario) : sharedScenario(scenario)),
    range: { from: 0, to: recorded ? Date.parse('2030-01-01T00:00:00Z') : now },
    now,
    cluster: 'prod',
  });
  return revisionsTable(
    revisionRowsFromTimeline(entries, (entry) => tagTextOf(entry, ',')),
    { cluster: 'prod', now }
  );
}

function rows(frame: DataFrame): Array<Record<string, unknown>> {
  return Array.from({ length: frame.length }, (_, i) =>
    Object.fromEntries(frame.fields.map((field) => [field.name, field.values[i]]))
  );
}

describe('revisions table from the timeline', () => {
  it('shows the aborted revision of the rollout-aborted fixture first, with its failed analysis', () => {
    const [latest, previous] = rows(revisionsOf('rollout-aborted'));
    expect(latest).toMatchObject({
      rollout: 'rollout-background-analysis',
      revision: 2,
      outcome: 'aborted',
      started: Date.parse('2020-09-22T09:10:04Z'),
      images: 'argoproj/rollouts-demo:yellow',
      analyses: 1,
      worstAnalysis: 'Failed',
    });
    expect(previous).toMatchObject({ revision: 1, images: 'argoproj/rollouts-demo:blue', analyses: 0 });
  });

  it('counts the paused blue-green revision in progress up to now', () => {
    const [latest] = rows(revisionsOf('blue-green'));
    expect(latest).toMatchObject({
      revision: 11,
      outcome: 'inProgress',
      ended: null,
      duration: (now - Date.parse('2019-10-28T04:50:18Z')) / 1000,
      pausedTime: (now - Date.parse('2019-10-28T04:50:20Z')) / 1000,
      images: 'argoproj/rollouts-demo:green',
    });
    expect(String(latest.tags).split(',')).toEqual(expect.arrayContaining(['rollout:bluegreen-demo', 'revision:11']));
  });

  it('shows how far each update of the recorded step plugin scenario got: its plugin steps count', () => {
    const shown = rows(revisionsOf('step-plugin', true)).map((r) => [r.rollout, r.revision, r.outcome, r.stepsReached]);
    expect(shown).toEqual(
      expect.arrayContaining([
        // Fully promoted while its third step, a plugin step, ran.
        ['step-plugin', 2, 'succeeded', '3/3'],
        // Aborted when its third step, a plugin step, failed.
        ['step-plugin-failure', 2, 'aborted', '3/3'],
      ])
    );
    expect(shown).toHaveLength(4);
  });

  it('shows the Experiment of the recorded experiment step scenario in its revision: its step and its analysis', () => {
    const shown = rows(revisionsOf('experiment-step', true))
      .filter((r) => r.revision === 2)
      .map((r) => [r.rollout, r.outcome, r.stepsReached, r.analyses, r.worstAnalysis]);
    expect(shown.sort()).toEqual([
      ['experiment-step', 'succeeded', '2/2', 1, 'Successful'],
      // Its analysis run was created twice by the experiment controller: two runs, both failed.
      ['experiment-step-failure', 'aborted', '2/2', 2, 'Failed'],
    ]);
  });
});
