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
export function hrtimeMs(): number {
  const [seconds, nanoseconds] = process.hrtime();
  return seconds * 1e3 + nanoseconds / 1e6;
}

/**
 * The steps' result, or undefined when the work went stale and was stopped. A step that yields a
 * promise (the shell parser loading) is waited for before the next, as a pause is.
 */
export async function runSliced<T>(
  steps: Generator<Promise<void> | void, T, void>,
  options: SliceOptions,
): Promise<{ value: T } | undefined> {
  const now = options.now ?? hrtimeMs;
  const pause = options.pause ?? nextTurn;
  let sliceStart = now();
  for (let step = steps.next(); ; step = steps.next()) {
    if (step.done) return { value: step.value };
    if (step.value) await step.value;
    else if (now() - sliceStart < options.sliceMs) continue;
    else {
      options.between?.();
      await pause();
    }
    if (options.stale()) {
      steps.return(undefined as T);
      return undefined;
    }
    sliceStart = now();
  }
}
