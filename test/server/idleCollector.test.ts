// The idle collector (server/src/idleCollector.ts): a full collection after a quiet period, or at
// once between two slices of a long validation, only when the heap has grown enough since the last one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getHeapSpaceStatistics } from 'node:v8';
import { IdleCollector } from '../../server/src/idleCollector';
import { v8FullCollection, v8YoungCollection } from '../../server/src/v8Flags';

const MB = 1024 * 1024;

/** A collector over a pretend heap and pretend timers that the test fires by hand. */
function setup(
  options: {
    minGrowth?: number;
    growthRatio?: number;
    smallHeap?: number;
    alive?: (heap: number) => number;
    collectYoung?: () => void;
  } = {},
) {
  let heap = 10 * MB;
  const timers = new Set<{ callback: () => void; ms: number }>();
  let collected = 0;
  const collector = new IdleCollector({
    collect: () => {
      collected++;
      heap = options.alive ? options.alive(heap) : 20 * MB; // what is still alive
    },
    collectYoung: options.collectYoung,
    heapUsed: () => heap,
    quietMs: 1000,
    minGrowth: options.minGrowth ?? 48 * MB,
    growthRatio: options.growthRatio ?? 1,
    smallHeap: options.smallHeap ?? 0,
    releasedQuietMs: 100,
    setTimer: (callback, ms) => {
      const timer = { callback, ms };
      timers.add(timer);
      return timer;
    },
    clearTimer: (timer) => void timers.delete(timer as { callback: () => void; ms: number }),
  });
  const fire = () => {
    const due = [...timers];
    timers.clear();
    for (const t of due) t.callback();
  };
  return {
    collector,
    fire,
    timers,
    grow: (bytes: number) => void (heap += bytes),
    get collected() {
      return collected;
    },
  };
}

test('a large growth is collected once the server has been quiet', () => {
  const s = setup();
  s.grow(100 * MB);
  s.collector.idle();
  assert.equal(s.timers.size, 1);
  assert.equal([...s.timers][0]!.ms, 1000);
  assert.equal(s.collected, 0, 'not before the quiet period');
  s.fire();
  assert.equal(s.collected, 1);
  assert.equal(s.collector.collections, 1);
});

test('a small growth is left to V8', () => {
  const s = setup();
  s.grow(30 * MB);
  s.collector.idle();
  assert.equal(s.timers.size, 0);
  s.fire();
  assert.equal(s.collected, 0);
});

test('the growth is measured from what the last collection left alive', () => {
  const s = setup();
  s.grow(100 * MB);
  s.collector.idle();
  s.fire();
  assert.equal(s.collected, 1); // 20 MB alive now
  s.grow(40 * MB); // 60 MB: less than 48 MB above the 20 MB left
  s.collector.idle();
  s.fire();
  assert.equal(s.collected, 1);
  s.grow(20 * MB); // 80 MB: 60 MB above
  s.collector.idle();
  s.fire();
  assert.equal(s.collected, 2);
});

test('the growth must also be a share of the live heap', () => {
  const s = setup({ minGrowth: 10 * MB, growthRatio: 1 });
  s.grow(100 * MB);
  s.collector.idle();
  s.fire(); // 20 MB alive
  s.grow(15 * MB); // above 10 MB, below 20 MB (100% of the live heap)
  s.collector.idle();
  assert.equal(s.timers.size, 0);
  s.grow(10 * MB);
  s.collector.idle();
  assert.equal(s.timers.size, 1);
});

test('work that starts before the quiet period is over postpones the collection', () => {
  const s = setup();
  s.grow(100 * MB);
  s.collector.idle();
  const planned = [...s.timers][0]!;
  s.collector.busy();
  assert.equal(s.timers.size, 0, 'the planned collection is cancelled');
  planned.callback(); // a timer that fires anyway (already queued) does nothing
  assert.equal(s.collected, 0);
  s.collector.idle();
  s.fire();
  assert.equal(s.collected, 1);
});

test('idle twice plans one collection', () => {
  const s = setup();
  s.grow(100 * MB);
  s.collector.idle();
  s.collector.idle();
  assert.equal(s.timers.size, 1);
});

test('between two slices of work, a large growth is collected at once, a small one is not', () => {
  const s = setup();
  s.grow(30 * MB);
  s.collector.between();
  assert.equal(s.collected, 0, '30 MB: below the 48 MB of growth');
  s.grow(30 * MB);
  s.collector.between();
  assert.equal(s.collected, 1, '60 MB: collected without waiting');
  assert.equal(s.timers.size, 0, 'and nothing planned');
  s.grow(40 * MB); // 60 MB: 40 above the 20 MB left alive
  s.collector.between();
  assert.equal(s.collected, 1, 'measured from what that collection left alive');
  s.grow(10 * MB);
  s.collector.between();
  assert.equal(s.collected, 2);
  assert.equal(s.collector.collections, 2);
});

test('between slices, a collection that freed little is not repeated until the work ends', () => {
  const s = setup({ minGrowth: 16 * MB, growthRatio: 0.5, alive: (heap) => heap - 3 * MB });
  s.grow(20 * MB); // 30 MB
  s.collector.between();
  assert.equal(s.collected, 1, '20 MB of growth: collected');
  // 27 MB left: it freed 3 of the 20 MB, less than a quarter. The work keeps what it allocates.
  s.grow(30 * MB);
  s.collector.between();
  s.grow(30 * MB);
  s.collector.between();
  assert.equal(s.collected, 1, 'not again while the same work goes on');
  s.collector.busy(); // the next piece of work
  s.collector.between();
  assert.equal(s.collected, 2, 'the next work collects again'); // 84 MB left, freed 3 of 60
  s.grow(50 * MB);
  s.collector.between();
  assert.equal(s.collected, 2);
  s.collector.idle(); // work ended: the quiet period's collection is not held back
  s.fire();
  assert.equal(s.collected, 3);
});

test('between slices, a collection that freed at least a quarter of the growth is repeated', () => {
  const s = setup({ minGrowth: 16 * MB, growthRatio: 0.5, alive: (heap) => heap - 5 * MB });
  s.grow(20 * MB); // 30 MB -> 25 MB: a quarter of the growth freed
  s.collector.between();
  s.grow(20 * MB);
  s.collector.between();
  assert.equal(s.collected, 2);
});

test('a collection between slices leaves nothing for the quiet period', () => {
  const s = setup();
  s.grow(100 * MB);
  s.collector.between();
  s.collector.idle();
  assert.equal(s.timers.size, 0);
  assert.equal(s.collected, 1);
});

test('what a closed document let go of counts as growth', () => {
  const s = setup({ minGrowth: 10 * MB, growthRatio: 1 });
  s.grow(100 * MB);
  s.collector.between(); // 20 MB alive
  s.grow(12 * MB); // above 10 MB, below 20 MB (100% of the live heap)
  s.collector.between();
  assert.equal(s.collected, 1);
  s.collector.released(15 * MB); // 5 MB of the 20 MB is still alive: 27 MB of garbage now
  s.collector.between();
  assert.equal(s.collected, 2);
  s.collector.released(100 * MB); // more than the 20 MB alive: none of it counts as alive any more
  s.collector.between();
  assert.equal(s.collected, 3, 'the 20 MB are garbage: collected');
});

test('without a collection function nothing is planned', () => {
  let heap = 0;
  const collector = new IdleCollector({ collect: undefined, heapUsed: () => heap, minGrowth: 1 });
  heap = 100 * MB;
  collector.idle();
  collector.between();
  assert.equal(collector.collections, 0);
  collector.busy();
});

test("V8's full collection is available at run time and frees unreachable memory", async () => {
  const gc = v8FullCollection();
  assert.equal(typeof gc, 'function');
  // Made in a function of its own, so that nothing in this one holds the arrays.
  const ref = ((garbage) => new WeakRef(garbage))(Array.from({ length: 200 }, () => new Array<number>(10_000).fill(1)));
  // A WeakRef keeps its target alive until the end of the job that created or read it.
  await new Promise((resolve) => setImmediate(resolve));
  gc!();
  assert.ok(ref.deref() === undefined, 'the unreachable arrays were collected');
});

test('a first piece of work, with no garbage known, is not collected between slices in a small heap', () => {
  // The heap starts at 10 MB: the first analysis of a fresh server grows it with what it keeps.
  const s = setup({ minGrowth: 16 * MB, growthRatio: 0.5, smallHeap: 32 * MB });
  s.collector.busy();
  s.grow(20 * MB); // 30 MB: enough growth, but below V8's own limit
  s.collector.between();
  assert.equal(s.collected, 0, 'nothing to free but what the work keeps');
  s.grow(4 * MB); // 34 MB
  s.collector.between();
  assert.equal(s.collected, 1, 'from that size on, the growth decides');
});

test('once work has ended, or an analysis was let go of, the growth alone decides between slices', () => {
  const ended = setup({ minGrowth: 16 * MB, growthRatio: 0.5, smallHeap: 32 * MB });
  ended.collector.idle(); // a validation ended: it left its garbage
  ended.collector.busy();
  ended.grow(20 * MB); // 30 MB
  ended.collector.between();
  assert.equal(ended.collected, 1);
  // That collection leaves 20 MB and forgets what it knew: the next first-size rule applies again.
  ended.collector.busy();
  ended.grow(12 * MB); // 32 MB: 12 above the 20 left, 16 needed
  ended.collector.between();
  assert.equal(ended.collected, 1);

  const released = setup({ minGrowth: 16 * MB, growthRatio: 0.5, smallHeap: 32 * MB });
  released.collector.busy();
  released.collector.released(8 * MB); // a closed document's analysis: 2 MB count as alive now
  released.grow(10 * MB); // 20 MB: 18 MB of growth
  released.collector.between();
  assert.equal(released.collected, 1);
});

test('in a small heap, a released analysis is collected soon after the work; in a large one, after the usual quiet', () => {
  const small = setup({ minGrowth: 16 * MB, growthRatio: 0.5, smallHeap: 32 * MB });
  small.grow(14 * MB); // 24 MB: a 5,000-line file's analysis and the server
  small.collector.released(10 * MB); // its document is closed
  small.collector.idle();
  assert.deepEqual(
    [...small.timers].map((t) => t.ms),
    [100],
  );
  small.fire();
  assert.equal(small.collected, 1);

  const few = setup({ minGrowth: 16 * MB, growthRatio: 0.5, smallHeap: 32 * MB });
  few.grow(8 * MB); // 18 MB
  few.collector.released(2 * MB); // a small file's analysis: not worth a collection of its own
  few.collector.idle();
  assert.equal(few.timers.size, 0);

  const large = setup({ minGrowth: 16 * MB, growthRatio: 0.5, smallHeap: 32 * MB });
  large.grow(50 * MB); // 60 MB
  large.collector.released(40 * MB);
  large.collector.idle();
  assert.deepEqual(
    [...large.timers].map((t) => t.ms),
    [1000],
  );
});

test('by default, a released analysis in a small heap is collected on the next turn', () => {
  const timers: number[] = [];
  let heap = 24 * MB;
  const collector = new IdleCollector({
    collect: () => void (heap = 10 * MB),
    collectYoung: undefined,
    heapUsed: () => heap,
    smallHeap: 32 * MB,
    setTimer: (_callback, ms) => (timers.push(ms), {}),
    clearTimer: () => undefined,
  });
  collector.released(10 * MB); // a 5,000-line file's analysis, closed
  collector.idle(true);
  assert.deepEqual(timers, [0]);
});

test('after a first analysis or a close, the young generation is collected after a short quiet period, twice', () => {
  let scavenges = 0;
  const s = setup({ collectYoung: () => void scavenges++ });
  s.collector.idle(true);
  assert.deepEqual(
    [...s.timers].map((t) => t.ms),
    [10],
    'only the young collection: the heap has not grown',
  );
  assert.equal(scavenges, 0, 'not before the quiet period');
  s.fire();
  assert.equal(scavenges, 2, 'one scavenge copies what is alive, the next moves it out of the young generation');
  assert.equal(s.collector.youngCollections, 1);
  assert.equal(s.collected, 0, 'no full collection');
  assert.equal(s.timers.size, 0);
});

test('work that starts within the quiet period postpones the young collection to the next one', () => {
  let scavenges = 0;
  const s = setup({ collectYoung: () => void scavenges++ });
  s.collector.idle(true);
  s.collector.busy();
  assert.equal(s.timers.size, 0);
  s.fire();
  assert.equal(scavenges, 0);
  s.collector.idle(true);
  s.collector.idle(true); // a close right after a publish: one collection planned
  assert.equal(s.timers.size, 1);
  s.fire();
  assert.equal(scavenges, 2);
});

test('the young collection comes before the full one and leaves its plan as it was', () => {
  const order: string[] = [];
  const s = setup({ collectYoung: () => void order.push('young') });
  s.grow(100 * MB);
  s.collector.idle(true);
  assert.deepEqual(
    [...s.timers].map((t) => t.ms).sort((a, b) => a - b),
    [10, 1000],
  );
  const [young, full] = [...s.timers].sort((a, b) => a.ms - b.ms);
  s.timers.clear();
  young!.callback();
  assert.equal(s.collected, 0);
  full!.callback();
  assert.deepEqual(order, ['young', 'young']);
  assert.equal(s.collected, 1);
});

test('a full collection drops the young collection still planned: it has emptied the young generation', () => {
  let scavenges = 0;
  const s = setup({ collectYoung: () => void scavenges++, minGrowth: 16 * MB, growthRatio: 0.5, smallHeap: 32 * MB });
  s.grow(14 * MB); // 24 MB
  s.collector.released(10 * MB); // a closed document's analysis
  s.collector.idle(true);
  const full = [...s.timers].find((t) => t.ms === 100)!;
  assert.ok(
    [...s.timers].some((t) => t.ms === 10),
    'the young collection is planned',
  );
  s.timers.delete(full);
  full.callback();
  assert.equal(s.collected, 1);
  assert.equal(s.timers.size, 0, 'nothing left planned');
  s.fire();
  assert.equal(scavenges, 0);
});

test("after an edit's analysis no young collection is planned", () => {
  let scavenges = 0;
  const s = setup({ collectYoung: () => void scavenges++ });
  s.collector.idle(true);
  s.collector.busy(); // the next keystroke's validation
  s.collector.idle();
  assert.equal(s.timers.size, 0);
  s.fire();
  assert.equal(scavenges, 0);
});

test('without a young collection function none is planned', () => {
  const s = setup();
  s.collector.idle(true);
  assert.equal(s.timers.size, 0);
  assert.equal(s.collector.youngCollections, 0);
});

test("V8's young-generation collection is available at run time and empties the young generation", () => {
  const scavenge = v8YoungCollection();
  assert.equal(typeof scavenge, 'function');
  const youngUsed = () => getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')!.space_used_size;
  let garbage: unknown[] = [];
  for (let i = 0; i < 2000; i++) garbage.push({ i, list: [i, i + 1] });
  garbage = [];
  const before = youngUsed();
  assert.ok(before > 64 * 1024, `young objects were allocated (${before} bytes in use)`);
  scavenge!();
  assert.ok(youngUsed() < before / 2, `a scavenge freed them (${youngUsed()} bytes in use, ${before} before)`);
  assert.equal(garbage.length, 0);
});
