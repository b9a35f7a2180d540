// runSliced (server/src/slices.ts): the server's validation runs in slices of a few milliseconds,
// pausing between two; the idle collector's between() runs at each pause. A pretend clock: each
// step takes 3 ms.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ForegroundGate, runSliced } from '../../server/src/slices';

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
function logged(steps: Generator<void, string, void>, log: string[]) {
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

test('ForegroundGate: background slices wait while a validation runs, then go on', async () => {
  const gate = new ForegroundGate();
  const log: string[] = [];
  function* steps(name: string, n: number): Generator<void, string, void> {
    for (let i = 0; i < n; i++) {
      log.push(`${name} ${i}`);
      yield;
    }
    return name;
  }
  // Every step is a slice (sliceMs 0 on a clock that moves).
  let t = 0;
  const now = () => (t += 1);
  const background = runSliced(steps('idle', 3), { stale: () => false, sliceMs: 0, now, pause: () => gate.idle() });
  // A validation starts while the background work runs: it pauses until the validation has ended.
  const end = gate.begin();
  assert.equal(gate.busy, true);
  const foreground = runSliced(steps('validate', 3), { stale: () => false, sliceMs: 0, now }).finally(end);
  assert.deepEqual(await foreground, { value: 'validate' });
  assert.equal(gate.busy, false);
  assert.deepEqual(await background, { value: 'idle' });
  assert.deepEqual(log, ['idle 0', 'validate 0', 'validate 1', 'validate 2', 'idle 1', 'idle 2']);
});

test('ForegroundGate: idle() lets a turn of the event loop pass, and ending twice counts once', async () => {
  const gate = new ForegroundGate();
  const log: string[] = [];
  setImmediate(() => log.push('event'));
  await gate.idle();
  assert.deepEqual(log, ['event']);
  const first = gate.begin();
  const second = gate.begin();
  first();
  first();
  assert.equal(gate.busy, true, 'the second validation still runs');
  let resumed = false;
  const waiting = gate.idle().then(() => (resumed = true));
  await new Promise<void>((resolve) => setImmediate(resolve));
  assert.equal(resumed, false);
  second();
  await waiting;
  assert.equal(resumed, true);
});

test('ForegroundGate: idle work waits until no validation has been asked for or run for quietMs', async () => {
  let t = 0;
  const delays: number[] = [];
  const gate = new ForegroundGate({
    quietMs: 50,
    now: () => t,
    delay: async (ms) => {
      delays.push(ms);
      t += ms;
    },
  });
  // Never any foreground work: a turn, no delay.
  await gate.idle();
  assert.deepEqual(delays, []);
  const end = gate.begin();
  t = 100;
  end();
  t = 120; // 20 ms after the validation ended: 30 ms more
  await gate.idle();
  assert.deepEqual(delays, [30]);
  assert.equal(t, 150);
  // Another validation asked for during that wait restarts it once it ends.
  const again = gate.begin();
  let resumed = false;
  const waiting = gate.idle().then(() => (resumed = true));
  await new Promise<void>((resolve) => setImmediate(resolve));
  assert.equal(resumed, false);
  t = 200;
  again();
  await waiting;
  assert.deepEqual(delays, [30, 50]);
  assert.equal(t, 250);
});
