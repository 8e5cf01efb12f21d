import { buildTimeline } from '../timeline/buildTimeline';
import { recordedScenario } from '../timeline/testing/sharedFixtures';
import { entriesInRange } from './timelineRange';

describe('entries of a timeline in a range', () => {
  it('are the entries the timeline keeps when it is built for that range', () => {
    const lists = recordedScenario('rollback');
    const now = Date.parse('2026-11-26T04:10:00Z');
    const build = (from: number, to: number) =>
      buildTimeline({ ...lists, range: { from, to }, now, cluster: 'c' }).entries.map((e) => e.id);
    const history = buildTimeline({ ...lists, range: { from: -Infinity, to: now }, now, cluster: 'c' }).entries;
    const times = [...new Set(history.flatMap((e) => [e.time, e.timeEnd]))].sort((a, b) => a - b);
    expect(times.length).toBeGreaterThan(4);
    // Ranges that start and end before, at, between and after the entries' times.
    for (const from of [times[0] - 1, times[1], times[2] + 1]) {
      for (const to of [times[times.length - 3], times[times.length - 1], now]) {
        expect(entriesInRange(history, { from, to }).map((e) => e.id)).toEqual(build(from, to));
      }
    }
  });
});
