/**
 * The pieces of many Rollouts merged into one ordered list (timeline entries, table rows), kept from one refresh to
 * the next: when few Rollouts changed, the pieces of the changed ones are taken out and their new pieces merged in,
 * in one pass over the list; the rest is not looked at again.
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

  /** `compare` orders the items; items that compare equal keep the order of `pieces`, then their order in a piece. */
  constructor(private readonly compare: (a: T, b: T) => number) {}

  /**
   * The merged items of these pieces (in their order, which settles ties between owners). Returns the very same
   * array as the previous call when no piece changed.
   */
  update(pieces: ReadonlyArray<Piece<T>>): T[] {
    const rank = new Map<string, number>();
    const changed = new Set<string>();
    pieces.forEach((piece, index) => {
      rank.set(piece.owner, index);
      if (this.pieces.get(piece.owner) !== piece.items) {
        changed.add(piece.owner);
      }
    });
    for (const owner of this.pieces.keys()) {
      if (!rank.has(owner)) {
        changed.add(owner);
      }
    }
    if (changed.size === 0) {
      return this.merged;
    }
    if (changed.size > pieces.length * REBUILD_SHARE) {
      this.rebuild(pieces);
    } else {
      this.mergeIn(
        pieces.filter((piece) => changed.has(piece.owner)),
        changed,
        rank
      );
    }
    this.pieces = new Map(pieces.map((piece) => [piece.owner, piece.items]));
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

  private mergeIn(changedPieces: ReadonlyArray<Piece<T>>, changed: ReadonlySet<string>, rank: Map<string, number>) {
    const added: T[] = [];
    const addedOwners: string[] = [];
    for (const piece of changedPieces) {
      for (const item of piece.items) {
        added.push(item);
        addedOwners.push(piece.owner);
      }
    }
    const order = added.map((_, index) => index).sort((a, b) => this.compare(added[a], added[b]) || a - b);
    const merged: T[] = [];
    const owners: string[] = [];
    let next = 0;
    const takeAddedBefore = (item: T, owner: string) => {
      while (next < order.length) {
        const candidate = order[next];
        const byOrder = this.compare(added[candidate], item);
        if (byOrder > 0 || (byOrder === 0 && rank.get(addedOwners[candidate])! > rank.get(owner)!)) {
          return;
        }
        merged.push(added[candidate]);
        owners.push(addedOwners[candidate]);
        next++;
      }
    };
    for (let i = 0; i < this.merged.length; i++) {
      const owner = this.owners[i];
      if (changed.has(owner)) {
        continue;
      }
      const item = this.merged[i];
      takeAddedBefore(item, owner);
      merged.push(item);
      owners.push(owner);
    }
    for (; next < order.length; next++) {
      merged.push(added[order[next]]);
      owners.push(addedOwners[order[next]]);
    }
    this.merged = merged;
    this.owners = owners;
  }
}
