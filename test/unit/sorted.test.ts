// server/src/service/sorted.ts: the binary searches the model, the text snapshot, the shell scripts'
// positions and the dockerfile-ast patches share, against a count by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { countAtMost, countBelow } from '../../server/src/service/sorted';

test('countBelow and countAtMost on edges: empty, repeated values, before and after all', () => {
  assert.equal(countBelow([], 3), 0);
  assert.equal(countAtMost([], 3), 0);
  const lines = [0, 2, 2, 5];
  assert.deepEqual(
    [-1, 0, 1, 2, 3, 5, 6].map((v) => [countBelow(lines, v), countAtMost(lines, v)]),
    [
      [0, 0],
      [0, 1],
      [1, 1],
      [1, 3],
      [3, 3],
      [3, 4],
      [4, 4],
    ],
  );
});

test('countBelow and countAtMost count as a scan does (property)', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: -50, max: 50 })), fc.integer({ min: -60, max: 60 }), (values, value) => {
      const sorted = [...values].sort((a, b) => a - b);
      assert.equal(countBelow(sorted, value), sorted.filter((v) => v < value).length);
      assert.equal(countAtMost(sorted, value), sorted.filter((v) => v <= value).length);
    }),
    { numRuns: 500 },
  );
});
