import {
  CATEGORY_OPTIONS,
  DEFAULT_TIMELINE_FILTER,
  OUTCOME_OPTIONS,
  OUTCOME_PRESETS,
  withFilterDefaults,
} from './defaults';
import { filterEntries } from './filter';
import { CATEGORIES, OUTCOME_FILTER_VALUES, type TimelineEntry } from './types';

function entry(category: TimelineEntry['category'], outcome?: TimelineEntry['outcome']): TimelineEntry {
  return {
    id: `${category}-${outcome}`,
    kind: 'point',
    time: 1,
    timeEnd: 1,
    namespace: 'ns',
    rollout: 'web',
    category,
    outcome,
    precision: 'exact',
    derivation: '',
    message: '',
    sources: [],
  };
}

describe('annotation query defaults', () => {
  it('offers an option for every category and every outcome filter value', () => {
    expect(CATEGORY_OPTIONS.map((o) => o.value)).toEqual([...CATEGORIES]);
    expect(OUTCOME_OPTIONS.map((o) => o.value)).toEqual([...OUTCOME_FILTER_VALUES]);
  });

  it('shows lifecycle, steps, analysis and errors by default, leaving out the traffic chatter', () => {
    const all = CATEGORIES.map((c) => entry(c));
    const shown = filterEntries(all, DEFAULT_TIMELINE_FILTER, () => []).entries.map((e) => e.category);
    expect(shown).toEqual(['lifecycle', 'steps', 'analysis', 'errors']);
  });

  it('fills missing filter fields with the defaults and keeps the ones that are set', () => {
    expect(withFilterDefaults({ outcomes: ['aborted'], categories: undefined })).toEqual({
      ...DEFAULT_TIMELINE_FILTER,
      outcomes: ['aborted'],
    });
    expect(withFilterDefaults(undefined)).toEqual(DEFAULT_TIMELINE_FILTER);
  });

  it('splits every outcome value between the presets, once each, with no other filter', () => {
    const outcomes = OUTCOME_PRESETS.flatMap((preset) => preset.filter.outcomes ?? []);
    expect([...outcomes].sort()).toEqual([...OUTCOME_FILTER_VALUES].sort());
    OUTCOME_PRESETS.forEach((preset) => expect(Object.keys(preset.filter)).toEqual(['outcomes']));
    const failed = OUTCOME_PRESETS.find((p) => p.iconColor === 'red')!;
    expect(
      filterEntries([entry('lifecycle', 'aborted'), entry('lifecycle', 'succeeded')], failed.filter, () => []).entries
    ).toHaveLength(1);
  });
});
