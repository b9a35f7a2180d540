/**
 * Loads the shell parser (tree-sitter's bash grammar, WebAssembly) shipped next to the bundle, for
 * the language server and the CLI. The service itself does no I/O: it gets the parser made here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { ShellParser } from './service';

/**
 * Keeps V8 from recompiling the bash grammar with its optimising WebAssembly compiler (TurboFan).
 * The grammar's lexer is one 160 KB function: TurboFan spends 0.5-1.5 s of CPU and 40-60 MB on it,
 * on the two cores of a small machine in the middle of the first analysis (the first open is then
 * 1.4x slower and the peak memory 1.5x higher). The baseline code (Liftoff) parses as fast once warm:
 * measured in docs/performance.md ("WebAssembly tier-up"). Must run before the module is compiled;
 * the flag concerns WebAssembly only. Node and Electron (VS Code runs the server with it) both keep
 * V8 flags writable after start-up for exactly this API.
 */
function keepWasmOnBaselineCompiler(): void {
  if (process.execArgv.includes('--liftoff-only') || process.env['DOCKSMITH_WASM_TIER_UP'] === '1') return;
  setFlagsFromString('--liftoff-only');
}

export async function loadShellParser(dir: string = __dirname): Promise<ShellParser> {
  keepWasmOnBaselineCompiler();
  return ShellParser.create({
    treeSitter: readFileSync(join(dir, 'tree-sitter.wasm')),
    bash: readFileSync(join(dir, 'tree-sitter-bash.wasm')),
  });
}
