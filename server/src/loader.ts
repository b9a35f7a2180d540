/**
 * The language server's entry point (`server/out/server.js`, the `docksmith-langserver` command):
 * runs the server bundle (`langserver.js`, built from server.ts) through a V8 code cache kept next
 * to it (codeCache.ts). A fresh server otherwise compiles every function of the bundle it runs, in
 * the middle of the first analysis: the cache, written 20 s after start (the first document has been
 * analysed and edited by then: the functions that did it are in the cache), saves 40-80 ms of
 * start-up and 10-20% of the first analysis of every later start (docs/performance.md, "Code cache").
 *
 * V8 accepts a cache only under the flags it was made with, and the server sets two at run time:
 * they are set here, before the bundle is compiled.
 */
import { join } from 'node:path';
import { runWithCodeCache } from './codeCache';
import { exposeGc, keepWasmOnBaselineCompiler } from './v8Flags';

keepWasmOnBaselineCompiler();
exposeGc();
runWithCodeCache({
  main: join(__dirname, 'langserver.js'),
  writeDelayMs: Number(process.env['DOCKSMITH_CODE_CACHE_DELAY_MS'] ?? 20_000),
  require,
});
