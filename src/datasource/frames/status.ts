import type { DataFrame } from '@grafana/data';

import { buildTable, type Column, stringColumn, timeColumn } from './tables/fields';

export type ProblemSeverity = 'error' | 'warning' | 'info';

/** One problem as the viewer reads it: what went wrong, and which queries of the refresh said so. */
export interface StatusRow {
  severity: ProblemSeverity | 'ok';
  message: string;
  /** Descriptions of the queries that reported it, e.g. `Rollouts table in demo`. */
  queries: string[];
  /** When a query last reported it (epoch milliseconds). */
  time?: number;
}

export interface StatusSummary {
  /** Queries of this data source that finished in the refresh. */
  queries: number;
}

const SEVERITY_ORDER: Record<StatusRow['severity'], number> = { error: 0, warning: 1, info: 2, ok: 3 };

const COLUMNS: ReadonlyArray<Column<StatusRow>> = [
  stringColumn('severity', 'Severity', (row) => row.severity),
  stringColumn('message', 'Message', (row) => row.message),
  stringColumn('queries', 'Reported by', (row) => row.queries.join('; ')),
  timeColumn('time', 'Last seen', (row) => row.time),
];

/** With no problem to show, one row says so, and how much it is based on. */
function noProblemRow({ queries }: StatusSummary): StatusRow {
  const message =
    queries === 0
      ? 'No other query of this data source has finished in this refresh yet.'
      : `No errors or notices: ${queries === 1 ? 'the 1 query' : `all ${queries} queries`} of this data source in this refresh succeeded.`;
  return { severity: 'ok', message, queries: [] };
}

/**
 * The `status` table: the errors and notices of the other queries of this data source in the current refresh,
 * errors first. Grafana's annotation layers drop both, so this table is where a viewer sees them.
 */
export function statusTable(rows: readonly StatusRow[], summary: StatusSummary, refId?: string): DataFrame {
  const shown =
    rows.length === 0
      ? [noProblemRow(summary)]
      : [...rows].sort(
          (a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.message.localeCompare(b.message)
        );
  const frame = buildTable(shown, COLUMNS, { name: 'status' });
  frame.refId = refId;
  return frame;
}
