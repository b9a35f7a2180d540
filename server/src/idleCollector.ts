/**
 * Frees the garbage of large analyses: while the server is idle, and between the slices of a long
 * validation.
 *
 * An analysis of a large file leaves tens of megabytes of short-lived objects that lived long enough
 * to reach V8's old generation. V8 collects them only when the old generation reaches its next limit,
 * which it sets at up to several times what the last collection left alive, so the process keeps that
 * memory while nothing happens, and a large analysis peaks well above what it keeps. Browsers give V8
 * idle time to collect in; Node does not. This does it: once the heap has grown well past what the
 * last full collection left alive, it asks V8 for a full collection, at once between two slices of a
 * validation (server.ts), or after a quiet moment when work has ended. Measured in docs/performance.md
 * ("Memory"): opening a generated 20,000-line file four times, 1.5 s apart, peaks at 158-161 MB of
 * RSS instead of 183-187 MB with the idle collection alone (209-229 MB without either), for the same
 * CPU time within the noise; a 5,000-line file peaks at 112-119 MB either way. The growth that
 * calls for a collection was 32 MB then; at 16 MB the bench's peaks on files of 500 to 5,000 lines
 * came down 1-17 MB, with the same CPU within the noise (sixth session).
 *
 * It also empties the young generation (two scavenges) soon after a document's first analysis and
 * after a close: the next piece of work (the next file opened, an edit) then starts with all of it to
 * allocate in, and one that allocates less than that (a small file's) runs without a scavenge. A
 * scavenge copies what is alive: after a first analysis, what the document keeps, which the next
 * scavenges would have copied anyway (twice: within the young generation, then out), during the next
 * work; after a close, little. Measured in docs/performance.md ("Young generation at idle",
 * thirty-second session): a re-open of moby, buildkit or a 1,000-line file 13-22% less main-thread
 * CPU; the first opens, the edits and the peak memory as before.
 */
import { getHeapStatistics } from 'node:v8';
import { v8FullCollection, v8YoungCollection } from './v8Flags';

/** A collection between slices that frees less than this share of the growth stops the next ones. */
const FUTILE_SHARE = 0.25;

export interface IdleCollectorOptions {
  /** The full collection (default: V8's, exposed at run time; none where that is not possible). */
  readonly collect?: (() => void) | undefined;
  /** The young-generation collection (default: V8's scavenge, exposed at run time; none: not done). */
  readonly collectYoung?: (() => void) | undefined;
  /** How long the server must be quiet before the young generation is collected (ms). */
  readonly youngQuietMs?: number;
  /** Bytes used on the JS heap now (default: V8's statistics). */
  readonly heapUsed?: () => number;
  /** How long the server must be quiet before collecting (ms). */
  readonly quietMs?: number;
  /** Collect when the heap has grown by at least this many bytes since the last collection... */
  readonly minGrowth?: number;
  /** ... and by at least this fraction of what that collection left alive. */
  readonly growthRatio?: number;
  /**
   * A heap below this size is small (bytes). Default 32 MB, the old generation the client starts the
   * server with (`--initial-old-space-size=32`, client/src/serverNodeFlags.json), below which V8 does
   * not collect it on its own either. A small heap is not collected between slices while no garbage
   * is known (between()), and is collected soon after a document's analysis was let go of (idle()).
   */
  readonly smallHeap?: number;
  /**
   * A small heap is collected `releasedQuietMs` after work (default 0: on the next turn), once this
   * much was released()...
   */
  readonly releasedBytes?: number;
  readonly releasedQuietMs?: number;
  readonly setTimer?: (callback: () => void, ms: number) => object;
  readonly clearTimer?: (timer: object) => void;
}

export class IdleCollector {
  private readonly collect: (() => void) | undefined;
  private readonly collectYoung: (() => void) | undefined;
  private readonly youngQuietMs: number;
  private readonly heapUsed: () => number;
  private readonly quietMs: number;
  private readonly minGrowth: number;
  private readonly growthRatio: number;
  private readonly smallHeap: number;
  private readonly releasedBytes: number;
  private readonly releasedQuietMs: number;
  /** Work has ended (idle()) or an analysis was let go of (released()) since the last collection. */
  private garbageKnown = false;
  /** What released() let go of since the last collection (bytes, estimated). */
  private releasedSince = 0;
  private readonly setTimer: NonNullable<IdleCollectorOptions['setTimer']>;
  private readonly clearTimer: NonNullable<IdleCollectorOptions['clearTimer']>;
  /** Heap in use right after the last full collection (or at start). */
  private baseline: number;
  private timer: object | undefined;
  private youngTimer: object | undefined;
  /**
   * Set when a collection between two slices freed little of what the heap had grown by: the work
   * in progress keeps what it allocates (the analysis it is building), so collecting again before it
   * ends would cost as much and free as little. Cleared when work starts or ends.
   */
  private futile = false;
  /** Full collections run so far (for tests and logs). */
  collections = 0;
  /** Young-generation collections run so far (each two scavenges). */
  youngCollections = 0;

  constructor(options: IdleCollectorOptions = {}) {
    this.collect = 'collect' in options ? options.collect : v8FullCollection();
    this.collectYoung = 'collectYoung' in options ? options.collectYoung : v8YoungCollection();
    this.youngQuietMs = options.youngQuietMs ?? 10;
    this.heapUsed = options.heapUsed ?? (() => getHeapStatistics().used_heap_size);
    this.quietMs = options.quietMs ?? 1000;
    this.minGrowth = options.minGrowth ?? 16 * 1024 * 1024;
    this.growthRatio = options.growthRatio ?? 0.5;
    this.smallHeap = options.smallHeap ?? 32 * 1024 * 1024;
    this.releasedBytes = options.releasedBytes ?? 4 * 1024 * 1024;
    this.releasedQuietMs = options.releasedQuietMs ?? 0;
    // Unreferenced: a planned collection never keeps the process alive.
    this.setTimer = options.setTimer ?? ((callback, ms) => setTimeout(callback, ms).unref());
    this.clearTimer = options.clearTimer ?? ((timer) => clearTimeout(timer as NodeJS.Timeout));
    this.baseline = this.heapUsed();
  }

  /** Work is starting (a validation): a planned collection waits for the next quiet moment. */
  busy(): void {
    if (this.timer) this.clearTimer(this.timer);
    this.timer = undefined;
    if (this.youngTimer) this.clearTimer(this.youngTimer);
    this.youngTimer = undefined;
    this.futile = false;
  }

  /**
   * Work has finished: collect after a quiet period if the heap has grown enough to be worth it; or,
   * in a small heap, on the next turn of the event loop once a document's analysis was let go of, so
   * that it is gone before the next one is built (closing a file and opening another). Such a
   * collection costs 10-25 ms, and costs the least then: what it frees is dead and nothing new is
   * alive yet. Planned 100 ms later, as it was until the thirty-third session, it fell into the next
   * analysis whenever a document was opened within those 100 ms, and cost more there (the half-built
   * analysis is marked too) and delayed that document's diagnostics (docs/performance.md, "Idle
   * collection, and between slices"). In a large heap, collecting right after the close and again
   * while the next analysis grows cost more than the one collection during it (a generated
   * 20,000-line file's re-opens).
   *
   * `emptyYoung`: also empty the young generation after a short quiet period (see the top of this
   * file): after a document's first analysis, whose objects stay, and after a close, which leaves
   * little alive. Not after an edit's: within a burst of keystrokes the next edit soon replaces what
   * the last one made, which a scavenge at idle would copy out of the young generation for nothing.
   */
  idle(emptyYoung = false): void {
    this.busy();
    this.garbageKnown = true;
    if (emptyYoung) this.planYoungCollection();
    const soon = this.releasedSince >= this.releasedBytes && this.heapUsed() < this.smallHeap;
    if (!soon && !this.worthIt()) return;
    const timer = this.setTimer(
      () => {
        if (this.timer !== timer) return;
        this.timer = undefined;
        if (soon || this.worthIt()) this.collectNow();
      },
      soon ? this.releasedQuietMs : this.quietMs,
    );
    this.timer = timer;
  }

  /**
   * About `bytes` of what the last collection left alive has just been let go of (the analysis of a
   * closed document): it counts as growth from now on, so a collection comes as soon as the garbage
   * is worth it, rather than once the heap has grown by half of what is no longer alive. Opening a
   * large file again right after closing one otherwise piled one analysis on the other.
   */
  released(bytes: number): void {
    this.baseline = Math.max(0, this.baseline - bytes);
    this.garbageKnown = true;
    this.releasedSince += bytes;
  }

  /**
   * Between two slices of a long piece of work (the validation of a large file): collect now if the
   * heap has grown enough. The same measure as idle(), so a collection costs at most about what the
   * heap grew by; without it V8 lets the old generation of a small heap grow to several times what
   * is alive before it collects, and a large file's analysis reaches its peak there.
   *
   * A collection that frees less than a quarter of the growth is not repeated until the work ends:
   * what grew is then the work's own result. The first analysis of a 20,000-line file made three
   * collections of 50-135 ms that each freed 3-5 MB of 17-20 MB of growth (docs/performance.md,
   * "Idle collection, and between slices").
   *
   * While no garbage is known (no work has ended and nothing was released since the last
   * collection, as in the first analysis of a fresh server), the growth is the work's own result and
   * the start-up's leftovers: a collection then waits for the heap to leave `smallHeap`. A
   * generated 5,000-line file's first analysis took the heap to ~23 MB, 16 MB above the start, and a
   * collection of 15-30 ms of the main thread came in the middle of it in some opens and not in
   * others (the start-up's garbage tipped it over), freeing only that garbage.
   */
  between(): void {
    if (this.futile || !this.worthIt()) return;
    if (!this.garbageKnown && this.heapUsed() < this.smallHeap) return;
    const before = this.heapUsed();
    const growth = before - this.baseline;
    this.collectNow();
    this.futile = before - this.baseline < growth * FUTILE_SHARE;
  }

  /** The young generation, collected after a short quiet period (see the top of this file). */
  private planYoungCollection(): void {
    const collectYoung = this.collectYoung;
    if (!collectYoung) return;
    const timer = this.setTimer(() => {
      if (this.youngTimer !== timer) return;
      this.youngTimer = undefined;
      // The first scavenge copies what is alive within the young generation, the second moves it out.
      collectYoung();
      collectYoung();
      this.youngCollections++;
    }, this.youngQuietMs);
    this.youngTimer = timer;
  }

  private collectNow(): void {
    this.collect?.();
    this.collections++;
    // A full collection empties the young generation too: a young collection still planned (after a
    // close, 10 ms behind the full one on the next turn) would find nothing to move.
    if (this.youngTimer) this.clearTimer(this.youngTimer);
    this.youngTimer = undefined;
    this.garbageKnown = false;
    this.releasedSince = 0;
    this.baseline = this.heapUsed();
  }

  /** Whether a collection can be asked for and the heap has grown enough since the last one. */
  private worthIt(): boolean {
    if (!this.collect) return false;
    const growth = this.heapUsed() - this.baseline;
    return growth >= this.minGrowth && growth >= this.baseline * this.growthRatio;
  }
}
