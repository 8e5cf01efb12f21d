/** AnalysisRun phases from the worst result to the best; anything unknown ranks after these. */
const PHASES_WORST_FIRST = ['Failed', 'Error', 'Inconclusive', 'Running', 'Pending', 'Successful'];

const COMPLETED_PHASES = new Set(['Successful', 'Failed', 'Error', 'Inconclusive']);

export function isCompletedPhase(phase: string | undefined): boolean {
  return phase !== undefined && COMPLETED_PHASES.has(phase);
}

function rank(phase: string): number {
  const index = PHASES_WORST_FIRST.indexOf(phase);
  return index === -1 ? PHASES_WORST_FIRST.length : index;
}

/** Orders phases worst first (Failed, Error, Inconclusive, Running, Pending, Successful). */
export function compareWorstFirst(a: string, b: string): number {
  return rank(a) - rank(b);
}

/** The worst of the given phases, or undefined when there are none. */
export function worstPhase(phases: ReadonlyArray<string | undefined>): string | undefined {
  let worst: string | undefined;
  for (const phase of phases) {
    if (phase !== undefined && phase !== '' && (worst === undefined || compareWorstFirst(phase, worst) < 0)) {
      worst = phase;
    }
  }
  return worst;
}
