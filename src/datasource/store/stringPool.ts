/**
 * One instance of each equal string among the objects a store keeps. `JSON.parse` makes a new string for nearly every
 * value, so the owner's name and uid, the apiVersion, the reasons, the images and the timestamps that thousands of
 * objects repeat would each be kept thousands of times. Bounded: when it holds `limit` strings it forgets them all
 * (the objects keep theirs; later ones are shared anew), so strings of objects long deleted do not pile up.
 */
export class StringPool {
  private strings = new Map<string, string>();

  constructor(private readonly limit = 200_000) {}

  /** The pool's instance of `value`, which becomes the pool's if it had none. */
  share(value: string): string {
    const shared = this.strings.get(value);
    if (shared !== undefined) {
      return shared;
    }
    if (this.strings.size >= this.limit) {
      this.strings = new Map();
    }
    this.strings.set(value, value);
    return value;
  }

  get size(): number {
    return this.strings.size;
  }
}
