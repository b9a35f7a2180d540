/**
 * The extension's entry point (package.json `main`): loads the client bundle (`main.js`, built from
 * extension.ts) through a V8 code cache kept next to it.
 *
 * Most of the client's load time is V8 compiling vscode-languageclient (350 KB): about 20 ms to
 * pre-parse the bundle and 50 ms to compile the functions its top-level code runs. With the code
 * V8 compiled the first time, later activations skip both (docs/performance.md, "Activation").
 * The cache is written once, a moment after the first activation (so that it holds the functions
 * activation compiled as well), and again whenever V8 rejects it (another VS Code, another V8).
 * It lives in the extension's own folder, which belongs to the user; where that folder cannot be
 * written, the extension simply loads without a cache.
 */
import { readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { join } from 'node:path';
import { Script } from 'node:vm';
import type * as Main from './extension';

const MAIN = join(__dirname, 'main.js');
/** One file per V8 version: two VS Code versions sharing the extension folder do not evict each other. */
const CACHE = join(__dirname, `main.${process.versions.v8.replace(/[^\w.-]/g, '_')}.cache`);
/** After activation: the client has started the server by then, its functions are compiled. */
const WRITE_DELAY_MS = Number(process.env['DOCKSMITH_CODE_CACHE_DELAY_MS'] ?? 3000);

function readCache(): Buffer | undefined {
  try {
    return readFileSync(CACHE);
  } catch {
    return undefined;
  }
}

function writeCache(script: Script): void {
  const tmp = `${CACHE}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, script.createCachedData());
    renameSync(tmp, CACHE); // atomic: two windows activating at once never read half a file
  } catch {
    try {
      unlinkSync(tmp);
    } catch {
      // nothing was written
    }
  }
}

function load(): typeof Main {
  const source = readFileSync(MAIN, 'utf8');
  const cachedData = readCache();
  const script = new Script(Module.wrap(source), { filename: MAIN, cachedData });
  const module = { exports: {} as typeof Main };
  const wrapper = script.runInThisContext() as (
    exports: unknown,
    require: NodeJS.Require,
    module: unknown,
    filename: string,
    dirname: string,
  ) => void;
  // This module's own `require`: VS Code resolves `vscode` for requests from the extension's folder.
  wrapper.call(module.exports, module.exports, require, module, MAIN, __dirname);
  if (cachedData === undefined || script.cachedDataRejected === true)
    setTimeout(() => writeCache(script), WRITE_DELAY_MS);
  return module.exports;
}

const main = load();

export const activate: typeof Main.activate = (context) => main.activate(context);
export const deactivate: typeof Main.deactivate = () => main.deactivate();
