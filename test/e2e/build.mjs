// Bundles the editor test suite: test/e2e/suite/index.ts (the mocha runner) and every *.test.ts beside it, each to
// test/out/e2e/<name>.js (CommonJS, Node 20, `vscode` and `mocha` external). One file per test keeps the output
// usable by @vscode/test-cli (.vscode-test.mjs) as well as by our launcher, which loads index.js.
// Usage: node test/e2e/build.mjs
import * as esbuild from 'esbuild';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const suiteDir = join(here, 'suite');
export const outDir = join(here, '..', 'out', 'e2e');
export const suiteIndex = join(outDir, 'index.js');

export async function buildSuite() {
  const entryPoints = readdirSync(suiteDir)
    .filter((name) => name === 'index.ts' || name.endsWith('.test.ts'))
    .sort()
    .map((name) => join(suiteDir, name));
  await esbuild.build({
    entryPoints,
    outdir: outDir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: true,
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
  return suiteIndex;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const t0 = performance.now();
  await buildSuite();
  console.log(`esbuild: built the e2e suite in ${Math.round(performance.now() - t0)} ms`);
}
