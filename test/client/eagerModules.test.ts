// scripts/eager-modules.mjs rewrites esbuild's CommonJS module factories as parenthesized function
// expressions, so that V8 compiles them with the bundle (esbuild.mjs runs it on the client bundle).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInThisContext } from 'node:vm';
import Module from 'node:module';
import * as esbuild from 'esbuild';
import { eagerModuleFactories, generatedColumns, type SourceMap } from '../../scripts/eager-modules.mjs';
import { REPO } from '../helpers/service';

/**
 * CommonJS modules: one reads `arguments` (left as an arrow: a function has its own), one spans
 * several lines. (esbuild already turns a module's top-level `this` into `exports`.)
 */
function bundle(): { code: string; map: SourceMap } {
  const dir = mkdtempSync(join(tmpdir(), 'docksmith-eager-'));
  writeFileSync(
    join(dir, 'a.js'),
    "const b = require('./b');\nconst c = require('./c');\nexports.sum = (x) => b.twice(x) + c.self;\n",
  );
  writeFileSync(join(dir, 'b.js'), 'exports.twice = function (x) {\n  return `${x}`.length * 2 * x;\n};\n');
  writeFileSync(join(dir, 'c.js'), 'exports.self = arguments.length;\n');
  writeFileSync(join(dir, 'entry.js'), "module.exports = require('./a');\n");
  const result = esbuild.buildSync({
    entryPoints: [join(dir, 'entry.js')],
    bundle: true,
    format: 'cjs',
    platform: 'node',
    minify: true,
    sourcemap: 'external',
    outfile: join(dir, 'out.js'),
    write: false,
  });
  const text = (suffix: string) => result.outputFiles.find((f) => f.path.endsWith(suffix))!.text;
  return { code: text('out.js'), map: JSON.parse(text('out.js.map')) as SourceMap };
}

function run(code: string): { sum: (x: number) => number } {
  const wrapper = runInThisContext(Module.wrap(code)) as (...args: unknown[]) => void;
  const module = { exports: {} as { sum: (x: number) => number } };
  wrapper.call(module.exports, module.exports, require, module, 'out.js', '.');
  return module.exports;
}

test('module factories become parenthesized functions; one that reads `arguments` stays an arrow', () => {
  const { code } = bundle();
  const out = eagerModuleFactories(code);
  assert.equal(out.factories, 2, 'a and b (esbuild inlines the entry module)');
  assert.equal(out.skipped, 1, 'c reads `arguments`');
  assert.equal((out.code.match(/\(\(function\(/g) ?? []).length, 2);
  assert.equal(run(out.code).sum(3), run(code).sum(3));
  assert.equal(run(out.code).sum(3), 11);
});

test('every source map position still points at the same code', () => {
  const { code, map } = bundle();
  const out = eagerModuleFactories(code, map);
  const before = generatedColumns(map.mappings);
  const after = generatedColumns(out.map!.mappings);
  const lines = (text: string) => text.split('\n');
  const [oldLines, newLines] = [lines(code), lines(out.code)];
  let checked = 0;
  before.forEach((columns, line) => {
    assert.equal(after[line]!.length, columns.length);
    columns.forEach((column, i) => {
      const moved = after[line]![i]!;
      // A segment inside a replaced arrow head, `(exports,module)=>`, moves to its replacement.
      if (newLines[line]!.startsWith('(function(', moved)) return;
      assert.equal(newLines[line]![moved], oldLines[line]![column], `${line}:${column}`);
      checked++;
    });
  });
  assert.ok(checked > 10, `${checked} segments checked`);
  assert.deepEqual({ ...out.map, mappings: '' }, { ...map, mappings: '' }, 'only the mappings change');
});

test('the built client bundle has no arrow factory left', () => {
  // `npm test` builds first: running the rewrite again finds only rewritten factories.
  const out = eagerModuleFactories(readFileSync(join(REPO, 'client', 'out', 'main.js'), 'utf8'));
  assert.equal(out.factories, 0);
  assert.equal(out.skipped, 0);
});

test("a bundle without esbuild's helper is refused, not passed through", () => {
  assert.throws(() => eagerModuleFactories('module.exports = 1;\n'), /__commonJS helper was not found/);
});
