import { emptyEventProblems, type EventProblems, eventProblemNotices } from './events';
import { counted } from './parse';

/**
 * What a timeline could not use, or had to correct, as counts. The notices are made from the counts, so that the
 * timelines of many Rollouts, built one by one, can be told about in one notice per problem.
 */
export interface TimelineProblems {
  events: EventProblems;
  /** Objects without `metadata.name`, by kind. */
  unreadable: { Rollout: number; AnalysisRun: number; Experiment: number };
  orphanRuns: number;
  orphanEvents: number;
  revisionsWithoutStart: number;
  /** Regions whose recorded end is before their start. */
  reversed: number;
  /** Entries dated after the current time. */
  skewed: number;
  /** Why a timeline could not be built at all. */
  failures: string[];
}

export function emptyTimelineProblems(): TimelineProblems {
  return {
    events: emptyEventProblems(),
    unreadable: { Rollout: 0, AnalysisRun: 0, Experiment: 0 },
    orphanRuns: 0,
    orphanEvents: 0,
    revisionsWithoutStart: 0,
    reversed: 0,
    skewed: 0,
    failures: [],
  };
}

const EVENT_PROBLEMS = Object.keys(emptyEventProblems()) as Array<keyof EventProblems>;
const UNREADABLE_KINDS = Object.keys(emptyTimelineProblems().unreadable) as Array<keyof TimelineProblems['unreadable']>;

/** Adds the counts of `more` to `into`. */
export function addTimelineProblems(into: TimelineProblems, more: TimelineProblems): void {
  for (const key of EVENT_PROBLEMS) {
    into.events[key] += more.events[key];
  }
  for (const key of UNREADABLE_KINDS) {
    into.unreadable[key] += more.unreadable[key];
  }
  into.orphanRuns += more.orphanRuns;
  into.orphanEvents += more.orphanEvents;
  into.revisionsWithoutStart += more.revisionsWithoutStart;
  into.reversed += more.reversed;
  into.skewed += more.skewed;
  into.failures.push(...more.failures);
}

/** One notice per problem, in the order the timeline meets them. */
export function timelineNotices(problems: TimelineProblems): string[] {
  const notices = [...eventProblemNotices(problems.events)];
  for (const kind of ['Rollout', 'AnalysisRun', 'Experiment'] as const) {
    const failed = problems.unreadable[kind];
    if (failed > 0) {
      notices.push(`Skipped ${counted(failed, kind, `${kind}s`)} that could not be read (no metadata.name).`);
    }
  }
  if (problems.orphanRuns > 0) {
    notices.push(
      `Skipped ${counted(problems.orphanRuns, 'AnalysisRun', 'AnalysisRuns')} whose Rollout could not be found.`
    );
  }
  if (problems.orphanEvents > 0) {
    notices.push(
      `Skipped ${counted(problems.orphanEvents, 'Event', 'Events')} about AnalysisRuns or Experiments whose Rollout could not be found.`
    );
  }
  if (problems.revisionsWithoutStart > 0) {
    notices.push(
      `${counted(problems.revisionsWithoutStart, 'revision has', 'revisions have')} no known start time (its ReplicaSet was reused by a rollback and its Events expired); left out.`
    );
  }
  if (problems.reversed > 0) {
    notices.push(
      `${counted(problems.reversed, 'region ends', 'regions end')} before its start (clock skew?); shown ending at its start.`
    );
  }
  if (problems.skewed > 0) {
    notices.push(
      `${counted(problems.skewed, 'entry is', 'entries are')} dated after the current time (clock skew between cluster and browser?).`
    );
  }
  for (const failure of problems.failures) {
    notices.push(`The timeline could not be built: ${failure}`);
  }
  return notices;
}
