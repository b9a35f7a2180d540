/**
 * A WebAssembly module's imported memory asks for a minimum size; web-tree-sitter's asks for 32 MB
 * (emscripten's default INITIAL_MEMORY), of which the parser uses a few hundred kilobytes before the
 * grammar is loaded (its own data and stack end at ~80 KB; it grows the memory as it needs more).
 * V8 counts a memory's whole size as external memory the moment it is made, and counts external
 * memory towards the old generation's limit: in the language server the 32 MB brought the first
 * full collection of the process forward to its start, or into the first analysis (7-15 ms of the
 * main thread; `--trace-gc`: "external memory pressure", then "GC in old space requested").
 */

/** 64 KiB. */
export const WASM_PAGE = 65536;

/**
 * A copy of the module `binary` whose one imported memory asks for `pages` pages at least, or
 * undefined when the module does not have exactly one or asks for `pages` or fewer already. The copy
 * keeps every other byte where it is: `pages`, smaller than the minimum it replaces, is written in
 * the same number of bytes, as LEB128 allows. Undefined, too, for anything it cannot read as a
 * module: the caller then uses the module as it is.
 */
export function withMinimumMemory(binary: Uint8Array, pages: number): Uint8Array | undefined {
  try {
    const at = memoryImportMinimum(binary);
    if (at === undefined || at.value <= pages) return undefined;
    const copy = new Uint8Array(binary);
    copy.set(leb128(pages, at.length), at.offset);
    return copy;
  } catch {
    return undefined;
  }
}

/** Where the minimum of the module's one imported memory is written: offset, byte length, value. */
function memoryImportMinimum(binary: Uint8Array): { offset: number; length: number; value: number } | undefined {
  const MAGIC = [0x00, 0x61, 0x73, 0x6d];
  if (binary.length < 8 || MAGIC.some((b, i) => binary[i] !== b)) return undefined;
  let p = 8;
  const byte = (): number => {
    if (p >= binary.length) throw new RangeError('past the end of the module');
    return binary[p++]!;
  };
  const u32 = (): number => {
    let value = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const b = byte();
      value += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return value;
    }
    throw new RangeError('an unsigned number of more than five bytes');
  };
  const skip = (n: number) => {
    if (p + n > binary.length) throw new RangeError('past the end of the module');
    p += n;
  };
  const limits = () => {
    const flags = byte();
    const start = p;
    const value = u32();
    const found = { offset: start, length: p - start, value };
    if (flags & 1) u32(); // maximum
    return found;
  };
  let memory: { offset: number; length: number; value: number } | undefined;
  let memories = 0;
  while (p < binary.length) {
    const id = byte();
    const size = u32();
    const end = p + size;
    if (id === 2) {
      // The import section: module name, field name, kind, description.
      for (let count = u32(); count > 0; count--) {
        skip(u32());
        skip(u32());
        const kind = byte();
        if (kind === 0)
          u32(); // function: type index
        else if (kind === 1) {
          byte(); // table: element type, then limits
          limits();
        } else if (kind === 2) {
          memory = limits();
          memories++;
        } else if (kind === 3) {
          byte(); // global: value type, mutability
          byte();
        } else return undefined; // a kind this reader does not know
      }
      return memories === 1 ? memory : undefined;
    }
    if (end > binary.length) return undefined;
    p = end;
  }
  return undefined;
}

/** `value` as unsigned LEB128 in exactly `length` bytes (padded with continuation bytes); it must fit. */
function leb128(value: number, length: number): number[] {
  const out: number[] = [];
  let rest = value;
  for (let i = 0; i < length; i++) {
    const last = i === length - 1;
    out.push((rest & 0x7f) | (last ? 0 : 0x80));
    rest = Math.floor(rest / 128);
  }
  return out;
}
