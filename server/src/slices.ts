/**
 * Runs a piece of work given as steps (a generator) in slices of a few milliseconds, yielding to the
 * event loop between two, so that requests (a hover, a completion) are answered while a large file is
 * validated and a newer version of the document stops the stale one (server.ts).
 */
export interface SliceOptions {
  /** Whether the work is no longer wanted: checked after each pause; the steps are then stopped. */
  readonly stale: () => boolean;
  /** Longest stretch of work before a pause (ms). */
  readonly sliceMs: number;
  /** Called at the end of each slice but the last, before the pause (the idle collector's between()). */
  readonly between?: () => void;
  readonly now?: () => number;
  readonly pause?: () => Promise<void>;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Milliseconds, from a clock Node has loaded at start-up: the first use of `performance` loads
 * perf_hooks, ~2 ms in the middle of a fresh server's first analysis.
 */
function hrtimeMs(): number {
  const [seconds, nanoseconds] = process.hrtime();
  return seconds * 1e3 + nanoseconds / 1e6;
}

/** The steps' result, or undefined when the work went stale and was stopped. */
export async function runSliced<T>(
  steps: Generator<void, T, void>,
  options: SliceOptions,
): Promise<{ value: T } | undefined> {
  const now = options.now ?? hrtimeMs;
  const pause = options.pause ?? nextTurn;
  let sliceStart = now();
  for (let step = steps.next(); ; step = steps.next()) {
    if (step.done) return { value: step.value };
    if (now() - sliceStart < options.sliceMs) continue;
    options.between?.();
    await pause();
    if (options.stale()) {
      steps.return(undefined as T);
      return undefined;
    }
    sliceStart = now();
  }
}

/**
 * Keeps background work (what the next edit would otherwise do, server.ts) out of the way of
 * foreground work (a validation whose diagnostics someone waits for): a background run pauses with
 * `idle()`, which lets it go on only once no foreground work has been asked for or run for `quietMs`.
 * Without it, the two ran slice for slice, and the idle work of one file delayed the diagnostics of
 * the next: an editor sends its next requests as soon as it has the diagnostics of the last.
 */
export class ForegroundGate {
  private running = 0;
  private waiters: (() => void)[] = [];
  private lastEnd = -Infinity;
  private readonly quietMs: number;
  private readonly now: () => number;
  private readonly delay: (ms: number) => Promise<void>;

  constructor(options: { quietMs?: number; now?: () => number; delay?: (ms: number) => Promise<void> } = {}) {
    this.quietMs = options.quietMs ?? 0;
    this.now = options.now ?? hrtimeMs;
    this.delay = options.delay ?? ((ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  }

  /** Foreground work starts; the returned function says it ended (calling it again does nothing). */
  begin(): () => void {
    this.running++;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.lastEnd = this.now();
      if (--this.running === 0) for (const resume of this.waiters.splice(0)) resume();
    };
  }

  /** Whether foreground work is asked for or runs now. */
  get busy(): boolean {
    return this.running > 0;
  }

  /**
   * A pause for background work: a turn of the event loop, and then until no foreground work has
   * been asked for or run for `quietMs`.
   */
  async idle(): Promise<void> {
    for (;;) {
      if (this.running > 0) await new Promise<void>((resolve) => this.waiters.push(resolve));
      const quiet = this.now() - this.lastEnd;
      if (quiet < this.quietMs) await this.delay(this.quietMs - quiet);
      else await nextTurn();
      if (this.running === 0 && this.now() - this.lastEnd >= this.quietMs) return;
    }
  }
}
