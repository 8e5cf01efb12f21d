import type { ProblemSeverity, StatusRow } from '../frames/status';

/** What one query of the data source reported when it finished. */
export interface QueryRun {
  /** Describes the query to a viewer (annotation layers all have refId `Anno`, so refIds do not tell them apart). */
  query: string;
  /** Epoch milliseconds. */
  startedAt: number;
  finishedAt: number;
  problems: Array<{ severity: ProblemSeverity; message: string }>;
}

/** Runs older than this are forgotten, whatever else happens. */
const MAX_AGE_MS = 15 * 60_000;
/** At most this many runs are kept (a dashboard refresh makes one per panel and annotation layer). */
const MAX_RUNS = 200;

/**
 * A short log of what the recent queries of one data source instance reported. Grafana makes one instance per data
 * source and shares it between the panels and annotation layers of a dashboard, so the `status` query can show what
 * the others said, including what annotation layers cannot show themselves.
 */
export class ProblemLog {
  private runs: QueryRun[] = [];
  private readonly listeners = new Set<() => void>();

  constructor(private readonly clock: () => number = Date.now) {}

  record(run: QueryRun): void {
    const oldest = this.clock() - MAX_AGE_MS;
    this.runs = [...this.runs.filter((r) => r.finishedAt >= oldest), run].slice(-MAX_RUNS);
    this.listeners.forEach((listener) => listener());
  }

  /** Calls `listener` after every recorded run until the returned function is called. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * The problems of the runs that started at or after `since`, the latest run of each query only (a query that ran
   * again without a problem no longer has it), one row per problem with every query that reported it.
   */
  problemsSince(since: number): { rows: StatusRow[]; queries: number } {
    const latest = new Map<string, QueryRun>();
    for (const run of this.runs) {
      const seen = latest.get(run.query);
      if (run.startedAt >= since && (!seen || run.startedAt >= seen.startedAt)) {
        latest.set(run.query, run);
      }
    }
    const rows = new Map<string, StatusRow>();
    for (const run of latest.values()) {
      for (const { severity, message } of run.problems) {
        const key = `${severity}\u0000${message}`;
        const row = rows.get(key);
        if (!row) {
          rows.set(key, { severity, message, queries: [run.query], time: run.finishedAt });
        } else if (!row.queries.includes(run.query)) {
          row.queries.push(run.query);
          row.time = Math.max(row.time ?? 0, run.finishedAt);
        }
      }
    }
    return { rows: [...rows.values()], queries: latest.size };
  }
}
