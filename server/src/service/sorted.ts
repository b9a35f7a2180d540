/**
 * Binary searches over ascending numbers (line numbers, offsets): the model, the text snapshot, the
 * shell scripts' positions, the dockerfile-ast patches and the syntax rule look up "the last one
 * before" this way.
 */

/** How many of `sorted` (ascending) are below `value`: the index of the first at or above it. */
export function countBelow(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (sorted[mid]! < value) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** How many of `sorted` (ascending) are at or below `value`: the index of the first above it. */
export function countAtMost(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (sorted[mid]! <= value) low = mid + 1;
    else high = mid;
  }
  return low;
}
