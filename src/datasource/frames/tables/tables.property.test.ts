/**
 * @jest-environment-options {"customExportConditions": ["node", "node-addons"]}
 */
import { type DataFrame, FieldType } from '@grafana/data';
import fc from 'fast-check';
import type { ReplicaSet } from 'kubernetes-types/apps/v1';
import type { Event } from 'kubernetes-types/core/v1';

import type { AnalysisRun, Experiment, Rollout } from '../../model/argo';
import { buildTimeline } from '../../timeline/buildTimeline';
import { analysisRunsTable } from './analysisRuns';
import { eventsTable } from './events';
import { revisionRowsFromTimeline } from './revisionRowsFromTimeline';
import { revisionsTable } from './revisions';
import { rolloutsTable } from './rollouts';
import { clusterLists } from './testing/arbitraryObjects';

const NOW = Date.UTC(2026, 6, 1);
const RANGE = { from: Date.UTC(2026, 0, 1), to: Date.UTC(2026, 11, 31) };
const tagMapping = {
  metadataRules: [
    { source: 'label' as const, key: 'team' },
    { source: 'annotation' as const, key: 'app', tagName: 'application' },
  ],
};

/** A cell of the declared type, or empty (null). */
function conforms(type: FieldType, value: unknown): boolean {
  switch (type) {
    case FieldType.number:
    case FieldType.time:
      return value === null || (typeof value === 'number' && Number.isFinite(value));
    case FieldType.string:
      return value === null || typeof value === 'string';
    case FieldType.boolean:
      return value === null || typeof value === 'boolean';
    default:
      return false;
  }
}

function expectWellTyped(frame: DataFrame): void {
  for (const field of frame.fields) {
    expect(field.values).toHaveLength(frame.length);
    const wrong = field.values.find((value) => !conforms(field.type, value));
    if (wrong !== undefined) {
      throw new Error(`field ${field.name} (${field.type}) holds ${JSON.stringify(wrong)}`);
    }
  }
}

const noticeTexts = (frame: DataFrame) => (frame.meta?.notices ?? []).map((notice) => notice.text);
const isObject = (value: unknown) => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Every listed object is a row, unless a notice says how many were skipped. */
function expectNothingLostSilently(frame: DataFrame, items: unknown[], kind: RegExp): void {
  const objects = items.filter(isObject).length;
  if (frame.length < items.length) {
    expect(noticeTexts(frame).some((text) => kind.test(text) && /^Skipped \d+/.test(text))).toBe(true);
  }
  expect(frame.length).toBeLessThanOrEqual(objects);
}

const RUNS = { numRuns: 300 };

describe('table builders on arbitrary cluster objects', () => {
  it('rollouts: never throws, cells of the declared types, what is skipped is said', () => {
    fc.assert(
      fc.property(clusterLists, (lists) => {
        const frame = rolloutsTable(lists.rollouts as Rollout[], lists.replicaSets as ReplicaSet[], {
          cluster: 'prod',
          now: NOW,
          tagMapping,
        });
        expectWellTyped(frame);
        expectNothingLostSilently(frame, lists.rollouts, /rollout/i);
      }),
      RUNS
    );
  });

  it('events: never throws, cells of the declared types', () => {
    fc.assert(
      fc.property(clusterLists, (lists) => {
        const frame = eventsTable(lists.events as Event[], {
          cluster: 'prod',
          tagMapping,
          rollouts: lists.rollouts as Rollout[],
          analysisRuns: lists.analysisRuns as AnalysisRun[],
          experiments: lists.experiments as Experiment[],
        });
        expectWellTyped(frame);
        expect(frame.length).toBeLessThanOrEqual(lists.events.filter(isObject).length);
      }),
      RUNS
    );
  });

  it('analysis runs: never throws, cells of the declared types, what is skipped is said', () => {
    fc.assert(
      fc.property(clusterLists, (lists) => {
        const frame = analysisRunsTable(lists.analysisRuns as AnalysisRun[], {
          cluster: 'prod',
          now: NOW,
          tagMapping,
          rollouts: lists.rollouts as Rollout[],
          experiments: lists.experiments as Experiment[],
        });
        expectWellTyped(frame);
        expectNothingLostSilently(frame, lists.analysisRuns, /analysis run/i);
      }),
      RUNS
    );
  });

  it('revisions, through the timeline as the data source builds them: never throws, cells of the declared types', () => {
    fc.assert(
      fc.property(clusterLists, (lists) => {
        const timeline = buildTimeline({
          rollouts: lists.rollouts as Rollout[],
          replicaSets: lists.replicaSets as ReplicaSet[],
          analysisRuns: lists.analysisRuns as AnalysisRun[],
          experiments: lists.experiments as Experiment[],
          events: lists.events as Event[],
          range: RANGE,
          now: NOW,
          cluster: 'prod',
          tagMapping,
        });
        const rows = revisionRowsFromTimeline(timeline.entries, (entry) => timeline.tagTextOf(entry, ','));
        expectWellTyped(revisionsTable(rows, { cluster: 'prod', now: NOW }));
      }),
      RUNS
    );
  });
});
