export { buildTimeline } from './buildTimeline';
export { filterEntries, limitEntries, DEFAULT_ANNOTATION_LIMIT } from './filter';
export type { FilterResult, TagMatch, TimelineFilter } from './filter';
export {
  CATEGORY_OPTIONS,
  DEFAULT_TIMELINE_FILTER,
  DETAIL_OPTIONS,
  KIND_OPTIONS,
  OUTCOME_OPTIONS,
  OUTCOME_PRESETS,
  withFilterDefaults,
} from './defaults';
export type { Option, OutcomePreset } from './defaults';
export { CATEGORIES, DETAIL_LEVELS, ENTRY_KINDS, OUTCOMES, OUTCOME_FILTER_VALUES } from './types';
export type {
  AnalysisInfo,
  Category,
  DetailLevel,
  EntryKind,
  EntryTags,
  Outcome,
  OutcomeFilterValue,
  Precision,
  SourceRef,
  SpanKind,
  StepInfo,
  Strategy,
  TimelineEntry,
  TimelineInput,
  TimelineResult,
  TimeRange,
} from './types';
