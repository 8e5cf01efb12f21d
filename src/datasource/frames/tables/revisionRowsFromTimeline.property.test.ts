import type { DataFrame } from '@grafana/data';
import fc from 'fast-check';

import { DAY_END, timelineInput } from '../../testing/arbitraryTimelineInput';
import { buildOpenTimeline, buildTimeline } from '../../timeline/buildTimeline';
import type { TimelineInput, TimelineResult } from '../../timeline/types';
import { TAGS_SEPARATOR } from './fields';
import { revisionRowsFromTimeline } from './revisionRowsFromTimeline';
import { revisionsTable } from './revisions';

const rowsOf = (timeline: TimelineResult) =>
  revisionRowsFromTimeline(timeline.entries, (entry) => timeline.tagTextOf(entry, TAGS_SEPARATOR));

const cells = (frame: DataFrame) => frame.fields.map((field) => [field.name, [...field.values]]);

describe('revision rows of an open timeline', () => {
  it('give the revisions table at any later now that the timeline built for that now gives', () => {
    let running = 0;
    let pausing = 0;
    fc.assert(
      fc.property(timelineInput, fc.boolean(), (generated, late) => {
        const input: TimelineInput = {
          ...generated,
          range: { from: -Infinity, to: Infinity },
          // After every generated timestamp: the case of a cache whose timelines were built before now.
          now: late ? DAY_END + 2 * 3_600_000 : generated.now,
        };
        const open = buildOpenTimeline(input);
        // A Rollout with records at or after now is built for now (see RolloutCache.openTimeline).
        fc.pre(open.latest < input.now);
        const options = { cluster: 'prod', now: input.now };
        const fromOpen = rowsOf(open.result);
        expect(cells(revisionsTable(fromOpen, options))).toEqual(
          cells(revisionsTable(rowsOf(buildTimeline(input)), options))
        );
        running += fromOpen.filter((row) => row.inProgress).length;
        pausing += fromOpen.filter((row) => row.pausesSince !== undefined).length;
      }),
      { numRuns: 800 }
    );
    // Revisions and pauses in progress were among the generated ones, not only finished ones.
    expect(running).toBeGreaterThan(20);
    expect(pausing).toBeGreaterThan(5);
  });
});
