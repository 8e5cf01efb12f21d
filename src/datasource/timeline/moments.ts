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
