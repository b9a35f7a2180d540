/**
 * Runs a CommonJS bundle through a V8 code cache kept next to it: the client's entry point
 * (client/src/loader.ts) and the language server's (server/src/loader.ts) use it.
 *
 * Without a cache, V8 pre-parses the whole bundle, then compiles each function the first time it
 * runs. The cache, written a moment after start (so that it holds the functions the first minutes
 * compiled: activation, a first analysis), lets later starts skip both (docs/performance.md,
 * "Activation" and "Code cache"). It is written once, and again whenever V8 rejects it (another
 * VS Code, another V8, another build, other V8 flags); one file per V8 version, so that two VS Code
 * versions sharing the extension folder do not evict each other. It lives in the extension's own
 * folder, which belongs to the user; where that folder cannot be written, the bundle simply loads
 * without a cache. No I/O error is ever raised from here but the bundle's own.
 *
 * A script run this way has no way to `import()` (Node's loader is not asked): a bundle loaded here
 * must have none (esbuild.mjs turns the server's into `require`s).
 */
import { readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';

export interface CodeCacheOptions {
  /** The bundle to run (CommonJS). */
  readonly main: string;
  /** How long after loading to write the cache, when there is none or V8 rejected it (ms). */
  readonly writeDelayMs: number;
  /** The `require` the bundle gets (the caller's: it resolves as the caller would). */
  readonly require: NodeJS.Require;
}

/** `main.js` -> `main.<V8 version>.cache`, next to it. */
export function codeCachePath(main: string): string {
  return join(dirname(main), `${basename(main, '.js')}.${process.versions.v8.replace(/[^\w.-]/g, '_')}.cache`);
}

function readCache(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

function writeCache(script: Script, path: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, script.createCachedData());
    renameSync(tmp, path); // atomic: two processes starting at once never read half a file
  } catch {
    try {
      unlinkSync(tmp);
    } catch {
      // nothing was written
    }
  }
}

/** Runs the bundle and returns its exports. */
export function runWithCodeCache<T>(options: CodeCacheOptions): T {
  const { main } = options;
  const cache = codeCachePath(main);
  const source = readFileSync(main, 'utf8');
  const cachedData = readCache(cache);
  const script = new Script(Module.wrap(source), { filename: main, cachedData });
  const module = { exports: {} as T };
  const wrapper = script.runInThisContext() as (
    exports: unknown,
    require: NodeJS.Require,
    module: unknown,
    filename: string,
    dirname: string,
  ) => void;
  wrapper.call(module.exports, module.exports, options.require, module, main, dirname(main));
  if (cachedData === undefined || script.cachedDataRejected === true)
    setTimeout(() => writeCache(script, cache), options.writeDelayMs);
  return module.exports;
}
