import { deadlineIn, remainingMs, secondsText, timeoutSignal } from './deadline';

describe('deadlines', () => {
  it('is due the given seconds after now and counts down to zero', () => {
    const deadline = deadlineIn(45, 1_000);
    expect(deadline).toEqual({ at: 46_000, seconds: 45 });
    expect(remainingMs(deadline, 1_000)).toBe(45_000);
    expect(remainingMs(deadline, 50_000)).toBe(0);
    expect(remainingMs(undefined, 50_000)).toBe(Infinity);
  });

  it('writes seconds with at most one decimal', () => {
    expect(secondsText(15_000)).toBe('15 s');
    expect(secondsText(14_150)).toBe('14.2 s');
  });
});

describe('timeoutSignal', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('aborts when the time is up and says it timed out', () => {
    const parent = new AbortController();
    const attempt = timeoutSignal(parent.signal, 1_000);
    jest.advanceTimersByTime(999);
    expect(attempt.signal.aborted).toBe(false);
    jest.advanceTimersByTime(1);
    expect(attempt.signal.aborted).toBe(true);
    expect(attempt.timedOut()).toBe(true);
    expect(parent.signal.aborted).toBe(false);
  });

  it('aborts with its parent, which is no time-out', () => {
    const parent = new AbortController();
    const attempt = timeoutSignal(parent.signal, 1_000);
    parent.abort();
    expect(attempt.signal.aborted).toBe(true);
    expect(attempt.timedOut()).toBe(false);
  });

  it('starts aborted under an aborted parent', () => {
    const parent = new AbortController();
    parent.abort();
    expect(timeoutSignal(parent.signal, 1_000).signal.aborted).toBe(true);
  });

  it('never fires once cleared, as a watch does when its headers arrived', () => {
    const parent = new AbortController();
    const attempt = timeoutSignal(parent.signal, 1_000);
    attempt.clear();
    jest.advanceTimersByTime(60_000);
    parent.abort();
    expect(attempt.signal.aborted).toBe(false);
    expect(attempt.timedOut()).toBe(false);
  });

  it('has no timer for an unbounded wait', () => {
    const attempt = timeoutSignal(new AbortController().signal, Infinity);
    jest.advanceTimersByTime(10 ** 9);
    expect(attempt.signal.aborted).toBe(false);
  });
});
