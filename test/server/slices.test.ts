// runSliced (server/src/slices.ts): the server's validation runs in slices of a few milliseconds,
// pausing between two; the idle collector's between() runs at each pause. A pretend clock: each
// step takes 3 ms.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runSliced } from '../../server/src/slices';

function* work(steps: number, log: string[]): Generator<void, string, void> {
  try {
    for (let i = 0; i < steps; i++) {
      log.push(`step ${i}`);
      yield;
    }
    return 'done';
  } finally {
    log.push('finally');
  }
}

function clock() {
  let t = 0;
  return { now: () => (t += 3) };
}

/** Runs `steps` on the pretend clock, logging each between() and pause. */
function logged(steps: Generator<Promise<void> | void, string, void>, log: string[]) {
  return runSliced(steps, {
    stale: () => false,
    sliceMs: 8,
    ...clock(),
    between: () => log.push('between'),
    pause: async () => void log.push('pause'),
  });
}

test('pauses every slice, calls between() before each pause, returns the result', async () => {
  const log: string[] = [];
  const result = await logged(work(10, log), log);
  assert.deepEqual(result, { value: 'done' });
  // start at 3; steps end at 6, 9, 12: the third crosses 8 ms; then a slice every three steps.
  assert.deepEqual(log, [
    'step 0',
    'step 1',
    'step 2',
    'between',
    'pause',
    'step 3',
    'step 4',
    'step 5',
    'between',
    'pause',
    'step 6',
    'step 7',
    'step 8',
    'between',
    'pause',
    'step 9',
    'finally',
  ]);
});

test('work that goes stale during a pause is stopped (its finally blocks run)', async () => {
  const log: string[] = [];
  let stale = false;
  const result = await runSliced(work(10, log), {
    stale: () => stale,
    sliceMs: 8,
    ...clock(),
    between: () => log.push('between'),
    pause: async () => {
      stale = true;
    },
  });
  assert.equal(result, undefined);
  assert.deepEqual(log, ['step 0', 'step 1', 'step 2', 'between', 'finally']);
});

test('work shorter than a slice never pauses', async () => {
  const log: string[] = [];
  assert.deepEqual(await logged(work(2, log), log), { value: 'done' });
  assert.deepEqual(log, ['step 0', 'step 1', 'finally']);
});

test('by default, a pause lets other events run', async () => {
  const log: string[] = [];
  let now = 0;
  const running = runSliced(work(3, log), { stale: () => false, sliceMs: 1, now: () => (now += 2) });
  setImmediate(() => log.push('event'));
  assert.deepEqual(await running, { value: 'done' });
  assert.ok(log.indexOf('event') > 0 && log.indexOf('event') < log.indexOf('finally'), log.join(', '));
});

test('the default clock is real time: a step longer than a slice ends the slice', async () => {
  const log: string[] = [];
  function* slow(): Generator<void, string, void> {
    for (let i = 0; i < 2; i++) {
      const end = process.hrtime.bigint() + 3_000_000n; // 3 ms of work
      while (process.hrtime.bigint() < end);
      log.push(`step ${i}`);
      yield;
    }
    return 'done';
  }
  const result = await runSliced(slow(), {
    stale: () => false,
    sliceMs: 1,
    between: () => log.push('between'),
    pause: async () => void log.push('pause'),
  });
  assert.deepEqual(result, { value: 'done' });
  assert.deepEqual(log, ['step 0', 'between', 'pause', 'step 1', 'between', 'pause']);
});

test('a step that yields a promise (the shell parser loading) is waited for, then staleness is checked', async () => {
  const log: string[] = [];
  let release: () => void = () => undefined;
  const loading = new Promise<void>((resolve) => (release = resolve));
  function* waits(): Generator<Promise<void> | void, string, void> {
    log.push('before');
    yield loading;
    log.push('after');
    return 'done';
  }
  const running = logged(waits(), log);
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(log, ['before'], 'nothing runs on while the promise is pending');
  release();
  assert.deepEqual(await running, { value: 'done' });
  assert.deepEqual(log, ['before', 'after']);

  const staleLog: string[] = [];
  let stale = false;
  function* goesStale(): Generator<Promise<void> | void, string, void> {
    try {
      yield Promise.resolve().then(() => {
        stale = true;
      });
      staleLog.push('ran on');
      return 'done';
    } finally {
      staleLog.push('finally');
    }
  }
  assert.equal(await runSliced(goesStale(), { stale: () => stale, sliceMs: 8, ...clock() }), undefined);
  assert.deepEqual(staleLog, ['finally']);
});
