/** An entry as the oracle derives it, or as a check reads it from the plugin's annotations. */
export interface OracleEntry {
  category: string;
  revision?: number;
  kind: 'point' | 'region';
  outcome?: string;
  reason?: string;
  time: number;
  timeEnd: number;
  rollout?: string;
  /** What the oracle derived it from, in words. */
  what?: string;
  /** A span (a revision, an AnalysisRun, a plugin step's run, an Experiment), whether drawn as a region or a point. */
  span?: boolean;
}

export interface ExpectedRevision {
  namespace: string;
  rollout: string;
  revision: number;
  started: number;
  ended?: number;
  outcome: string;
  images: string[];
  /** `<step>/<steps>`, or undefined when the revision reached no step. */
  stepsReached?: string;
}

export declare function entryKey(entry: OracleEntry): string;
export declare function expectedEntries(observations: unknown, now?: number): OracleEntry[];
export declare function expectedRevisions(observations: unknown, now?: number): ExpectedRevision[];
export declare function compareEntries<E extends OracleEntry, A extends OracleEntry>(
  expected: E[],
  actual: A[]
): { missing: E[]; extra: A[] };
