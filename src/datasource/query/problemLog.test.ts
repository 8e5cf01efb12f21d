import { ProblemLog } from './problemLog';

const run = (query: string, startedAt: number, problems: Array<[string, string]> = []) => ({
  query,
  startedAt,
  finishedAt: startedAt + 10,
  problems: problems.map(([severity, message]) => ({ severity: severity as 'error' | 'warning', message })),
});

describe('problem log of a data source instance', () => {
  it('shows each problem once, with every query that reported it', () => {
    const log = new ProblemLog(() => 1_000);
    log.record(run('Rollouts table in a, b', 100, [['warning', 'RBAC refuses b']]));
    log.record(run('Annotations (outcomes Succeeded) in a, b', 110, [['warning', 'RBAC refuses b']]));
    log.record(run('Events table in a', 120, [['error', 'The API server did not answer']]));
    expect(log.problemsSince(100)).toEqual({
      queries: 3,
      rows: [
        {
          severity: 'warning',
          message: 'RBAC refuses b',
          queries: ['Rollouts table in a, b', 'Annotations (outcomes Succeeded) in a, b'],
          time: 120,
        },
        { severity: 'error', message: 'The API server did not answer', queries: ['Events table in a'], time: 130 },
      ],
    });
  });

  it('keeps only the latest run of a query: a problem that went away is gone', () => {
    const log = new ProblemLog(() => 1_000);
    log.record(run('Rollouts table', 100, [['warning', 'old']]));
    log.record(run('Rollouts table', 200));
    expect(log.problemsSince(0)).toEqual({ queries: 1, rows: [] });
  });

  it('leaves out runs that started before the refresh', () => {
    const log = new ProblemLog(() => 1_000);
    log.record(run('Rollouts table', 100, [['warning', 'from the refresh before']]));
    expect(log.problemsSince(150)).toEqual({ queries: 0, rows: [] });
  });

  it('tells its listeners about every run until they unsubscribe, and forgets runs older than 15 minutes', () => {
    let now = 0;
    const log = new ProblemLog(() => now);
    const heard: number[] = [];
    const unsubscribe = log.subscribe(() => heard.push(now));
    log.record(run('a', 0, [['warning', 'x']]));
    now = 16 * 60_000;
    log.record(run('b', now));
    unsubscribe();
    log.record(run('c', now));
    expect(heard).toEqual([0, 16 * 60_000]);
    expect(log.problemsSince(0).queries).toBe(2);
    expect(log.problemsSince(0).rows).toEqual([]);
  });
});
