/** A list that can be sorted in place: an array or a typed array. */
export interface SortableList<T> {
  length: number;
  [index: number]: T;
}

/** Lists up to this long are sorted by insertion: each call of `Array.prototype.sort` has a high fixed cost. */
const INSERTION_SORT_MAX = 16;

/**
 * Sorts `items[start..end)` in place, stably: the result of `Array.prototype.sort` with `compare`. The timeline
 * sorts thousands of short lists, for which this is much faster.
 */
export function sortStably<T>(
  items: SortableList<T>,
  compare: (a: T, b: T) => number,
  start = 0,
  end = items.length
): void {
  if (end - start > INSERTION_SORT_MAX) {
    const sorted = (Array.prototype.slice.call(items, start, end) as T[]).sort(compare);
    for (let i = 0; i < sorted.length; i++) {
      items[start + i] = sorted[i];
    }
    return;
  }
  for (let i = start + 1; i < end; i++) {
    const item = items[i];
    let j = i - 1;
    for (; j >= start && compare(items[j], item) > 0; j--) {
      items[j + 1] = items[j];
    }
    items[j + 1] = item;
  }
}
