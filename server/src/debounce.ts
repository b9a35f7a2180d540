/**
 * How long the server waits after an edit before it validates: a debounce that scales with what a
 * validation of the document costs, on the trailing edge of a burst only. A burst of keystrokes is
 * validated once, after the burst; an edit that comes after the document was left alone for at
 * least that wait (a single keystroke, a paste, an applied fix) has nothing to be coalesced with and
 * is validated at once, as the editor expects.
 *
 * Why not one delay for all: measured on the bench's machine (docs/performance.md, "Edits as users
 * see them"), the same work costs 13-35% more CPU after 150 ms of idle than right after other work
 * (`scripts/idle-cost.mjs`), so a fixed 150 ms wait made every keystroke in a small file cost more CPU
 * than the validation itself needs, and showed its diagnostics 150 ms later than a server without a
 * debounce. Waiting a few times what the last validation took keeps the coalescing where it saves
 * work, and a stale validation still stops at its next slice (slices.ts).
 */
export interface DebounceOptions {
  /** The shortest wait (ms). */
  readonly minMs: number;
  /** The longest wait (ms), also the wait before a document's first validation has been timed. */
  readonly maxMs: number;
  /** The wait is this many times the last validation's duration, between the two bounds. */
  readonly factor: number;
}

export const DEFAULT_DEBOUNCE: DebounceOptions = { minMs: 20, maxMs: 150, factor: 4 };

/** The wait before validating a document whose last validation took `lastMs` (undefined: not yet timed). */
export function validationDelay(lastMs: number | undefined, options: DebounceOptions = DEFAULT_DEBOUNCE): number {
  if (lastMs === undefined || !Number.isFinite(lastMs)) return options.maxMs;
  return Math.min(options.maxMs, Math.max(options.minMs, Math.round(options.factor * lastMs)));
}

/**
 * The wait before validating an edit made `quietMs` after the document's previous change: none when
 * the document had been left alone for at least validationDelay() (the edit starts no burst worth
 * waiting for), else validationDelay(), restarted by every further keystroke of the burst.
 */
export function editDelay(
  lastMs: number | undefined,
  quietMs: number,
  options: DebounceOptions = DEFAULT_DEBOUNCE,
): number {
  const wait = validationDelay(lastMs, options);
  return quietMs >= wait ? 0 : wait;
}

/** The wait before validating an edit, from the last validation's duration and the quiet before the edit (ms). */
export type EditDelay = (lastMs: number | undefined, quietMs: number) => number;

/**
 * The debounce the server uses: `DOCKSMITH_VALIDATION_DELAY_MS` fixes it (0: none; the bench's
 * no-debounce server), else editDelay().
 */
export function debounceFromEnv(value: string | undefined): EditDelay {
  if (value !== undefined && value.trim() !== '' && Number.isFinite(Number(value))) {
    const fixed = Math.max(0, Number(value));
    return () => fixed;
  }
  return (lastMs, quietMs) => editDelay(lastMs, quietMs);
}
