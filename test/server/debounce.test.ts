import { test } from 'node:test';
import assert from 'node:assert/strict';
import { debounceFromEnv, validationDelay, DEFAULT_DEBOUNCE } from '../../server/src/debounce';

test('the wait scales with the last validation, between the bounds', () => {
  const { minMs, maxMs, factor } = DEFAULT_DEBOUNCE;
  assert.equal(validationDelay(undefined), maxMs, 'not timed yet: the longest wait');
  assert.equal(validationDelay(0.5), minMs, 'a cheap validation: the shortest wait');
  assert.equal(validationDelay(10), factor * 10);
  assert.equal(validationDelay(500), maxMs, 'a long validation: the longest wait');
  assert.equal(validationDelay(Number.NaN), maxMs);
  assert.equal(validationDelay(3, { minMs: 0, maxMs: 100, factor: 2 }), 6);
});

test('DOCKSMITH_VALIDATION_DELAY_MS fixes the wait; unset or not a number, it scales', () => {
  assert.equal(debounceFromEnv('0')(50), 0);
  assert.equal(debounceFromEnv('75')(1), 75);
  assert.equal(debounceFromEnv(undefined)(1), DEFAULT_DEBOUNCE.minMs);
  assert.equal(debounceFromEnv('')(undefined), DEFAULT_DEBOUNCE.maxMs);
  assert.equal(debounceFromEnv('soon')(10), 10 * DEFAULT_DEBOUNCE.factor);
});
