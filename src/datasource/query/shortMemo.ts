/**
 * Remembers a few results for a few seconds. The panels of one dashboard refresh ask for the same thing at
 * nearly the same moment (three annotation queries over the same lists, say); this lets them share the work.
 * A result is fresh for `ttlMs` after it was ready: one that takes longer than that to compute (a large cluster's
 * timeline on a busy machine) is still shared by the queries that waited for it.
 */
export class ShortMemo<T> {
  private readonly entries = new Map<string, { at: number; value: T }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now
  ) {}

  get(key: string, compute: () => T): T {
    const now = this.now();
    const hit = this.entries.get(key);
    if (hit && now - hit.at <= this.ttlMs) {
      return hit.value;
    }
    const value = compute();
    const ready = this.now();
    this.entries.delete(key);
    this.entries.set(key, { at: ready, value });
    for (const [oldKey, entry] of this.entries) {
      if (this.entries.size <= this.maxEntries && ready - entry.at <= this.ttlMs) {
        break;
      }
      this.entries.delete(oldKey);
    }
    return value;
  }
}
