/**
 * The extension's entry point (package.json `main`): loads the client bundle (`main.js`, built from
 * extension.ts) through a V8 code cache kept next to it (server/src/codeCache.ts).
 *
 * Most of the client's load time is V8 compiling vscode-languageclient, what of it the bundle keeps
 * (scripts/trim-language-client.mjs, which also has its re-exports copy values instead of making
 * getters). Its module factories are compiled with the bundle (scripts/eager-modules.mjs, at build
 * time), and a first activation takes ~40 ms. With the code V8 compiled the first time, later
 * activations skip most of it: ~25 ms (docs/performance.md, "Activation").
 * The cache is written 3 s after activation, so that it holds the functions activation compiled too.
 */
import { join } from 'node:path';
import { runWithCodeCache } from '../../server/src/codeCache';
import type * as Main from './extension';

const main = runWithCodeCache<typeof Main>({
  main: join(__dirname, 'main.js'),
  writeDelayMs: Number(process.env['DOCKSMITH_CODE_CACHE_DELAY_MS'] ?? 3000),
  // This module's own `require`: VS Code resolves `vscode` for requests from the extension's folder.
  require,
});

export const activate: typeof Main.activate = (context) => main.activate(context);
export const deactivate: typeof Main.deactivate = () => main.deactivate();
