import { statusTable } from './status';

const column = (frame: ReturnType<typeof statusTable>, name: string) =>
  frame.fields.find((field) => field.name === name)?.values;

describe('status table', () => {
  it('lists errors before warnings, with the queries that reported them', () => {
    const frame = statusTable(
      [
        {
          severity: 'warning',
          message: 'Showing the newest 2 of 9 annotations',
          queries: ['Annotations (limit 2)'],
          time: 5,
        },
        { severity: 'error', message: 'The token was rejected', queries: ['Rollouts table', 'Events table'], time: 7 },
      ],
      { queries: 3 },
      'S'
    );
    expect(frame.refId).toBe('S');
    expect(column(frame, 'severity')).toEqual(['error', 'warning']);
    expect(column(frame, 'message')).toEqual(['The token was rejected', 'Showing the newest 2 of 9 annotations']);
    expect(column(frame, 'queries')).toEqual(['Rollouts table; Events table', 'Annotations (limit 2)']);
    expect(column(frame, 'time')).toEqual([7, 5]);
  });

  it('says in one row that there is no problem, and how many queries that rests on', () => {
    expect(column(statusTable([], { queries: 4 }), 'message')).toEqual([
      'No errors or notices: all 4 queries of this data source in this refresh succeeded.',
    ]);
    expect(column(statusTable([], { queries: 0 }), 'severity')).toEqual(['ok']);
    expect(column(statusTable([], { queries: 0 }), 'message')).toEqual([
      'No other query of this data source has finished in this refresh yet.',
    ]);
  });
});
