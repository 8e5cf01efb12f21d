/**
 * The pieces of many Rollouts merged into one ordered list (timeline entries, table rows), kept from one refresh to
 * the next: when few Rollouts changed, the pieces of the changed ones are taken out and their new pieces merged in,
 * each new item placed by a binary search; the other items are copied, not compared.
 */

/** A Rollout's piece: its items in order. A new array means the piece changed; the same array, that it did not. */
export interface Piece<T> {
  owner: string;
  items: readonly T[];
}

/** Above this share of changed Rollouts, merging in costs more than sorting everything again. */
const REBUILD_SHARE = 0.25;

export class MergedPieces<T> {
  private merged: T[] = [];
  /** The owner of each merged item. */
  private owners: string[] = [];
  /** The piece each owner contributed to `merged`. */
  private pieces = new Map<string, readonly T[]>();
  /** The place of each owner's piece among the pieces, made again only when owners come or go. */
  private rank = new Map<string, number>();

  /** `compare` orders the items; items that compare equal keep the order of `pieces`, then their order in a piece. */
  constructor(private readonly compare: (a: T, b: T) => number) {}

  /**
   * The merged items of these pieces (in their order, which settles ties between owners). Returns the very same
   * array as the previous call when no piece changed.
   */
  update(pieces: ReadonlyArray<Piece<T>>): T[] {
    const changed = new Set<string>();
    let known = 0;
    for (const piece of pieces) {
      const before = this.pieces.get(piece.owner);
      if (before !== undefined) {
        known++;
      }
      if (before !== piece.items) {
        changed.add(piece.owner);
      }
    }
    const ownersChanged = known !== this.pieces.size || known !== pieces.length;
    if (changed.size === 0 && !ownersChanged) {
      return this.merged;
    }
    if (ownersChanged) {
      const rank = new Map(pieces.map((piece, index) => [piece.owner, index]));
      for (const owner of this.pieces.keys()) {
        if (!rank.has(owner)) {
          changed.add(owner);
        }
      }
      this.rank = rank;
      this.pieces = new Map(pieces.map((piece) => [piece.owner, piece.items]));
    } else {
      for (const piece of pieces) {
        if (changed.has(piece.owner)) {
          this.pieces.set(piece.owner, piece.items);
        }
      }
    }
    if (changed.size > pieces.length * REBUILD_SHARE) {
      this.rebuild(pieces);
    } else {
      this.mergeIn(
        pieces.filter((piece) => changed.has(piece.owner)),
        changed,
        this.rank
      );
    }
    return this.merged;
  }

  private rebuild(pieces: ReadonlyArray<Piece<T>>): void {
    const items: T[] = [];
    const owners: string[] = [];
    for (const piece of pieces) {
      for (const item of piece.items) {
        items.push(item);
        owners.push(piece.owner);
      }
    }
    // A stable sort: ties stay in the order of the pieces.
    const order = items.map((_, index) => index).sort((a, b) => this.compare(items[a], items[b]) || a - b);
    this.merged = order.map((index) => items[index]);
    this.owners = order.map((index) => owners[index]);
  }

  /**
   * Takes the changed owners' items out and merges their new items in: each new item goes where a binary search
   * over the items kept places it, so that the items kept are copied, and compared only O(log n) times per new item.
   */
  private mergeIn(changedPieces: ReadonlyArray<Piece<T>>, changed: ReadonlySet<string>, rank: Map<string, number>) {
    const kept: T[] = [];
    const keptOwners: string[] = [];
    for (let i = 0; i < this.merged.length; i++) {
      if (!changed.has(this.owners[i])) {
        kept.push(this.merged[i]);
        keptOwners.push(this.owners[i]);
      }
    }
    const added: T[] = [];
    const addedOwners: string[] = [];
    for (const piece of changedPieces) {
      for (const item of piece.items) {
        added.push(item);
        addedOwners.push(piece.owner);
      }
    }
    const order = added.map((_, index) => index).sort((a, b) => this.compare(added[a], added[b]) || a - b);
    // Whether kept item i comes after `item`: it compares greater, or equal and its piece comes later.
    const keptAfter = (i: number, item: T, itemRank: number) => {
      const byOrder = this.compare(kept[i], item);
      return byOrder > 0 || (byOrder === 0 && rank.get(keptOwners[i])! > itemRank);
    };
    const merged: T[] = [];
    const owners: string[] = [];
    let next = 0;
    for (const index of order) {
      const item = added[index];
      const itemRank = rank.get(addedOwners[index])!;
      let low = next;
      let high = kept.length;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if (keptAfter(middle, item, itemRank)) {
          high = middle;
        } else {
          low = middle + 1;
        }
      }
      for (; next < low; next++) {
        merged.push(kept[next]);
        owners.push(keptOwners[next]);
      }
      merged.push(item);
      owners.push(addedOwners[index]);
    }
    for (; next < kept.length; next++) {
      merged.push(kept[next]);
      owners.push(keptOwners[next]);
    }
    this.merged = merged;
    this.owners = owners;
  }
}
