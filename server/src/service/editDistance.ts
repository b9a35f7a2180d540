/** Two rows of the distance table, reused by every call (grown when a word is longer). */
let previous = new Int32Array(32);
let current = new Int32Array(32);

/**
 * Levenshtein distance between `a` and `b` when it is at most `limit`, otherwise `limit + 1` (used
 * for "did you mean" suggestions, which only want close words).
 *
 * Only the cells within `limit` of the table's diagonal are computed (a path through any other
 * cell costs more than `limit`), and it stops as soon as a whole row exceeds `limit`: the work is
 * linear in the words' length, however long they are, and no array is allocated per call. (A first
 * analysis runs this in V8's interpreter, where the whole table, built with `push()` and
 * `Math.min()` per cell, cost milliseconds for one unknown stage name against 90 others.)
 */
export function editDistance(a: string, b: string, limit: number): number {
  const n = a.length;
  const m = b.length;
  const over = limit + 1;
  if (n - m > limit || m - n > limit) return over;
  if (m + 2 > previous.length) {
    previous = new Int32Array(2 * (m + 2));
    current = new Int32Array(2 * (m + 2));
  }
  let prev = previous;
  let cur = current;
  for (let j = 0; j <= m; j++) prev[j] = j <= limit ? j : over;
  for (let i = 1; i <= n; i++) {
    const lo = i > limit ? i - limit : 1;
    const hi = i + limit < m ? i + limit : m;
    const ca = a.charCodeAt(i - 1);
    // The cell left of the band: column 0 (i deletions) or outside the band.
    let left = lo === 1 && i <= limit ? i : over;
    cur[lo - 1] = left;
    let rowMin = left;
    for (let j = lo; j <= hi; j++) {
      let d = prev[j - 1]! + (ca === b.charCodeAt(j - 1) ? 0 : 1);
      const up = prev[j]! + 1;
      if (up < d) d = up;
      if (left + 1 < d) d = left + 1;
      cur[j] = d;
      left = d;
      if (d < rowMin) rowMin = d;
    }
    if (hi < m) cur[hi + 1] = over; // right of the band, read by the next row
    if (rowMin > limit) return over;
    const row = prev;
    prev = cur;
    cur = row;
  }
  const distance = prev[m]!;
  return distance > limit ? over : distance;
}
