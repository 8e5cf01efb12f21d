/**
 * @jest-environment-options {"customExportConditions": ["node", "node-addons"]}
 */
import type { DataFrame } from '@grafana/data';

import { buildTimeline } from '../../timeline/buildTimeline';
import { sharedScenario } from '../../timeline/testing/sharedFixtures';
import { revisionRowsFromTimeline } from './revisionRowsFromTimeline';
import { revisionsTable } from './revisions';

const now = Date.parse('2021-01-01T00:00:00Z');

/** The revisions table of one info testdata scenario, through the real timeline. */
function revisionsOf(scenario: string): DataFrame {
  const { entries, tagTextOf } = buildTimeline({
    ...sharedScenario(scenario),
    range: { from: 0, to: now },
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
});
