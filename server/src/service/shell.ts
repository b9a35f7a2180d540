import { Language, Parser } from 'web-tree-sitter';
import type { TreeCursor } from 'web-tree-sitter';
import type { Instruction } from 'dockerfile-ast';
import { JSONInstruction, Onbuild, Run } from 'dockerfile-ast';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position, Range } from 'vscode-languageserver-types';
import { detach, lineStarts, TextCache } from './textCache';
import { countAtMost } from './sorted';
import { parseSimpleScript } from './shellFast';
import { WASM_PAGE, withMinimumMemory } from './wasmMemory';

/**
 * A node of a parsed shell script: a plain, immutable copy of tree-sitter-bash's syntax tree,
 * so the model can cache it without holding WASM memory. Offsets are into the script's text.
 */
export interface ShNode {
  readonly type: string;
  /** Named node (a grammar rule) or an anonymous token such as `&&`, `;`, `|`. */
  readonly named: boolean;
  /** The field name under the parent (`name`, `argument`, `redirect`, ...), if any. */
  readonly field: string | undefined;
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly children: readonly ShNode[];
  /** Set on every node but the root. */
  readonly parent: ShNode | undefined;
  readonly isError: boolean;
  readonly isMissing: boolean;
}

/** A parsed script: its own copy of the text, and the tree. */
export interface ParsedScript {
  readonly text: string;
  readonly root: ShNode;
}

/** The WASM binaries of web-tree-sitter and tree-sitter-bash; read by the server or CLI. */
export interface ShellParserWasm {
  readonly treeSitter: Uint8Array;
  readonly bash: Uint8Array;
}

/**
 * Thrown by ShellParser when a script needs tree-sitter and a deferred parser has not loaded it
 * yet: `loaded` settles once it has (or has failed to, see ShellParser.loadError). Whatever was
 * being computed can be computed again then: nothing is cached half-way (validationSteps() yields
 * `loaded` and runs the rule again; the server awaits it and answers the request again).
 */
export class ShellParserPending extends Error {
  constructor(readonly loaded: Promise<void>) {
    super('the shell parser is loading');
    this.name = 'ShellParserPending';
  }
}

/** web-tree-sitter's parser with the bash grammar, once loaded. */
interface TreeSitter {
  readonly parser: Parser;
  readonly symbols: Symbols;
}

/**
 * A POSIX shell parser: Docksmith's own reader (shellFast.ts) for the scripts it can read, which
 * are most, and tree-sitter-bash through web-tree-sitter for the others. Error tolerant.
 */
export class ShellParser {
  private treeSitter: TreeSitter | undefined;
  private loading: Promise<void> | undefined;
  private failure: unknown;

  private constructor(private readonly wasm: () => ShellParserWasm) {}

  /** The size web-tree-sitter's memory starts at, 1 MiB instead of 32 (wasmMemory.ts); it grows as the parser needs. */
  static readonly INITIAL_MEMORY_PAGES = 16;

  /** A parser with tree-sitter loaded (rejects if it cannot be). */
  static async create(wasm: ShellParserWasm): Promise<ShellParser> {
    const parser = new ShellParser(() => wasm);
    await parser.load();
    if (parser.failure !== undefined) throw parser.failure;
    return parser;
  }

  /**
   * A parser that loads tree-sitter (~6 MB of memory, ~10 ms) only when a script first
   * needs it; until then such a script throws ShellParserPending. `wasm` is called then, once.
   */
  static deferred(wasm: () => ShellParserWasm): ShellParser {
    return new ShellParser(wasm);
  }

  /** Whether tree-sitter is loaded (for tests and logs). */
  get loaded(): boolean {
    return this.treeSitter !== undefined;
  }

  /** Why tree-sitter could not be loaded, if it could not: scripts that need it then read as errors. */
  get loadError(): unknown {
    return this.failure;
  }

  /** Loads tree-sitter if it is not yet; never rejects (a failure is kept in loadError). */
  load(): Promise<void> {
    this.loading ??= this.init().catch((error: unknown) => {
      this.failure = error ?? new Error('the shell parser could not be loaded');
    });
    return this.loading;
  }

  private async init(): Promise<void> {
    const wasm = this.wasm();
    const pages = ShellParser.INITIAL_MEMORY_PAGES;
    const small = withMinimumMemory(wasm.treeSitter, pages);
    // emscripten's INITIAL_MEMORY: the size of the memory web-tree-sitter makes for the module.
    const options = small ? { wasmBinary: small, INITIAL_MEMORY: pages * WASM_PAGE } : { wasmBinary: wasm.treeSitter };
    await Parser.init(options as Parameters<typeof Parser.init>[0]);
    const language = await Language.load(wasm.bash);
    const parser = new Parser();
    parser.setLanguage(language);
    this.treeSitter = { parser, symbols: symbolsOf(language) };
  }

  /**
   * Parsed scripts by text, shared across document versions: an edit re-parses only the RUN bodies
   * it changed. Trees are immutable. Bounded by the total length of the cached texts (a tree's size
   * follows its text's), least recently used first out: every keystroke in a RUN makes a new text,
   * and a bound by count alone let long scripts fill the memory.
   */
  static readonly CACHE_CHARS = 1_000_000;
  private readonly cache = new TextCache<ParsedScript>(ShellParser.CACHE_CHARS);

  parse(text: string): ShNode {
    return this.script(text).root;
  }

  /**
   * The tree of `text`, and the text it was parsed from: a detached copy (see detach()), so what is
   * cached (the key, every node's text) never keeps alive the document version `text` was cut from.
   */
  script(text: string): ParsedScript {
    let script = this.cache.get(text);
    if (!script) {
      const own = detach(text);
      script = { text: own, root: parseSimpleScript(own) ?? this.treeSitterTree(own) };
      this.cache.set(own, script);
    }
    return script;
  }

  /** How much the parse cache holds (for tests). */
  get cacheStats(): { entries: number; chars: number } {
    return this.cache.stats;
  }

  /**
   * tree-sitter-bash's tree of `text`, copied (uncached). script() asks it only for the scripts that
   * parseSimpleScript() leaves to it; tests compare the two.
   */
  treeSitterTree(text: string): ShNode {
    const treeSitter = this.treeSitter;
    if (!treeSitter) {
      if (this.failure === undefined) throw new ShellParserPending(this.load());
      return unparsed(text);
    }
    const tree = treeSitter.parser.parse(text);
    if (!tree) throw new Error('shell parser returned no tree');
    const cursor = tree.walk();
    try {
      return copy(cursor, text, treeSitter.symbols, undefined, undefined);
    } finally {
      pending.length = 0; // empty already, unless the copy failed half-way
      cursor.delete();
      tree.delete();
    }
  }
}

/**
 * What a node's symbol (type id) says, read from the language once per symbol: its name and whether
 * it is named. Each read through the cursor is a call into WebAssembly (with the cursor copied into
 * its memory first), and the copy below made eight per node.
 */
interface Symbols {
  type(id: number): string;
  named(id: number): boolean;
}

function symbolsOf(language: Language): Symbols {
  const named = new Map<number, boolean>();
  return {
    // What TreeCursor.nodeType answers: the symbol's name, `ERROR` for the error symbol (65535).
    type: (id) => language.types[id] || 'ERROR',
    named: (id) => {
      let answer = named.get(id);
      if (answer === undefined) named.set(id, (answer = language.nodeTypeIsNamed(id)));
      return answer;
    },
  };
}

/** The children of a leaf: one shared, empty, frozen array. */
const NO_CHILDREN: readonly ShNode[] = Object.freeze([]);

/** A script tree-sitter could not be loaded to read: one error node over all of it (rules skip those). */
function unparsed(text: string): ShNode {
  return {
    type: 'ERROR',
    named: true,
    field: undefined,
    start: 0,
    end: text.length,
    text,
    children: NO_CHILDREN,
    parent: undefined,
    isError: true,
    isMissing: false,
  };
}

/** Children being collected, for every level of the copy at once (a stack). */
const pending: ShNode[] = [];

/**
 * The cursor's node and its descendants as plain objects (the tree's memory is freed after). A
 * cursor reads each node once, where `node.child(i)` builds a wrapper object per call. Each node's
 * children array is made at its exact length: an array grown by push() keeps room for 16 or more,
 * and most nodes have one to three children (a tenth of the memory a tree takes).
 */
function copy(
  cursor: TreeCursor,
  text: string,
  symbols: Symbols,
  parent: ShNode | undefined,
  field: string | undefined,
): ShNode {
  const symbol = cursor.nodeTypeId;
  const type = symbols.type(symbol);
  const start = cursor.startIndex;
  const end = cursor.endIndex;
  const result: { -readonly [K in keyof ShNode]: ShNode[K] } = {
    type,
    named: symbols.named(symbol),
    field,
    start,
    end,
    text: text.slice(start, end),
    children: NO_CHILDREN,
    parent,
    isError: type === 'ERROR',
    // A missing node (inserted by error recovery) is always empty.
    isMissing: start === end && cursor.nodeIsMissing,
  };
  if (cursor.gotoFirstChild()) {
    const first = pending.length;
    do pending.push(copy(cursor, text, symbols, result, cursor.currentFieldName ?? undefined));
    while (cursor.gotoNextSibling());
    cursor.gotoParent();
    result.children = pending.splice(first);
  }
  return result;
}

/**
 * Depth-first walk; return `false` from `visit` to skip a node's children. An index loop: a for-of
 * makes an iterator and a result object per child until V8 optimises the loop, and a first analysis
 * walks every tree before it does (16 of the ~240 MB a first analysis of a 20k-line file allocated).
 */
export function walk(node: ShNode, visit: (node: ShNode) => boolean | void): void {
  if (visit(node) === false) return;
  const children = node.children;
  for (let i = 0; i < children.length; i++) walk(children[i]!, visit);
}

/**
 * `compute` with its answer kept per node. Trees are immutable and shared by every document version
 * that holds the same script (the parser caches them by text), so after an edit only the RUN it
 * changed is computed again.
 */
export function perNode<V>(compute: (node: ShNode) => V): (node: ShNode) => V {
  const answers = new WeakMap<ShNode, V>();
  return (node) => {
    if (answers.has(node)) return answers.get(node) as V;
    const answer = compute(node);
    answers.set(node, answer);
    return answer;
  };
}

/**
 * findAll's answers per node and node types. Trees are immutable and shared across document versions
 * (the parser caches them by text), and many rules look for the same node types in the same trees.
 */
const found = new WeakMap<ShNode, Map<ReadonlySet<string> | string, readonly ShNode[]>>();

/** Every descendant (and the node itself) of the given types (kept with the node). */
export function findAll(node: ShNode, types: ReadonlySet<string> | string): readonly ShNode[] {
  let byTypes = found.get(node);
  const cached = byTypes?.get(types);
  if (cached) return cached;
  const out: ShNode[] = [];
  const match = typeof types === 'string' ? (t: string) => t === types : (t: string) => types.has(t);
  walk(node, (n) => {
    if (match(n.type)) out.push(n);
  });
  if (!byTypes) found.set(node, (byTypes = new Map()));
  byTypes.set(types, out);
  return out;
}

export function hasError(node: ShNode): boolean {
  let found = false;
  walk(node, (n) => {
    if (n.isError || n.isMissing) found = true;
    return !found;
  });
  return found;
}

/** A simple command's name as written (`apt-get`), or undefined when it is computed. */
export function commandName(command: ShNode): string | undefined {
  const name = command.children.find((c) => c.field === 'name');
  if (!name) return undefined;
  const word = name.children[0];
  return word && (word.type === 'word' || word.type === 'string' || word.type === 'raw_string')
    ? unquote(word.text)
    : name.text;
}

/** The arguments of a simple command, in order (not redirects, not assignments). */
export function commandArguments(command: ShNode): ShNode[] {
  return command.children.filter((c) => c.field === 'argument');
}

/** The literal value of a word when it has no expansion: quotes removed; undefined otherwise. */
export function literalWord(node: ShNode): string | undefined {
  switch (node.type) {
    case 'word':
    case 'number':
      return node.text.includes('\\') ? node.text.replace(/\\(.)/g, '$1') : node.text;
    case 'raw_string':
      return node.text.slice(1, -1);
    case 'string':
      return node.children.every((c) => !c.named || c.type === 'string_content') ? unquote(node.text) : undefined;
    case 'concatenation': {
      let out = '';
      for (const c of node.children) {
        const v = literalWord(c);
        if (v === undefined) return undefined;
        out += v;
      }
      return out;
    }
    default:
      return undefined;
  }
}

function unquote(text: string): string {
  if (text.length >= 2 && (text[0] === '"' || text[0] === "'") && text.endsWith(text[0]!)) return text.slice(1, -1);
  return text;
}

/**
 * A shell script as Docker hands it to `/bin/sh -c`: the instruction's body with line
 * continuations joined and comment lines dropped, or a heredoc body. Keeps the mapping back to
 * document offsets so findings get precise ranges.
 */
/** Maps a script offset to a document offset through the pieces of joinContinuations (sorted by `from`). */
export function mapScriptOffset(
  pieces: readonly { readonly from: number; readonly to: number }[],
  offset: number,
): number {
  let lo = 0;
  let hi = pieces.length - 1;
  let best = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (pieces[mid]!.from <= offset) {
      best = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  const piece = pieces[best]!;
  return piece.to + (offset - piece.from);
}

/**
 * Document positions of the offsets in one instruction's lines, without holding the document: a
 * script outlives its version when its instruction is reused (incrementalParse.ts), and must not
 * keep that version's whole text alive.
 */
class RegionPositions {
  private constructor(
    private readonly origin: number,
    private readonly firstLine: number,
    /** Offsets of the region's line starts, relative to `origin`. */
    private readonly starts: readonly number[],
  ) {}

  static of(document: TextDocument, startLine: number, end: number): RegionPositions {
    const origin = document.offsetAt({ line: startLine, character: 0 });
    return new RegionPositions(origin, startLine, lineStarts(document.getText().slice(origin, end)));
  }

  positionAt(offset: number): Position {
    const rel = Math.max(0, offset - this.origin);
    // The region's first line starts at 0: the last line starting at or before `rel`.
    const line = Math.max(0, countAtMost(this.starts, rel) - 1);
    return { line: this.firstLine + line, character: rel - this.starts[line]! };
  }
}

export class ShellScript {
  readonly text: string;
  readonly root: ShNode;

  constructor(
    readonly kind: 'body' | 'heredoc',
    parsed: ParsedScript,
    /** Document positions of document offsets: a TextDocument, or a RegionPositions for a cached script. */
    private readonly positions: { positionAt(offset: number): Position },
    /** Sorted pieces: script offset `from` maps to document offset `to`. */
    private readonly pieces: readonly { readonly from: number; readonly to: number }[],
  ) {
    this.text = parsed.text;
    this.root = parsed.root;
  }

  /**
   * The document offset of a script offset, in the document version the script was read from (a
   * script is reused by later versions when its instruction is unchanged, where offsets may have
   * moved): only for this script's own positions.
   */
  private documentOffset(offset: number): number {
    return mapScriptOffset(this.pieces, offset);
  }

  /** The document range of script offsets [start, end). */
  range(start: number, end: number): Range {
    const s = this.documentOffset(start);
    // Map the last character, not the position after it, so a range never spans a dropped line.
    const e = end > start ? this.documentOffset(end - 1) + 1 : s;
    return { start: this.positions.positionAt(s), end: this.positions.positionAt(e) };
  }

  rangeOf(node: ShNode): Range {
    return this.range(node.start, node.end);
  }
}

const SHELL_KEYWORDS = new Set(['RUN', 'CMD', 'ENTRYPOINT']);

/** True when an instruction is in exec (JSON array) form. */
export function isExecForm(instruction: Instruction): boolean {
  return (
    instruction instanceof JSONInstruction &&
    instruction.getOpeningBracket() !== null &&
    instruction.getClosingBracket() !== null
  );
}

/** The instruction itself, or an ONBUILD's trigger. */
export function effectiveInstruction(instruction: Instruction): Instruction {
  if (instruction instanceof Onbuild) return instruction.getTriggerInstruction() ?? instruction;
  return instruction;
}

interface HeredocLike {
  getContentRange(): Range | null;
  getStartRange(): Range;
  getName(): string;
}

export function extractShellScripts(
  document: TextDocument,
  outer: Instruction,
  escape: string,
  parser: ShellParser,
): ShellScript[] {
  const instruction = effectiveInstruction(outer);
  if (!SHELL_KEYWORDS.has(instruction.getKeyword()) || isExecForm(instruction)) return [];
  const args = instruction.getArguments();
  if (args.length === 0) return [];
  const text = document.getText();
  const start = document.offsetAt(args[0]!.getRange().start);
  const end = document.offsetAt(instruction.getRange().end);
  const heredocs: HeredocLike[] = instruction instanceof Run ? instruction.getHeredocs() : [];
  const positions = RegionPositions.of(document, outer.getRange().start.line, end);
  if (heredocs.length > 0) {
    const firstLineEnd = text.indexOf('\n', start);
    const commandLine = text.slice(start, firstLineEnd < 0 ? end : firstLineEnd).trim();
    const onlyHeredocs = /^(<<-?\s*(["']?)[\w.-]+\2\s*)+$/.test(commandLine);
    if (onlyHeredocs) {
      // `RUN <<EOF`: each heredoc body is a script for the shell (unless its shebang says otherwise).
      const scripts: ShellScript[] = [];
      for (const heredoc of heredocs) {
        const range = heredoc.getContentRange();
        if (!range) continue;
        const from = document.offsetAt(range.start);
        const script = parser.script(text.slice(from, document.offsetAt(range.end)));
        const shebang = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(script.text);
        if (shebang) {
          const interpreter = (shebang[1]!.endsWith('/env') ? (shebang[2] ?? '') : shebang[1]!).split('/').pop()!;
          if (!/^(sh|bash|ash|dash|zsh|ksh)$/.test(interpreter)) continue;
        }
        scripts.push(new ShellScript('heredoc', script, positions, [{ from: 0, to: from }]));
      }
      return scripts;
    }
    // `RUN cmd <<EOF ...`: the shell reads the whole thing, heredocs included.
    return [new ShellScript('body', parser.script(text.slice(start, end)), positions, [{ from: 0, to: start }])];
  }
  const { body, pieces } = joinContinuations(text, start, end, escape);
  if (body.trim() === '') return [];
  return [new ShellScript('body', parser.script(body), positions, pieces)];
}

/**
 * Docker's line continuation: an escape character followed only by spaces/tabs at the end of a
 * line joins the next line (escape and newline removed, nothing inserted); within a
 * continuation, empty lines and lines starting with `#` are dropped.
 */
export function joinContinuations(
  text: string,
  start: number,
  end: number,
  escape: string,
): { body: string; pieces: { from: number; to: number }[] } {
  const pieces: { from: number; to: number }[] = [];
  let body = '';
  let pos = start;
  let first = true;
  while (pos < end) {
    let lineEnd = text.indexOf('\n', pos);
    if (lineEnd < 0 || lineEnd > end) lineEnd = end;
    let line = text.slice(pos, lineEnd);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (!first) {
      const trimmed = line.trimStart();
      if (trimmed === '' || trimmed.startsWith('#')) {
        pos = lineEnd + 1;
        continue;
      }
    }
    first = false;
    const stripped = line.replace(/[ \t]+$/, '');
    const continued = stripped.endsWith(escape) && lineEnd < end;
    const content = continued ? stripped.slice(0, -1) : line;
    pieces.push({ from: body.length, to: pos });
    body += content;
    if (!continued) break;
    pos = lineEnd + 1;
  }
  return { body, pieces };
}

/** Every simple command in a script, in source order (inside lists, pipelines, subshells, if/for bodies...). */
export function commands(root: ShNode): readonly ShNode[] {
  return findAll(root, 'command');
}

/**
 * A simple command's words: the name then the arguments, each its literal value, or undefined
 * where it has an expansion (`$x`, `$(...)`) the linter cannot know.
 */
export const commandWords = perNode((command): readonly (string | undefined)[] => {
  const words: (string | undefined)[] = [];
  for (const child of command.children) {
    if (child.field === 'name') words.push(child.children[0] ? literalWord(child.children[0]) : undefined);
    else if (child.field === 'argument') words.push(literalWord(child));
  }
  return words;
});

/** One string of an exec-form (JSON array) instruction, decoded from the document text. */
export interface ExecWord {
  readonly value: string;
  /** The string's range, quotes included. */
  readonly range: Range;
  /** Document offset of each character of `value`, plus one past the last. */
  readonly offsets: readonly number[];
}

/**
 * The decoded strings of an exec-form instruction. (dockerfile-ast's `getJSONValue()` drops the
 * whitespace inside strings: `"daemon off;"` comes back as `daemonoff;`.)
 */
export function execWords(document: TextDocument, instruction: Instruction): ExecWord[] {
  if (!(instruction instanceof JSONInstruction)) return [];
  const out: ExecWord[] = [];
  for (const arg of instruction.getJSONStrings()) {
    const range = arg.getRange();
    const start = document.offsetAt(range.start);
    const raw = document.getText(range);
    let value = '';
    const offsets: number[] = [];
    for (let i = 1; i < raw.length - 1; i++) {
      offsets.push(start + i);
      if (raw[i] !== '\\') {
        value += raw[i];
        continue;
      }
      const next = raw[i + 1] ?? '';
      if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(raw.slice(i + 2, i + 6))) {
        value += String.fromCharCode(parseInt(raw.slice(i + 2, i + 6), 16));
        i += 5;
      } else {
        value += ({ b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' } as Record<string, string>)[next] ?? next;
        i += 1;
      }
    }
    offsets.push(start + Math.max(raw.length - 1, 1));
    out.push({ value, range, offsets });
  }
  return out;
}
