import { test } from 'node:test';
import assert from 'node:assert/strict';
import { debounceFromEnv, editDelay, validationDelay, DEFAULT_DEBOUNCE } from '../../server/src/debounce';

test('the wait scales with the last validation, between the bounds', () => {
  const { minMs, maxMs, factor } = DEFAULT_DEBOUNCE;
  assert.equal(validationDelay(undefined), maxMs, 'not timed yet: the longest wait');
  assert.equal(validationDelay(0.5), minMs, 'a cheap validation: the shortest wait');
  assert.equal(validationDelay(10), factor * 10);
  assert.equal(validationDelay(500), maxMs, 'a long validation: the longest wait');
  assert.equal(validationDelay(Number.NaN), maxMs);
  assert.equal(validationDelay(3, { minMs: 0, maxMs: 100, factor: 2 }), 6);
});

test('an edit after a quiet moment is validated at once; within a burst it waits', () => {
  const { minMs, maxMs, factor } = DEFAULT_DEBOUNCE;
  // A cheap document (wait 20 ms): a keystroke 500 ms after the last change starts no burst.
  assert.equal(editDelay(2, 500), 0);
  assert.equal(editDelay(2, minMs), 0, 'quiet for exactly the wait');
  assert.equal(editDelay(2, minMs - 1), minMs, 'the next keystroke of a burst');
  assert.equal(editDelay(2, 0), minMs);
  // A costly document (wait 4 x 30 = 120 ms): keystrokes 100 ms apart are one burst.
  assert.equal(editDelay(30, 100), factor * 30);
  assert.equal(editDelay(30, 130), 0);
  // Not timed yet: the longest wait decides.
  assert.equal(editDelay(undefined, maxMs - 1), maxMs);
  assert.equal(editDelay(undefined, maxMs), 0);
  assert.equal(editDelay(3, 5, { minMs: 0, maxMs: 100, factor: 2 }), 6);
  assert.equal(editDelay(3, 6, { minMs: 0, maxMs: 100, factor: 2 }), 0);
});

test('DOCKSMITH_VALIDATION_DELAY_MS fixes the wait, quiet or not; unset or not a number, it is editDelay()', () => {
  assert.equal(debounceFromEnv('0')(50, 0), 0);
  assert.equal(debounceFromEnv('75')(1, 0), 75);
  assert.equal(debounceFromEnv('75')(1, 10_000), 75, 'a fixed wait is kept after a quiet moment too');
  assert.equal(debounceFromEnv(undefined)(1, 0), DEFAULT_DEBOUNCE.minMs);
  assert.equal(debounceFromEnv(undefined)(1, 10_000), 0);
  assert.equal(debounceFromEnv('')(undefined, 0), DEFAULT_DEBOUNCE.maxMs);
  assert.equal(debounceFromEnv('soon')(10, 0), 10 * DEFAULT_DEBOUNCE.factor);
});
