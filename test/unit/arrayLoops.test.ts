// scripts/array-loops.mjs: the server's for...of loops over arrays become indexed loops, and do the same.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { runInNewContext } from 'node:vm';
import * as esbuild from 'esbuild';
import fc from 'fast-check';
import ts from 'typescript';
import { arrayLoopsPlugin, lowerArrayLoops } from '../../scripts/array-loops.mjs';

/** `code` as one file of a strict program, lowered. */
function lower(code: string): string {
  const name = '/virtual/loops.ts';
  const options: ts.CompilerOptions = {
    strict: true,
    target: ts.ScriptTarget.ES2022,
    noEmit: true,
    lib: ['lib.es2022.d.ts'],
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (file) => (file === name ? code : readFile(file));
  host.fileExists = (file) => file === name || ts.sys.fileExists(file);
  host.getSourceFile = (file, target, ...rest) =>
    file === name ? ts.createSourceFile(file, code, target) : getSourceFile(file, target, ...rest);
  const program = ts.createProgram({ rootNames: [name], options, host });
  const errors = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  assert.deepEqual(errors, [], 'the test program type-checks');
  return lowerArrayLoops(program.getSourceFile(name)!, program.getTypeChecker());
}

/** Runs `code` (TypeScript) and returns what it logged, as JSON (its objects are another realm's). */
function run(code: string): string[] {
  const logged: string[] = [];
  const js = ts.transpileModule(code, { compilerOptions: { target: ts.ScriptTarget.ES2022 } }).outputText;
  runInNewContext(js, { log: (...values: unknown[]) => logged.push(JSON.stringify(values)) });
  return logged;
}

const PRELUDE = 'declare function log(...values: unknown[]): void;\n';

/** Lowers `body`, checks that `lowered` loops were lowered and the rest kept, and that both log the same. */
function same(body: string, lowered: number): string {
  const code = PRELUDE + body;
  const out = lower(code);
  assert.equal(out.match(/__docksmithIndex\d+ = 0/g)?.length ?? 0, lowered, out);
  assert.equal(out.split('\n').length, code.split('\n').length, 'the lines stay where they were');
  assert.deepEqual(run(out), run(code));
  return out;
}

test('a loop over an array, a readonly array, a tuple or a union of arrays is lowered, and logs the same', () => {
  const out = same(
    `const xs: number[] = [1, 2, 3];
    const ys: readonly string[] = ['a', 'b'];
    const pair: [number, string] = [7, 'z'];
    const either: number[] | readonly string[] = Math.random() < 2 ? xs : ys;
    for (const x of xs) log('xs', x);
    for (const y of ys) { log('ys', y); }
    for (const p of pair) log('pair', p);
    for (let e of either) { e = String(e) + '!'; log('either', e); }
    for (const [k, v] of [[1, 'one'], [2, 'two']] as [number, string][]) log(k, v);
    for (const { a, b = 5 } of [{ a: 1 }, { a: 2, b: 3 }] as { a: number; b?: number }[]) log(a, b);`,
    6,
  );
  assert.doesNotMatch(out, /\bof\b/);
});

test('a Map, a Set, a string, a generator and an iterator keep their for...of', () => {
  same(
    `const m = new Map([[1, 'a']]);
    const s = new Set(['x', 'y']);
    function* gen() { try { yield 1; yield 2; } finally { log('closed'); } }
    for (const [k, v] of m) log(k, v);
    for (const v of m.values()) log(v);
    for (const x of s) log(x);
    for (const c of 'a\\u{1F600}b') log(c);
    for (const g of gen()) { log(g); break; }
    for (const e of [3, 4].entries()) log(e);`,
    0,
  );
});

test('break, continue, labels, nested loops, closures and a comment before the body', () => {
  same(
    `const rows: number[][] = [[1, 2, 3], [4, 5], [], [6]];
    const later: (() => number)[] = [];
    outer: for (const row of rows)
      // a comment between the head and the body
      for (const cell of row) {
        if (cell === 2) continue;
        if (cell === 5) continue outer;
        if (cell === 6) break outer;
        later.push(() => cell);
        log(cell);
      }
    log(later.map((f) => f()));
    for (const x of [1, 2, 3]) for (const y of [x, x * 10]) log(y);
    function first(xs: readonly number[]): number | undefined { for (const x of xs) if (x > 1) return x; return undefined; }
    log(first([0, 1, 2, 3]));`,
    5,
  );
});

test('an array changed by the loop body is read as a for...of reads it', () => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: -3, max: 3 }), { maxLength: 8 }),
      fc.array(fc.constantFrom('push', 'pop', 'shift', 'unshift', 'splice', 'none'), { minLength: 1, maxLength: 4 }),
      (start, changes) => {
        const body = `const xs: number[] = ${JSON.stringify(start)};
        const changes: string[] = ${JSON.stringify(changes)};
        let turn = 0;
        for (const x of xs) {
          log(x, xs.length);
          const change = changes[turn++ % changes.length];
          if (turn > 20) break;
          if (change === 'push') xs.push(x + 1);
          else if (change === 'pop') xs.pop();
          else if (change === 'shift') xs.shift();
          else if (change === 'unshift') xs.unshift(x);
          else if (change === 'splice') xs.splice(1, 1);
        }
        log(xs);`;
        same(body, 1);
      },
    ),
    { numRuns: 60 },
  );
});

test('the plugin lowers the array loops of the TypeScript files under its folder only', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'docksmith-array-loops-test-'));
  mkdirSync(join(dir, 'src'));
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { strict: true, target: 'ES2022', module: 'commonjs', noEmit: true, types: [] },
      include: ['src/**/*.ts'],
    }),
  );
  writeFileSync(
    join(dir, 'src', 'entry.ts'),
    `import { total } from './other';\nconst seen = new Set<number>();\nfor (const x of [1, 2, 2]) seen.add(x);\nlet sum = 0;\nfor (const x of seen) sum += x;\nexport const result = [sum, total([4, 5])];\n`,
  );
  writeFileSync(
    join(dir, 'src', 'other.ts'),
    `export function total(xs: readonly number[]): number {\n  let t = 0;\n  for (const x of xs) t += x;\n  return t;\n}\n`,
  );
  const result = await esbuild.build({
    entryPoints: [join(dir, 'src', 'entry.ts')],
    bundle: true,
    write: false,
    format: 'cjs',
    platform: 'node',
    plugins: [arrayLoopsPlugin(join(dir, 'tsconfig.json'), join(dir, 'src') + sep)],
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.text;
  const module = { exports: {} as Record<string, unknown> };
  runInNewContext(code, { module, exports: module.exports });
  assert.equal(JSON.stringify(module.exports['result']), '[3,9]');
  assert.equal(code.match(/__docksmithIndex\d+ = 0/g)?.length, 2, code);
  assert.match(code, /for \(const x of seen\)/);
});
