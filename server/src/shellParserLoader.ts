/**
 * Loads the shell parser (tree-sitter's bash grammar, WebAssembly) shipped next to the bundle, for
 * the language server and the CLI. The service itself does no I/O: it gets the parser made here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ShellParser } from './service';
import { keepWasmOnBaselineCompiler } from './v8Flags';

export async function loadShellParser(dir: string = __dirname): Promise<ShellParser> {
  keepWasmOnBaselineCompiler();
  return ShellParser.create({
    treeSitter: readFileSync(join(dir, 'tree-sitter.wasm')),
    bash: readFileSync(join(dir, 'tree-sitter-bash.wasm')),
  });
}
