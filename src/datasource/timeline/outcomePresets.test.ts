/**
 * @jest-environment node
 */
import path from 'path';

import { buildTimeline } from './buildTimeline';
import { DEFAULT_TIMELINE_FILTER, OUTCOME_PRESETS } from './defaults';
import { filterEntries } from './filter';
import { loadFolder, recordedScenario, recordedScenarios } from './testing/sharedFixtures';
import type { TimelineInput } from './types';

const WHOLE_TIME = { from: Date.parse('2019-01-01T00:00:00Z'), to: Date.parse('2027-01-01T00:00:00Z') };
const NOW = Date.parse('2026-11-26T12:00:00Z');
const ABORT_RETRY_PROMOTE = path.resolve(__dirname, '../../../tests/fixtures/timeline/abort-retry-promote');

type Lists = Omit<TimelineInput, 'range' | 'now' | 'cluster'>;

const timelines: Array<[string, Lists]> = [
  ...recordedScenarios().map((name): [string, Lists] => [name, recordedScenario(name)]),
  ['abort-retry-promote', loadFolder(ABORT_RETRY_PROMOTE)],
];

describe('outcome presets, the annotation layers of the bundled dashboards', () => {
  it('are read from recorded scenarios', () => {
    expect(timelines.map(([name]) => name)).toEqual(
      expect.arrayContaining(['canary-promote', 'canary-abort', 'rollback', 'analysis-failure', 'abort-retry-promote'])
    );
  });

  it.each(timelines)('draw every entry of the %s timeline once, in one colour', (_, lists) => {
    const timeline = buildTimeline({ ...lists, range: WHOLE_TIME, now: NOW, cluster: 'test' });
    // The layers share every filter but the outcomes: the default one of a new annotation query.
    const shared = { ...DEFAULT_TIMELINE_FILTER, outcomes: [] };
    const shown = filterEntries(timeline.entries, shared, timeline.tagsOf).entries;
    expect(shown.length).toBeGreaterThan(0);
    const colours = new Map(shown.map((entry) => [entry.id, [] as string[]]));
    for (const preset of OUTCOME_PRESETS) {
      const layer = filterEntries(timeline.entries, { ...shared, ...preset.filter }, timeline.tagsOf);
      layer.entries.forEach((entry) => colours.get(entry.id)?.push(preset.iconColor));
    }
    const notOnce = [...colours].filter(([, drawnIn]) => drawnIn.length !== 1);
    expect(notOnce).toEqual([]);
  });

  it('draw rollbacks, superseded revisions and steps, which three layers by outcome used to leave out', () => {
    const drawnBy = (scenario: string, colour: string) => {
      const lists = timelines.find(([name]) => name === scenario)![1];
      const timeline = buildTimeline({ ...lists, range: WHOLE_TIME, now: NOW, cluster: 'test' });
      const preset = OUTCOME_PRESETS.find((p) => p.iconColor === colour)!;
      return filterEntries(timeline.entries, { ...DEFAULT_TIMELINE_FILTER, ...preset.filter }, timeline.tagsOf).entries;
    };
    expect(drawnBy('rollback', 'orange').some((e) => e.kind === 'region' && e.outcome === 'rolledBack')).toBe(true);
    expect(drawnBy('canary-promote', 'gray').some((e) => e.reason === 'RolloutStepCompleted')).toBe(true);
  });
});
