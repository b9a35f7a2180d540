// server/src/service/wasmMemory.ts: a module's imported memory asks for less at start, every other
// byte of the module as it was; anything it cannot read is left alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ShellParser } from '../../server/src/service/shell';
import { withMinimumMemory, WASM_PAGE } from '../../server/src/service/wasmMemory';
import { REPO, shellParser } from '../helpers/service';

/** The WebAssembly API of Node (the tests' TypeScript settings carry no DOM types for it). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => object;
  Table: new (descriptor: { initial: number; element: string }) => object;
  Memory: new (descriptor: { initial: number; maximum: number }) => object;
  LinkError: new () => Error;
  validate(bytes: Uint8Array): boolean;
}
const Wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

const leb = (n: number): number[] => {
  const out: number[] = [];
  do {
    const byte = n & 0x7f;
    n = Math.floor(n / 128);
    out.push(n > 0 ? byte | 0x80 : byte);
  } while (n > 0);
  return out;
};
const name = (s: string): number[] => [...leb(s.length), ...Buffer.from(s)];
const section = (id: number, body: number[]): number[] => [id, ...leb(body.length), ...body];

/** A module that imports a function, a global, a table and a memory of `minimum` pages at least. */
function moduleImporting(minimum: number, memories = 1): Uint8Array {
  const memory = [...name('env'), ...name('memory'), 0x02, 0x01, ...leb(minimum), ...leb(32768)];
  const imports = [
    ...[...name('env'), ...name('f'), 0x00, 0x00],
    ...[...name('env'), ...name('g'), 0x03, 0x7f, 0x00],
    ...[...name('env'), ...name('t'), 0x01, 0x70, 0x00, 0x01],
    ...Array.from({ length: memories }, () => memory).flat(),
  ];
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, [0x01, 0x60, 0x00, 0x00]),
    ...section(2, [...leb(3 + memories), ...imports]),
  ]);
}

function instantiate(binary: Uint8Array, pages: number): void {
  new Wasm.Instance(new Wasm.Module(binary), {
    env: {
      f: () => undefined,
      g: 1,
      t: new Wasm.Table({ initial: 1, element: 'anyfunc' }),
      memory: new Wasm.Memory({ initial: pages, maximum: 32768 }),
    },
  });
}

test("a module's imported memory asks for fewer pages, in the same bytes", () => {
  const original = moduleImporting(512);
  assert.throws(() => instantiate(original, 16), Wasm.LinkError);
  const smaller = withMinimumMemory(original, 16)!;
  assert.ok(smaller, 'rewritten');
  assert.equal(smaller.length, original.length);
  assert.notEqual(smaller, original, 'a copy');
  assert.equal(original.at(-5), 0x80, 'the original is left as it was');
  assert.equal(smaller.filter((b, i) => b !== original[i]).length, 2, 'only the minimum changes');
  instantiate(smaller, 16);
  // Padded: 16 in the two bytes 512 took.
  assert.deepEqual([...smaller.slice(-5, -3)], [0x90, 0x00]);
});

test('anything else is left alone', () => {
  assert.equal(withMinimumMemory(moduleImporting(16), 16), undefined, 'asks for no more already');
  assert.equal(withMinimumMemory(moduleImporting(8), 16), undefined, 'asks for less');
  assert.equal(withMinimumMemory(moduleImporting(512, 2), 16), undefined, 'two memories');
  assert.equal(withMinimumMemory(moduleImporting(512, 0), 16), undefined, 'no memory');
  assert.equal(withMinimumMemory(moduleImporting(512).slice(0, -4), 16), undefined, 'cut short');
  assert.equal(withMinimumMemory(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]), 16), undefined, 'not a module');
  assert.equal(withMinimumMemory(new Uint8Array(), 16), undefined, 'empty');
});

test("web-tree-sitter's runtime is rewritten, and the shell parser works past its first megabyte", async () => {
  const runtime = readFileSync(join(REPO, 'node_modules', 'web-tree-sitter', 'tree-sitter.wasm'));
  const pages = ShellParser.INITIAL_MEMORY_PAGES;
  const smaller = withMinimumMemory(runtime, pages);
  assert.ok(smaller, 'the runtime imports one memory of more than 1 MiB: it asks for less');
  assert.ok(Wasm.validate(smaller));
  assert.ok(pages * WASM_PAGE < 2 * 1024 * 1024);
  // A script whose tree needs far more memory than the runtime starts with.
  const lines = Array.from({ length: 4000 }, (_, i) => `case "$x" in a${i}) echo ${i} | tr a b ;; esac`);
  const root = (await shellParser()).treeSitterTree(lines.join('\n'));
  assert.equal(root.children.filter((c) => c.type === 'case_statement').length, 4000);
  assert.equal(
    root.children.some((c) => c.isError || c.isMissing),
    false,
  );
});
