/**
 * The V8 flags the language server and the CLI set at run time. They go through one place because a
 * V8 code cache is only accepted under the flags it was made with (server/src/loader.ts sets them
 * before it compiles the server; setting a flag again changes nothing).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Keeps V8 from recompiling the bash grammar with its optimising WebAssembly compiler (TurboFan).
 * The grammar's lexer is one 160 KB function: TurboFan spends 0.5-1.5 s of CPU and 40-60 MB on it,
 * on the two cores of a small machine in the middle of the first analysis (the first open is then
 * 1.4x slower and the peak memory 1.5x higher). The baseline code (Liftoff) parses as fast once warm:
 * measured in docs/performance.md ("WebAssembly tier-up"). Must run before the module is compiled;
 * the flag concerns WebAssembly only. Node and Electron (VS Code runs the server with it) both keep
 * V8 flags writable after start-up for exactly this API. `DOCKSMITH_WASM_TIER_UP=1` turns it off.
 */
export function keepWasmOnBaselineCompiler(): void {
  if (process.execArgv.includes('--liftoff-only') || process.env['DOCKSMITH_WASM_TIER_UP'] === '1') return;
  setFlagsFromString('--liftoff-only');
}

/** Has V8 expose its full collection (`gc`) to the contexts made from now on, as `--expose-gc` does. */
export function exposeGc(): void {
  setFlagsFromString('--expose-gc');
}

/** V8's `gc()`: a full collection, or a young-generation one with `{ type: 'minor' }`. */
type V8Gc = (options?: { type: 'major' | 'minor' }) => void;

let exposed: V8Gc | null | undefined;

/** V8's `gc()`, exposed at run time (as `--expose-gc` does at start-up) once, or undefined. */
function exposedGc(): V8Gc | undefined {
  if (exposed === undefined) {
    try {
      exposeGc();
      const gc: unknown = runInNewContext('gc');
      exposed = typeof gc === 'function' ? (gc as V8Gc) : null;
    } catch {
      exposed = null;
    }
  }
  return exposed ?? undefined;
}

/** V8's full collection, or undefined. */
export function v8FullCollection(): (() => void) | undefined {
  const gc = exposedGc();
  return gc && (() => gc());
}

/** V8's young-generation collection (one scavenge), or undefined. */
export function v8YoungCollection(): (() => void) | undefined {
  const gc = exposedGc();
  return gc && (() => gc({ type: 'minor' }));
}
