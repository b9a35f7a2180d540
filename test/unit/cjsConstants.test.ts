// scripts/cjs-constants.mjs: the server's imports of CommonJS packages read constants, not getters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { runInThisContext } from 'node:vm';
import Module, { createRequire } from 'node:module';
import * as esbuild from 'esbuild';
import { cjsConstantsPlugin, constantsModule } from '../../scripts/cjs-constants.mjs';
import { REPO } from '../helpers/service';

const load = createRequire(join(REPO, 'package.json'));

/**
 * Bundles `files` (the first is the entry) from a fresh folder, with the plugin for `packages` under
 * `sources/`, and runs the bundle.
 */
async function bundle(
  files: Record<string, string>,
  packages: string[],
): Promise<{ code: string; exports: Record<string, unknown> }> {
  const dir = mkdtempSync(join(tmpdir(), 'docksmith-constants-test-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  const result = await esbuild.build({
    entryPoints: [join(dir, Object.keys(files)[0]!)],
    bundle: true,
    write: false,
    format: 'cjs',
    platform: 'node',
    // Left to the require() below, so that the values can be compared with the package's own.
    external: ['dockerfile-ast', 'dockerfile-utils', 'vscode-languageserver-types'],
    plugins: [cjsConstantsPlugin(packages, join(dir, 'sources') + sep)],
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.text;
  const module = { exports: {} as Record<string, unknown> };
  (runInThisContext(Module.wrap(code)) as (...args: unknown[]) => void)(module.exports, load, module, 'bundle.js', dir);
  return { code, exports: module.exports };
}

test('an import from the sources reads the very exports of the package, as constants', async () => {
  const { code, exports } = await bundle(
    {
      'sources/entry.ts': `import { Onbuild, DockerfileParser, Keyword } from 'dockerfile-ast';
        import { Range, DiagnosticSeverity } from 'vscode-languageserver-types';
        export const found = { Onbuild, DockerfileParser, Keyword, Range, DiagnosticSeverity };
        export const isOnbuild = (x: unknown) => x instanceof Onbuild;`,
    },
    ['dockerfile-ast', 'vscode-languageserver-types'],
  );
  const ast = load('dockerfile-ast') as Record<string, unknown>;
  const types = load('vscode-languageserver-types') as Record<string, unknown>;
  assert.deepEqual(exports['found'], {
    Onbuild: ast['Onbuild'],
    DockerfileParser: ast['DockerfileParser'],
    Keyword: ast['Keyword'],
    Range: types['Range'],
    DiagnosticSeverity: types['DiagnosticSeverity'],
  });
  const parsed = (ast['DockerfileParser'] as { parse(t: string): { getInstructions(): unknown[] } }).parse(
    'FROM a\nONBUILD RUN b\n',
  );
  assert.equal((exports['isOnbuild'] as (x: unknown) => boolean)(parsed.getInstructions()[1]), true);
  // The uses read a constant: no namespace object of the package is left to read them through.
  assert.doesNotMatch(code, /import_dockerfile_ast\d*\.|import_vscode_languageserver_types\d*\./);
  assert.match(code, /\/\/ docksmith-cjs-constants:dockerfile-ast/);
});

test('imports from outside the sources, and other packages, are left to esbuild', async () => {
  const { code, exports } = await bundle(
    {
      'entry.ts': `import { Onbuild } from 'dockerfile-ast';
        import { value } from './sources/inner';
        export const found = { Onbuild, value };`,
      'sources/inner.ts': `import { Range } from 'vscode-languageserver-types';
        export const value = Range;`,
    },
    ['dockerfile-utils'],
  );
  assert.deepEqual(exports['found'], {
    Onbuild: (load('dockerfile-ast') as Record<string, unknown>)['Onbuild'],
    value: (load('vscode-languageserver-types') as Record<string, unknown>)['Range'],
  });
  assert.doesNotMatch(code, /\/\/ docksmith-cjs-constants:/);
});

test('the constants module names every identifier export and nothing else', () => {
  assert.equal(
    constantsModule('x', ['a', '__esModule', 'default', 'b$', 'not-a-name']),
    'const pkg = require("x");\nexport const { a, b$ } = pkg;\n',
  );
  assert.throws(() => constantsModule('x', ['default']), /no exports/);
});

test('the sources read the copy of a package that the libraries require, not its ES module build', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'docksmith-constants-test-'));
  mkdirSync(join(dir, 'sources'));
  mkdirSync(join(dir, 'library'));
  // vscode-languageserver-types has both: `import` resolves to lib/esm, `require` to lib/umd.
  writeFileSync(join(dir, 'library', 'index.js'), "module.exports = require('vscode-languageserver-types').Range;");
  writeFileSync(
    join(dir, 'sources', 'entry.ts'),
    `import { Range } from 'vscode-languageserver-types';
     import required from '../library/index.js';
     export const same = Range === required;`,
  );
  const result = await esbuild.build({
    entryPoints: [join(dir, 'sources', 'entry.ts')],
    bundle: true,
    write: false,
    format: 'cjs',
    platform: 'node',
    nodePaths: [join(REPO, 'node_modules')],
    plugins: [cjsConstantsPlugin(['vscode-languageserver-types'], join(dir, 'sources') + sep)],
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.text;
  const module = { exports: {} as Record<string, unknown> };
  (runInThisContext(Module.wrap(code)) as (...args: unknown[]) => void)(module.exports, load, module, 'bundle.js', dir);
  assert.equal(module.exports['same'], true);
  assert.doesNotMatch(code, /lib\/esm\/main\.js/);
});
