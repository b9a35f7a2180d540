// server/src/service/editDistance.ts: the banded distance with its early stop, against the whole
// Levenshtein table computed by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { editDistance } from '../../server/src/service/editDistance';

/** The whole table, every cell: the textbook definition. */
function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur.push(Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

test('editDistance: the distance up to the limit, limit + 1 beyond it', () => {
  assert.equal(editDistance('builder', 'builder', 2), 0);
  assert.equal(editDistance('builder', 'biulder', 2), 2);
  assert.equal(editDistance('build', 'builds', 2), 1);
  assert.equal(editDistance('', 'ab', 2), 2);
  assert.equal(editDistance('', 'abc', 2), 3);
  assert.equal(editDistance('kitten', 'sitting', 3), 3);
  assert.equal(editDistance('kitten', 'sitting', 2), 3);
  assert.equal(editDistance('abcdef', 'badcfe', 2), 3);
  assert.equal(editDistance('a', 'b', 0), 1);
});

test('editDistance: words longer than its reused rows, and a long word against a near copy', () => {
  const long = 'x'.repeat(5000);
  assert.equal(editDistance(long, long, 2), 0);
  assert.equal(editDistance(long, `${long.slice(0, 2500)}y${long.slice(2501)}`, 2), 1);
  assert.equal(editDistance(long, `y${long}`, 1), 1);
  assert.equal(editDistance('ab', 'ab', 2), 0); // the rows grown above still give short words' answers
});

test('editDistance equals min(Levenshtein, limit + 1) on random words', () => {
  const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'd'), maxLength: 24 });
  fc.assert(
    fc.property(word, word, fc.integer({ min: 0, max: 4 }), (a, b, limit) => {
      assert.equal(editDistance(a, b, limit), Math.min(levenshtein(a, b), limit + 1));
    }),
    { numRuns: 2000 },
  );
});
