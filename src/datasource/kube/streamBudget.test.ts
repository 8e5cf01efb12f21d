import { StreamBudget, streamBudgetFor, type StreamHolder } from './streamBudget';

const holder = (priority: number) => {
  const one = { priority, released: 0, release: () => one.released++ };
  return one satisfies StreamHolder;
};

describe('StreamBudget', () => {
  it('gives streams until none is left, and takes back what is given', () => {
    const budget = new StreamBudget(2);
    const [a, b, c] = [holder(1), holder(1), holder(1)];
    expect(budget.tryTake(a)).toBe(true);
    expect(budget.tryTake(b)).toBe(true);
    expect(budget.tryTake(c)).toBe(false);
    budget.give(a);
    expect(budget.tryTake(c)).toBe(true);
    expect(budget.inUse).toBe(2);
    expect([a.released, b.released, c.released]).toEqual([0, 0, 0]);
  });

  it('takes the stream of the holder that comes last for one that comes before it, never the other way', () => {
    const budget = new StreamBudget(2);
    const events = holder(0);
    const replicaSets = holder(3);
    const experiments = holder(4);
    expect(budget.tryTake(replicaSets)).toBe(true);
    expect(budget.tryTake(experiments)).toBe(true);
    expect(budget.tryTake(events)).toBe(true);
    expect(experiments.released).toBe(1);
    expect(replicaSets.released).toBe(0);
    expect(budget.tryTake(experiments)).toBe(false);
    expect(budget.inUse).toBe(2);
  });

  it('limits a page that reached Grafana over HTTP/1.1 (or an unknown protocol), not one over HTTP/2 or 3', () => {
    expect(streamBudgetFor('http/1.1').limit).toBe(4);
    expect(streamBudgetFor(undefined).limit).toBe(4);
    expect(streamBudgetFor('h2').limit).toBe(Infinity);
    expect(streamBudgetFor('h3').limit).toBe(Infinity);
  });
});
