import { byTime, rolloutWeights, type RolloutWeights, type Updates, updatesOf } from '../frames/series';
import { compareEntries } from '../timeline/order';
import { addTimelineProblems, emptyTimelineProblems, type TimelineProblems } from '../timeline/problems';
import type { TimelineEntry, TimelineResult } from '../timeline/types';
import type { Selection } from './assembly';
import { MergedPieces, type Piece } from './mergedPieces';
import type { RolloutCache } from './rolloutCache';

/** What the series take from one Rollout's timeline (and its object), made once per timeline. */
interface RolloutSeries {
  problems: TimelineProblems;
  /** Its weight series: a piece of one item, or none when its timeline has no entries. */
  weights: Piece<RolloutWeights>;
  /** The starts and ends of its updates, each a piece, and how many end `now`. */
  starts: Piece<number>;
  ends: Piece<number>;
  openEnds: number;
}

/** The merged pieces of one selection, and what was made from the last merged lists. */
interface SelectionSeries {
  weights: MergedPieces<RolloutWeights>;
  starts: MergedPieces<number>;
  ends: MergedPieces<number>;
  weightsMade?: { of: readonly RolloutWeights[]; problems: TimelineProblems };
  updatesMade?: Updates & { problems: TimelineProblems };
}

/** Selections whose merged series are kept. */
const SELECTIONS_KEPT = 24;

/** The weight series in the order of their Rollouts' first entries: the order in which the merged timeline has them. */
const byFirstEntry = (a: RolloutWeights, b: RolloutWeights) => compareEntries(a.first, b.first);

/**
 * The series queries' inputs, assembled per Rollout (see docs/architecture.md): what depends only on a Rollout's
 * objects (its weight changes in order, its updates' starts and ends) is made once per change of them, from its open
 * timeline, and merged per selection, merging in only the changed Rollouts. What depends on the range and on `now`
 * is left to the frames.
 */
export class SeriesAssembly {
  /** By a Rollout's timeline entries, which are new whenever its objects change. */
  private readonly ofTimeline = new WeakMap<readonly TimelineEntry[], RolloutSeries>();
  private readonly selections = new Map<string, SelectionSeries>();

  constructor(private readonly cache: RolloutCache) {}

  /** The weight series of the selected Rollouts with entries, in the order of their frames; their problems. */
  weights(selection: Selection, now: number): { weights: readonly RolloutWeights[]; problems: TimelineProblems } {
    const state = this.selected(selection);
    const series = this.rolloutSeries(selection, now);
    const weights = state.weights.update(series.map((one) => one.weights));
    if (state.weightsMade?.of !== weights) {
      state.weightsMade = { of: weights, problems: problemsOf(series) };
    }
    return { weights, problems: state.weightsMade.problems };
  }

  /**
   * The starts and ends of the selected Rollouts' updates (a new object only when their objects changed), how many of
   * them end `now`, and their problems.
   */
  updates(selection: Selection, now: number): Updates & { problems: TimelineProblems } {
    const state = this.selected(selection);
    const series = this.rolloutSeries(selection, now);
    const starts = state.starts.update(series.map((one) => one.starts));
    const ends = state.ends.update(series.map((one) => one.ends));
    let made = state.updatesMade;
    if (made?.starts !== starts || made.ends !== ends) {
      made = {
        starts,
        ends,
        openEnds: series.reduce((sum, one) => sum + one.openEnds, 0),
        problems: problemsOf(series),
      };
      state.updatesMade = made;
    }
    return made;
  }

  private rolloutSeries(selection: Selection, now: number): RolloutSeries[] {
    const series: RolloutSeries[] = [];
    for (const { namespace, name, owner } of selection.rollouts) {
      const timeline = this.cache.openTimeline(namespace, name, now);
      if (timeline) {
        series.push(this.seriesOf(timeline, namespace, name, owner));
      }
    }
    return series;
  }

  private seriesOf(timeline: TimelineResult, namespace: string, name: string, owner: string): RolloutSeries {
    let series = this.ofTimeline.get(timeline.entries);
    if (series === undefined) {
      // As the merged timeline orders them (a timeline's ids are made unique after it is ordered).
      const entries = timeline.entries.slice().sort(compareEntries);
      const weights = rolloutWeights(entries, this.cache.rollout(namespace, name));
      const { starts, ends, openEnds } = updatesOf(entries);
      series = {
        problems: timeline.problems,
        weights: { owner, items: weights ? [weights] : [] },
        starts: { owner, items: starts },
        ends: { owner, items: ends },
        openEnds,
      };
      this.ofTimeline.set(timeline.entries, series);
    }
    return series;
  }

  private selected(selection: Selection): SelectionSeries {
    let state = this.selections.get(selection.key);
    if (state === undefined) {
      if (this.selections.size >= SELECTIONS_KEPT) {
        this.selections.clear();
      }
      state = {
        weights: new MergedPieces(byFirstEntry),
        starts: new MergedPieces(byTime),
        ends: new MergedPieces(byTime),
      };
      this.selections.set(selection.key, state);
    }
    return state;
  }
}

function problemsOf(series: readonly RolloutSeries[]): TimelineProblems {
  const problems = emptyTimelineProblems();
  series.forEach((one) => addTimelineProblems(problems, one.problems));
  return problems;
}
