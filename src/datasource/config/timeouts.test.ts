import { effectiveTimeouts, timeoutProblems } from './timeouts';

describe('effectiveTimeouts', () => {
  it('defaults to 15 s per request, 45 s per query and Grafana’s 30 s proxy timeout', () => {
    expect(effectiveTimeouts({})).toEqual({
      requestTimeoutSeconds: 15,
      queryDeadlineSeconds: 45,
      proxyTimeoutSeconds: 30,
    });
  });

  it('uses positive numbers from the settings, also when provisioning wrote them as text', () => {
    expect(
      effectiveTimeouts({ requestTimeoutSeconds: 5, queryDeadlineSeconds: '20' as unknown as number, timeout: 60 })
    ).toEqual({ requestTimeoutSeconds: 5, queryDeadlineSeconds: 20, proxyTimeoutSeconds: 60 });
  });

  it('falls back to the defaults for zero, negative and unreadable values', () => {
    expect(
      effectiveTimeouts({
        requestTimeoutSeconds: 0,
        queryDeadlineSeconds: -1,
        timeout: 'soon' as unknown as number,
      })
    ).toEqual({ requestTimeoutSeconds: 15, queryDeadlineSeconds: 45, proxyTimeoutSeconds: 30 });
  });
});

describe('timeoutProblems', () => {
  it('finds nothing wrong with the defaults', () => {
    expect(timeoutProblems({})).toEqual({});
  });

  it('names a field that is not a positive number', () => {
    expect(timeoutProblems({ requestTimeoutSeconds: -3 })).toEqual({
      requestTimeoutSeconds: 'The request timeout must be a number of seconds above 0.',
    });
  });

  it('warns when Grafana’s proxy would give up before the request timeout', () => {
    expect(timeoutProblems({ requestTimeoutSeconds: 40 }).requestTimeoutSeconds).toBe(
      "Grafana's data source proxy gives up after 30 s (Timeout below) and answers 504 first: keep the request timeout below it."
    );
    expect(timeoutProblems({ requestTimeoutSeconds: 40, timeout: 60 }).requestTimeoutSeconds).toBeUndefined();
  });

  it('warns when the deadline leaves no room for a retry', () => {
    expect(timeoutProblems({ requestTimeoutSeconds: 20, queryDeadlineSeconds: 20 }).queryDeadlineSeconds).toBe(
      'A query deadline no longer than the request timeout (20 s) leaves no time for a retry.'
    );
  });
});
