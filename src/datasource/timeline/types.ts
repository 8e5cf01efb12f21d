import type { Event } from 'kubernetes-types/core/v1';
import type { ReplicaSet } from 'kubernetes-types/apps/v1';
import type { AnalysisRun, Experiment, Rollout } from '../model/argo';
import type { TagMapping } from '../tags/tagMapping';
import type { TimelineProblems } from './problems';

export const CATEGORIES = ['lifecycle', 'steps', 'analysis', 'traffic', 'errors'] as const;
export type Category = (typeof CATEGORIES)[number];

export const OUTCOMES = [
  'succeeded',
  'aborted',
  'failed',
  'superseded',
  'rolledBack',
  'inProgress',
  'degraded',
  'unknown',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Outcome filter values: every outcome, plus `none` for entries to which no outcome applies (steps, traffic). */
export const OUTCOME_FILTER_VALUES = [...OUTCOMES, 'none'] as const;
export type OutcomeFilterValue = (typeof OUTCOME_FILTER_VALUES)[number];

export const ENTRY_KINDS = ['point', 'region'] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

export type Precision = 'exact' | 'reconstructed';

/**
 * How much an annotation query shows: `significant` leaves out the controller's chatter (see `reasons.ts`), `all`
 * shows every entry.
 */
export const DETAIL_LEVELS = ['significant', 'all'] as const;
export type DetailLevel = (typeof DETAIL_LEVELS)[number];

export type Strategy = 'canary' | 'blueGreen';

/**
 * What an entry that spans time is about: the rollout of a revision, an AnalysisRun, an Experiment, a pause or the
 * run of a plugin step.
 */
export type SpanKind = 'revision' | 'analysisRun' | 'experiment' | 'pause' | 'stepPlugin';

export interface SourceRef {
  kind: string;
  namespace: string;
  name: string;
  uid?: string;
}

export interface StepInfo {
  /** 1-based number of the step. */
  index: number;
  total: number;
  weight?: number;
  /** The step as the controller prints it, e.g. `setWeight: 50` or `pause: 3s`. */
  description?: string;
}

export interface AnalysisInfo {
  name: string;
  phase: string;
  /** `Step`, `Background`, `PrePromotion`, `PostPromotion` or `Experiment`. */
  type?: string;
  failingMetric?: string;
  message?: string;
}

/**
 * One point or region of the timeline. Spans are: the rollout of a revision (category `lifecycle`), an AnalysisRun
 * (`analysis`), an Experiment (`steps`), a pause (`steps`, reason `RolloutPaused`) and the run of a plugin step
 * (`steps`, reason `StepPluginTransition`). A span is a region, or a
 * point when it started and ended within the same second (Kubernetes timestamps have one-second precision) or its
 * end is not recorded.
 */
export interface TimelineEntry {
  /** Stable: a hash of what the entry is about, never of its position in the input. */
  id: string;
  /** How it is drawn: a region when it ends after it starts, else a point. */
  kind: EntryKind;
  /** Set on spans only, whether they are drawn as regions or as points. */
  span?: SpanKind;
  /** A span whose end is not recorded: drawn at its start, its end is unknown (not its start). */
  endUnknown?: boolean;
  /** Epoch milliseconds. */
  time: number;
  /** Epoch milliseconds; equal to `time` for points. */
  timeEnd: number;
  namespace: string;
  rollout: string;
  revision?: number;
  images?: string[];
  strategy?: Strategy;
  category: Category;
  reason?: string;
  outcome?: Outcome;
  precision: Precision;
  /** How the time (and end) were known, in words. */
  derivation: string;
  /** What happened, in one line (the controller's message for events). */
  message: string;
  /** For Events: how many times the recorder counted it, and its first/last time. */
  count?: number;
  firstTime?: number;
  lastTime?: number;
  /** The message was merged by the event recorder ("combined from similar events"). */
  aggregated?: boolean;
  warning?: boolean;
  /** Controller chatter, left out at the significant detail level (see `isSignificantReason`). */
  chatter?: boolean;
  /** Messages of other records merged into this entry (the same fact seen in several objects or Events). */
  relatedMessages?: string[];
  step?: StepInfo;
  analysis?: AnalysisInfo;
  /** Every object and Event that reports it. */
  sources: SourceRef[];
}

export interface TimeRange {
  from: number;
  to: number;
}

export interface TimelineInput {
  events: readonly Event[];
  rollouts: readonly Rollout[];
  replicaSets: readonly ReplicaSet[];
  analysisRuns: readonly AnalysisRun[];
  experiments: readonly Experiment[];
  range: TimeRange;
  /** Epoch milliseconds: the end of regions still in progress. */
  now: number;
  /** Display name of the cluster, used in ids and the `cluster:` tag. */
  cluster: string;
  tagMapping?: TagMapping;
}

/** The tags of an entry: built-in tags, then the tag mapping's (see `tagsFor`). */
export type EntryTags = (entry: TimelineEntry) => string[];

export interface TimelineResult {
  entries: TimelineEntry[];
  /** `timelineNotices(problems)`. */
  notices: string[];
  problems: TimelineProblems;
  /**
   * The tags of an entry of this timeline, made when asked for: most entries never reach a frame or a tag filter.
   * Each call makes a new list.
   */
  tagsOf: EntryTags;
  /** `tagsOf(entry)` joined by `separator`: the text a table's tags column shows. */
  tagTextOf: (entry: TimelineEntry, separator: string) => string;
}
