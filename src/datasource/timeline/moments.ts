/**
 * Keys of the facts that a span and the Events about it both report (see `Draft.momentKey`): records with the same
 * key, of the same Rollout and close in time, become one entry.
 */

/** A fact about an AnalysisRun or Experiment: it started, or its result. */
export type RunFact = 'start' | 'result';

/** An AnalysisRun started, or its result. */
export const analysisMoment = (run: string, fact: RunFact) => `analysis/${run}/${fact}`;

/** The same for an analysis of an Experiment, named by its analysis name: the name all its Events know. */
export const experimentAnalysisMoment = (analysis: string, fact: RunFact) => `experimentAnalysis/${analysis}/${fact}`;

/** An Experiment was created, or its result. */
export const experimentMoment = (experiment: string, fact: RunFact) => `experiment/${experiment}/${fact}`;

/** A plugin step's operation (`Run`, `Terminate` or `Abort`) started, or its result; `step` is 1-based. */
export const stepPluginMoment = (step: number, operation: string, fact: RunFact) =>
  `stepPlugin/${step}/${operation}/${fact}`;

/** A step of the update completed (`RolloutStepCompleted`); `step` is 1-based. */
export const stepCompletedMoment = (step: number) => `step/${step}/completed`;

/**
 * The key of a fact told apart by revision (`Draft.revisionMoment`) once the revision is known: what a span that
 * knows its revision uses as its start or end moment.
 */
export const revisionMomentKey = (moment: string, revision: number | undefined) => `${moment}/${revision ?? ''}`;
