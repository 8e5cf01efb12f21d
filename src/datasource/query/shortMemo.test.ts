import { ShortMemo } from './shortMemo';

describe('ShortMemo', () => {
  it('computes once per key while the result is fresh', () => {
    let clock = 0;
    const memo = new ShortMemo<number>(1_000, 4, () => clock);
    const compute = jest.fn(() => 42);
    expect(memo.get('a', compute)).toBe(42);
    clock = 900;
    expect(memo.get('a', compute)).toBe(42);
    expect(compute).toHaveBeenCalledTimes(1);
    clock = 2_000;
    memo.get('a', compute);
    expect(compute).toHaveBeenCalledTimes(2);
  });

  it('keeps a result that took longer than its lifetime to compute fresh from when it was ready', () => {
    let clock = 0;
    const memo = new ShortMemo<number>(1_000, 4, () => clock);
    const slow = jest.fn(() => {
      clock += 3_000;
      return 7;
    });
    memo.get('timeline', slow);
    clock += 500;
    expect(memo.get('timeline', slow)).toBe(7);
    expect(slow).toHaveBeenCalledTimes(1);
  });

  it('keeps at most maxEntries, dropping the oldest', () => {
    const memo = new ShortMemo<string>(60_000, 2, () => 0);
    const compute = jest.fn((key: string) => key);
    ['a', 'b', 'c'].forEach((key) => memo.get(key, () => compute(key)));
    memo.get('a', () => compute('a'));
    memo.get('c', () => compute('c'));
    expect(compute.mock.calls.map(([key]) => key)).toEqual(['a', 'b', 'c', 'a']);
  });
});
