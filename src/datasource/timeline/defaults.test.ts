import {
  CATEGORY_OPTIONS,
  DEFAULT_TIMELINE_FILTER,
  DETAIL_OPTIONS,
  OUTCOME_OPTIONS,
  OUTCOME_PRESETS,
  withFilterDefaults,
} from './defaults';
import { filterEntries } from './filter';
import { CATEGORIES, DETAIL_LEVELS, OUTCOME_FILTER_VALUES, type TimelineEntry } from './types';

function entry(
  category: TimelineEntry['category'],
  outcome?: TimelineEntry['outcome'],
  chatter?: boolean
): TimelineEntry {
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
    chatter,
    sources: [],
  };
}

describe('annotation query defaults', () => {
  it('offers an option for every detail level, every category and every outcome filter value', () => {
    expect(DETAIL_OPTIONS.map((o) => o.value)).toEqual([...DETAIL_LEVELS]);
    expect(CATEGORY_OPTIONS.map((o) => o.value)).toEqual([...CATEGORIES]);
    expect(OUTCOME_OPTIONS.map((o) => o.value)).toEqual([...OUTCOME_FILTER_VALUES]);
  });

  it('shows the significant entries of every category by default, and the chatter at the detail level all', () => {
    const all = CATEGORIES.flatMap((c) => [entry(c), entry(c, undefined, true)]);
    const shown = filterEntries(all, DEFAULT_TIMELINE_FILTER, () => []).entries;
    expect(shown.map((e) => [e.category, e.chatter ?? false])).toEqual(CATEGORIES.map((c) => [c, false]));
    expect(filterEntries(all, { ...DEFAULT_TIMELINE_FILTER, detail: 'all' }, () => []).entries).toEqual(all);
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
