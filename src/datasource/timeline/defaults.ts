import { DEFAULT_ANNOTATION_LIMIT, type TimelineFilter } from './filter';
import type { Category, DetailLevel, EntryKind, OutcomeFilterValue } from './types';

export interface Option<T extends string> {
  value: T;
  label: string;
  description: string;
}

export const DETAIL_OPTIONS: Array<Option<DetailLevel>> = [
  {
    value: 'significant',
    label: 'Significant',
    description:
      'Revisions, completions, aborts, rollbacks, steps, analysis and experiment results, errors; no informer, scaling or traffic chatter',
  },
  { value: 'all', label: 'All entries', description: 'Every entry, every Event the controller recorded included' },
];

export const CATEGORY_OPTIONS: Array<Option<Category>> = [
  {
    value: 'lifecycle',
    label: 'Lifecycle',
    description: 'Revisions, updates, scaling, completion, abort, rollback, restart',
  },
  { value: 'steps', label: 'Steps', description: 'Canary steps, pauses, resumes, experiments' },
  { value: 'analysis', label: 'Analysis', description: 'AnalysisRuns and their metrics' },
  { value: 'traffic', label: 'Traffic', description: 'Traffic weights, service switches, router updates' },
  { value: 'errors', label: 'Errors', description: 'Warnings from the controller and exceeded deadlines' },
];

export const OUTCOME_OPTIONS: Array<Option<OutcomeFilterValue>> = [
  { value: 'succeeded', label: 'Succeeded', description: 'Completed rollouts and successful analysis' },
  { value: 'aborted', label: 'Aborted', description: 'Updates aborted by a user or by failed analysis' },
  { value: 'failed', label: 'Failed', description: 'Failed analysis, errors' },
  { value: 'superseded', label: 'Superseded', description: 'Revisions replaced by a newer one' },
  { value: 'rolledBack', label: 'Rolled back', description: 'Revisions undone by a rollback' },
  { value: 'inProgress', label: 'In progress', description: 'Updates, pauses and analysis still running' },
  { value: 'degraded', label: 'Degraded', description: 'Progress deadline exceeded or invalid spec' },
  { value: 'unknown', label: 'Unknown', description: 'Outcome not recorded, or inconclusive analysis' },
  { value: 'none', label: 'No outcome', description: 'Entries to which no outcome applies (steps, scaling, traffic)' },
];

export const KIND_OPTIONS: Array<Option<EntryKind>> = [
  { value: 'point', label: 'Points', description: 'Single moments: events, steps, abort, rollback' },
  { value: 'region', label: 'Regions', description: 'Spans: each revision, AnalysisRun, pause' },
];

/**
 * First result of a new annotation query: every revision and the moments that matter, without the controller's
 * chatter that can add a marker every few seconds (informer, scaling, traffic router). Every category, so that
 * the full set is one click away: the detail level `all`.
 */
export const DEFAULT_TIMELINE_FILTER: Required<Omit<TimelineFilter, 'rollouts'>> = {
  detail: 'significant',
  categories: [],
  outcomes: [],
  kinds: ['point', 'region'],
  includeReconstructed: true,
  tags: [],
  tagMatch: 'any',
};

export { DEFAULT_ANNOTATION_LIMIT };

/** A ready annotation query per colour: Grafana colours all annotations of one query alike. */
export interface OutcomePreset {
  name: string;
  /** A Grafana colour name for the annotation's `iconColor`. */
  iconColor: string;
  filter: TimelineFilter;
}

/**
 * One annotation query per colour, splitting the outcomes between them: every entry has exactly one outcome value
 * (`none` when no outcome applies), so queries that share every other filter draw each entry once, in one colour.
 * The bundled dashboards use these as their annotation layers.
 */
export const OUTCOME_PRESETS: OutcomePreset[] = [
  { name: 'Rollouts in progress', iconColor: 'blue', filter: { outcomes: ['inProgress'] } },
  { name: 'Rollouts succeeded', iconColor: 'green', filter: { outcomes: ['succeeded'] } },
  { name: 'Rollouts failed or aborted', iconColor: 'red', filter: { outcomes: ['aborted', 'failed', 'degraded'] } },
  { name: 'Rollouts rolled back', iconColor: 'orange', filter: { outcomes: ['rolledBack'] } },
  {
    name: 'Other rollout activity',
    iconColor: 'gray',
    filter: { outcomes: ['superseded', 'unknown', 'none'] },
  },
];

/** The filter with every missing field set to its default; an empty category list means all categories. */
export function withFilterDefaults(filter: TimelineFilter | undefined): TimelineFilter {
  return {
    ...DEFAULT_TIMELINE_FILTER,
    ...Object.fromEntries(Object.entries(filter ?? {}).filter(([, v]) => v !== undefined)),
  };
}
