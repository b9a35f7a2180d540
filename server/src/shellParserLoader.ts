/**
 * Loads the shell parser (tree-sitter's bash grammar, WebAssembly) shipped next to the bundle, for
 * the language server and the CLI. The service itself does no I/O: it gets the parser made here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ShellParser, type ShellParserWasm } from './service';
import { keepWasmOnBaselineCompiler } from './v8Flags';

function readWasm(dir: string): ShellParserWasm {
  keepWasmOnBaselineCompiler();
  return {
    treeSitter: readFileSync(join(dir, 'tree-sitter.wasm')),
    bash: readFileSync(join(dir, 'tree-sitter-bash.wasm')),
  };
}

/** The parser with tree-sitter loaded now (the CLI: it reads many files at once). */
export async function loadShellParser(dir: string = __dirname): Promise<ShellParser> {
  return ShellParser.create(readWasm(dir));
}

/**
 * The parser for the language server: tree-sitter (~6 MB of memory) is read and loaded when a
 * script first needs it, which the scripts of most Dockerfiles never do (shellFast.ts reads them).
 */
export function deferShellParser(dir: string = __dirname): ShellParser {
  return ShellParser.deferred(() => readWasm(dir));
}
