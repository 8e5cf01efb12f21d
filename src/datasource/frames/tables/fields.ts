import { createDataFrame, FieldType, type DataFrame, type QueryResultMetaNotice } from '@grafana/data';

/**
 * Declarative table columns: each table module lists its columns once (name, display name, type, unit and how
 * to read the value from a row), and `buildTable` turns rows into a DataFrame.
 */
export type Column<Row> =
  | { type: FieldType.time; name: string; displayName: string; value: (row: Row) => number | undefined }
  | { type: FieldType.string; name: string; displayName: string; value: (row: Row) => string | undefined }
  | {
      type: FieldType.number;
      name: string;
      displayName: string;
      unit?: string;
      decimals?: number;
      value: (row: Row) => number | undefined;
    }
  | { type: FieldType.boolean; name: string; displayName: string; value: (row: Row) => boolean | undefined };

/** Grafana unit for durations given in seconds: shown as "2 hours, 3 minutes". */
export const DURATION_SECONDS_UNIT = 'dtdurations';
export const PERCENT_UNIT = 'percent';

/**
 * Tags are one comma-joined string (`cluster:prod,rollout:web`): Grafana's table shows and filters it as text,
 * and the annotation mapping splits string tags on `,`, so the same column also works as annotation tags.
 */
export const TAGS_SEPARATOR = ',';

export function timeColumn<Row>(
  name: string,
  displayName: string,
  value: (row: Row) => number | undefined
): Column<Row> {
  return { type: FieldType.time, name, displayName, value };
}

export function stringColumn<Row>(
  name: string,
  displayName: string,
  value: (row: Row) => string | undefined
): Column<Row> {
  return { type: FieldType.string, name, displayName, value };
}

export function numberColumn<Row>(
  name: string,
  displayName: string,
  value: (row: Row) => number | undefined,
  unit?: string
): Column<Row> {
  return { type: FieldType.number, name, displayName, value, unit, decimals: unit === PERCENT_UNIT ? 0 : undefined };
}

/** A duration in seconds. */
export function durationColumn<Row>(
  name: string,
  displayName: string,
  value: (row: Row) => number | undefined
): Column<Row> {
  return { type: FieldType.number, name, displayName, value, unit: DURATION_SECONDS_UNIT };
}

export function booleanColumn<Row>(
  name: string,
  displayName: string,
  value: (row: Row) => boolean | undefined
): Column<Row> {
  return { type: FieldType.boolean, name, displayName, value };
}

/** The two columns every table carries so that it can be filtered like the annotations. */
export function clusterColumn<Row extends { cluster: string }>(): Column<Row> {
  return stringColumn('cluster', 'Cluster', (row) => row.cluster);
}

/** For rows that carry their tags as one text (see `tagsText`). */
export function tagsColumn<Row extends { tags: string }>(): Column<Row> {
  return stringColumn('tags', 'Tags', (row) => row.tags);
}

/** The tags of a row as the one text its tags column shows. */
export function tagsText(tags: readonly string[]): string {
  return tags.join(TAGS_SEPARATOR);
}

export interface TableOptions {
  /** Frame name, e.g. `rollouts`. */
  name: string;
  notices?: QueryResultMetaNotice[];
}

/**
 * A table of these rows. A value of another type than its column's (an object that does not follow its schema) is
 * shown as an empty cell, and a notice says how many there were.
 */
export function buildTable<Row>(
  rows: readonly Row[],
  columns: ReadonlyArray<Column<Row>>,
  options: TableOptions
): DataFrame {
  const wrongByColumn = new Array<number>(columns.length).fill(0);
  // Column by column: each loop calls one column's function and checks one type.
  const values = columns.map((column, c) => {
    const { cells, wrong } = cellsOf(column, rows);
    wrongByColumn[c] = wrong;
    return cells;
  });
  const notices = [...(options.notices ?? [])];
  const wrongColumns = columns.filter((_, c) => wrongByColumn[c] > 0).map((column) => column.displayName);
  if (wrongColumns.length > 0) {
    const wrong = wrongByColumn.reduce((sum, n) => sum + n, 0);
    notices.push({
      severity: 'warning',
      text:
        `${wrong === 1 ? '1 value' : `${wrong} values`} of an unexpected type shown empty (${wrongColumns.join(', ')}): ` +
        'some objects do not follow the schema of their kind.',
    });
  }
  return createDataFrame({
    name: options.name,
    meta: {
      preferredVisualisationType: 'table',
      ...(notices.length > 0 ? { notices } : {}),
    },
    fields: columns.map((column, c) => ({
      name: column.name,
      type: column.type,
      config: {
        displayName: column.displayName,
        ...(column.type === FieldType.number && column.unit !== undefined ? { unit: column.unit } : {}),
        ...(column.type === FieldType.number && column.decimals !== undefined ? { decimals: column.decimals } : {}),
      },
      values: values[c],
    })),
  });
}

/** The `typeof` of the values a column of each type shows (numbers and times only when finite). */
const VALUE_TYPE = {
  [FieldType.time]: 'number',
  [FieldType.number]: 'number',
  [FieldType.string]: 'string',
  [FieldType.boolean]: 'boolean',
} as const;

/** One column's cells of the rows, and how many of its values had another type than its own (shown empty). */
function cellsOf<Row>(column: Column<Row>, rows: readonly Row[]): { cells: unknown[]; wrong: number } {
  const type = VALUE_TYPE[column.type];
  const valueOf: (row: Row) => unknown = column.value;
  const cells = new Array<unknown>(rows.length);
  let wrong = 0;
  for (let i = 0; i < rows.length; i++) {
    const value = valueOf(rows[i]);
    // Grafana tables show null as an empty cell; undefined is normalised to null for the same result everywhere.
    if (value === undefined || value === null) {
      cells[i] = null;
    } else if (typeof value === type && (type !== 'number' || Number.isFinite(value))) {
      cells[i] = value;
    } else {
      cells[i] = null;
      wrong++;
    }
  }
  return { cells, wrong };
}

/**
 * Newest first: larger times before smaller ones, unknown times last. Returns 0 on a tie so that callers can
 * chain a tie-breaker.
 */
export function newestFirst(a: number | undefined, b: number | undefined): number {
  // Two known times are the common case in a sort, so they are tested first; `|| 0` makes any tie 0.
  if (a !== undefined && b !== undefined) {
    return b - a || 0;
  }
  if (a === b) {
    return 0;
  }
  return a === undefined ? 1 : -1;
}

const naturalOrder = new Intl.Collator('en', { numeric: true });

/** Natural string order (`web-2` before `web-10`). */
export function compareText(a: string | undefined, b: string | undefined): number {
  // Sorting compares many equal values (rows of one namespace or object): those need no collation.
  if (a === b) {
    return 0;
  }
  return naturalOrder.compare(a ?? '', b ?? '');
}

/** Seconds between two epoch-millisecond times, or undefined when either is unknown or the span is negative. */
export function secondsBetween(start: number | undefined, end: number | undefined): number | undefined {
  if (start === undefined || end === undefined || end < start) {
    return undefined;
  }
  return (end - start) / 1000;
}
