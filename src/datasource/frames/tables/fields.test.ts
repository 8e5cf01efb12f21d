import { FieldType } from '@grafana/data';

import {
  booleanColumn,
  buildTable,
  type Column,
  durationColumn,
  numberColumn,
  stringColumn,
  timeColumn,
} from './fields';

interface Row {
  name?: unknown;
  at?: unknown;
  count?: unknown;
  seconds?: unknown;
  ready?: unknown;
}

const COLUMNS: ReadonlyArray<Column<Row>> = [
  stringColumn('name', 'Name', (row) => row.name as string | undefined),
  timeColumn('at', 'At', (row) => row.at as number | undefined),
  numberColumn('count', 'Count', (row) => row.count as number | undefined, 'percent'),
  durationColumn('seconds', 'Took', (row) => row.seconds as number | undefined),
  booleanColumn('ready', 'Ready', (row) => row.ready as boolean | undefined),
];

const cells = (rows: Row[]) => {
  const frame = buildTable(rows, COLUMNS, { name: 'things' });
  return Object.fromEntries(frame.fields.map((field) => [field.name, field.values]));
};
const notices = (rows: Row[], given = [{ severity: 'info' as const, text: 'Given.' }]) =>
  (buildTable(rows, COLUMNS, { name: 'things', notices: given }).meta?.notices ?? []).map((notice) => notice.text);

describe('buildTable', () => {
  it('fills each column from the rows, with the type, display name and unit of the column', () => {
    const frame = buildTable(
      [
        { name: 'web', at: 1_000, count: 20, seconds: 1.5, ready: true },
        { name: 'api', at: 2_000, count: 0, seconds: 0, ready: false },
      ],
      COLUMNS,
      { name: 'things' }
    );

    expect(frame.name).toBe('things');
    expect(frame.length).toBe(2);
    expect(frame.meta).toEqual({ preferredVisualisationType: 'table' });
    expect(frame.fields.map((field) => [field.name, field.type, field.config, field.values])).toEqual([
      ['name', FieldType.string, { displayName: 'Name' }, ['web', 'api']],
      ['at', FieldType.time, { displayName: 'At' }, [1_000, 2_000]],
      ['count', FieldType.number, { displayName: 'Count', unit: 'percent', decimals: 0 }, [20, 0]],
      ['seconds', FieldType.number, { displayName: 'Took', unit: 'dtdurations' }, [1.5, 0]],
      ['ready', FieldType.boolean, { displayName: 'Ready' }, [true, false]],
    ]);
  });

  it('shows missing values as empty cells, without a notice', () => {
    expect(cells([{}, { name: null, at: null, count: null, seconds: null, ready: null }])).toEqual({
      name: [null, null],
      at: [null, null],
      count: [null, null],
      seconds: [null, null],
      ready: [null, null],
    });
    expect(notices([{}])).toEqual(['Given.']);
  });

  it('shows values of another type than their column empty, and says how many in which columns, in column order', () => {
    const rows: Row[] = [
      { name: 7, at: '2026-01-01', count: NaN, seconds: 3, ready: 'yes' },
      { name: 'api', at: Infinity, count: -Infinity, seconds: '3', ready: 0 },
      { name: 'web', at: 5, count: 1, seconds: 2, ready: true },
    ];

    expect(cells(rows)).toEqual({
      name: [null, 'api', 'web'],
      at: [null, null, 5],
      count: [null, null, 1],
      seconds: [3, null, 2],
      ready: [null, null, true],
    });
    expect(notices(rows)).toEqual([
      'Given.',
      '8 values of an unexpected type shown empty (Name, At, Count, Took, Ready): ' +
        'some objects do not follow the schema of their kind.',
    ]);
    expect(notices([{ count: '1' }], [])).toEqual([
      '1 value of an unexpected type shown empty (Count): some objects do not follow the schema of their kind.',
    ]);
  });
});
