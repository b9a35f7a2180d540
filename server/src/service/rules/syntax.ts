import {
  Add,
  Copy,
  DockerfileParser,
  PropertyInstruction,
  Run,
  type Dockerfile,
  type Flag,
  type Heredoc,
  type Instruction,
} from 'dockerfile-ast';
import { validate, ValidationCode, ValidationSeverity, type ValidatorSettings } from 'dockerfile-utils';
import '../validatorPatches';
import type { Diagnostic, Position, Range } from 'vscode-languageserver-types';
import type { Localized } from '../locale';
import type { DockerfileModel, Stage } from '../model';
import { effectiveInstruction } from '../shell';
import { defineRule } from './types';
import { INSTRUCTIONS } from '../keywords';
import { detach, lineStarts, TextCache } from '../textCache';
import { firstSegmentEndingAfter, type Segment } from '../incrementalParse';
import { countBelow } from '../sorted';
import { editDistance } from '../editDistance';

/**
 * dockerfile-utils' validator with what other Docksmith rules cover turned off: MAINTAINER
 * (maintainer-deprecated), repeated CMD/ENTRYPOINT/HEALTHCHECK (overridden-instruction), relative
 * WORKDIR (workdir-absolute), instruction casing (instruction-casing, BuildKit's logic). Empty
 * continuation lines and directive casing stay on: the warning-level rules `empty-continuation`
 * and `instruction-casing` read them from the same run.
 */
const SETTINGS: ValidatorSettings = {
  deprecatedMaintainer: ValidationSeverity.IGNORE,
  directiveCasing: ValidationSeverity.WARNING,
  emptyContinuationLine: ValidationSeverity.WARNING,
  instructionCasing: ValidationSeverity.IGNORE,
  instructionCmdMultiple: ValidationSeverity.IGNORE,
  instructionEntrypointMultiple: ValidationSeverity.IGNORE,
  instructionHealthcheckMultiple: ValidationSeverity.IGNORE,
  instructionJSONInSingleQuotes: ValidationSeverity.WARNING,
  instructionWorkdirRelative: ValidationSeverity.IGNORE,
};

const perScope = new WeakMap<DockerfileModel, WeakMap<readonly Instruction[], readonly Diagnostic[]>>();

/**
 * dockerfile-utils' diagnostics on the lines of one validation scope (`ctx.instructions` of a stage
 * rule: the instructions before the first FROM, or one stage), or of the whole file when given
 * `model.instructions`; computed once per model and scope, shared by the rules that read them.
 */
export function validatorDiagnostics(
  model: DockerfileModel,
  instructions: readonly Instruction[] = model.instructions,
): readonly Diagnostic[] {
  let byScope = perScope.get(model);
  if (!byScope) perScope.set(model, (byScope = new WeakMap()));
  let diagnostics = byScope.get(instructions);
  if (!diagnostics) {
    diagnostics =
      instructions === model.instructions && model.stages.length > 0
        ? model.scopes().flatMap((scope) => validatorDiagnostics(model, scope.instructions))
        : validateScope(model, instructions);
    byScope.set(instructions, diagnostics);
  }
  return diagnostics;
}

/**
 * dockerfile-utils' diagnostics on the lines before the first FROM (parser directives, global ARGs):
 * validated with the first stage, so this costs nothing more once that stage is validated.
 */
export function headerValidatorDiagnostics(model: DockerfileModel): readonly Diagnostic[] {
  const first = model.stages[0];
  if (!first) return validatorDiagnostics(model);
  const end = first.from.getRange().start.line;
  return validatorDiagnostics(model, first.instructions).filter((d) => d.range.start.line < end);
}

/**
 * dockerfile-utils' raw output per validated text, a chunk alone or a whole file: a chunk another
 * version or document validated alone, or a whole text opened again, is not validated again.
 * Bounded by the total length of the texts, least recently used first out.
 */
const textCache = new TextCache<readonly Diagnostic[]>(2_000_000);

function validateText(text: string, ast?: Dockerfile): readonly Diagnostic[] {
  let diagnostics = textCache.get(text);
  if (!diagnostics) {
    // A chunk's text is made of pieces of one version of the document: the cache keeps a copy of
    // its own (detach()). A whole text is the parse's own, kept by it anyway.
    const own = ast ? text : detach(text);
    diagnostics = validateWith(own, ast).map((d) => repaired(d, own));
    textCache.set(own, diagnostics);
  }
  return diagnostics;
}

/**
 * A dockerfile-utils diagnostic with its range repaired where the validator computes it wrong: the
 * unknown protocol of an EXPOSE of one letter (`EXPOSE 80/u`) ends, for dockerfile-utils, at twice
 * the argument's offset in the text, lines further on or at the end of the text, so the range (and
 * the message quoting it) depended on where the instruction was and on what followed it. It ends
 * where the argument does, as it does for a longer protocol.
 */
function repaired(d: Diagnostic, text: string): Diagnostic {
  if (d.code !== ValidationCode.INVALID_PROTO) return d;
  const { start, end } = d.range;
  const lineStart = lineStarts(text)[start.line];
  if (lineStart === undefined) return d;
  const from = lineStart + start.character;
  let to = from;
  while (to < text.length && !/\s/.test(text[to]!)) to++;
  const argumentEnd = start.character + (to - from);
  if (end.line === start.line && end.character <= argumentEnd) return d;
  return { ...d, range: { start, end: { line: start.line, character: argumentEnd } } };
}

/**
 * dockerfile-utils' validation of `text`; with `ast`, the parse of that very text, its validator
 * reads that instead of parsing the text again (it parses with DockerfileParser.parse, replaced for
 * the duration of this synchronous call). The model answers the AST's variable look-ups from its
 * own index (DockerfileModel's constructor); for this call the AST gets dockerfile-ast's own back,
 * so that the diagnostics are exactly those of a fresh parse (dockerfile-utils' `$VAR` checks read
 * them, and the two differ on an ARG that declares several variables).
 */
function validateWith(text: string, ast: Dockerfile | undefined): Diagnostic[] {
  if (!ast) return validate(text, SETTINGS);
  const parse = DockerfileParser.parse;
  const own = Object.getOwnPropertyDescriptor(ast, 'resolveVariable');
  DockerfileParser.parse = (content: string) => (content === text ? ast : parse.call(DockerfileParser, content));
  if (own) delete (ast as { resolveVariable?: unknown }).resolveVariable;
  try {
    return validate(text, SETTINGS);
  } finally {
    DockerfileParser.parse = parse;
    if (own) Object.defineProperty(ast, 'resolveVariable', own);
  }
}

/** A piece of a stage validated on its own (see validateScope). */
export interface Chunk {
  /**
   * What dockerfile-utils validates: the file's header; then, for a chunk inside its stage, the
   * stage's FROM and the stage's ENV/ARG lines before the chunk; then the chunk's own lines.
   */
  readonly text: string;
  /** The chunk's own lines in the document: [startLine, endLine). */
  readonly startLine: number;
  readonly endLine: number;
  /** Lines before the first FROM (the header, first in `text` too). */
  readonly headerEnd: number;
  /** Where the chunk's own lines start in `text`. */
  readonly bodyFirstLine: number;
  /** The header's diagnostics are kept from the first chunk of the first stage only. */
  readonly keepHeader: boolean;
}

/**
 * An edit should re-validate only what it changed: so each stage is validated on its own, and a big
 * stage in chunks: its parse segments. A chunk is the file's header (parser directives, global ARGs:
 * what FROM lines and the escape character depend on), then, when the chunk starts inside the
 * stage, the stage's FROM and its ENV and ARG instructions before the chunk (what the chunk's
 * variables resolve to), then the chunk's own lines, copied as they are so a diagnostic's line
 * maps back by an offset. Only diagnostics on the chunk's own lines are kept, plus the header's from
 * the first stage (the header alone, with no FROM, is validated only in a file without stages).
 * The checks that span stages (duplicate stage names, repeated CMD) are other rules' and are off.
 *
 * Of the header, a chunk other than the first stage's first carries only what its lines can read:
 * the lines before the first global instruction (parser directives, comments), then the global
 * ARGs (and what those read in turn) that the chunk, its FROM and its context name, or that an ARG
 * among them declares again. With the whole header in every chunk's text, an edit of any global ARG
 * changed every chunk of the file, and all were validated again (docs/performance.md: 383-393 ms for
 * such an edit of the generated 20k file, 192-197 without).
 *
 * A chunk whose segment and copied text are those of the document's version before is that
 * version's chunk (`KeptChunk`). Exported for the tests.
 */
export function chunksOf(model: DockerfileModel, instructions: readonly Instruction[]): Chunk[] {
  const text = model.text;
  const document = model.document;
  const firstStage = model.stages[0];
  const from = instructions[0];
  if (!firstStage || !from || from.getKeyword() !== 'FROM') return []; // the header: validated with the first stage
  const lineStart = (line: number) =>
    line >= document.lineCount ? text.length : document.offsetAt({ line, character: 0 });
  const headerEnd = firstStage.from.getRange().start.line;
  const header = text.slice(0, lineStart(headerEnd));
  const stage = model.stageOf(from);
  const scopeEnd = stageEnd(model, stage);
  const linesOf = (instruction: Instruction) =>
    text
      .slice(lineStart(instruction.getRange().start.line), lineStart(instruction.getRange().end.line + 1))
      .replace(/\r?\n?$/, '\n');
  const lineCount = (instruction: Instruction) =>
    instruction.getRange().end.line - instruction.getRange().start.line + 1;
  /** The lines of `copied` one after the other, and how many they are. */
  const copy = (copied: readonly Instruction[]): { text: string; lines: number } => {
    let copiedText = '';
    let lines = 0;
    for (const instruction of copied) {
      copiedText += linesOf(instruction);
      lines += lineCount(instruction);
    }
    return { text: copiedText, lines };
  };
  const globals = new Definitions(chainStart(model, 0), linesOf);
  for (const instruction of model.prologue) globals.add(instruction);
  const leadLines = model.prologue[0]?.getRange().start.line ?? headerEnd;
  const lead = text.slice(0, lineStart(leadLines));
  /** The header as a chunk read by `readers` carries it: its text and its number of lines. */
  const headerFor = (readers: readonly Instruction[]): { text: string; lines: number } => {
    const declared: string[] = [];
    for (const instruction of readers)
      if (instruction.getKeyword() === 'ARG') declared.push(...namesOf(instruction).defines);
    const globalsRead = copy(globals.readBy(readers, declared));
    return { text: lead + globalsRead.text, lines: leadLines + globalsRead.lines };
  };
  const out: Chunk[] = [];
  const stageStart = from.getRange().start.line;
  // The stage's FROM, then the ENV and ARG instructions before the chunk that the chunk's `$VAR`s
  // resolve to (an EXPOSE $port is checked once $port is known): of each name read, the last ENV and
  // the last ARG (Definitions.resolvedBy()). Every ENV and ARG of the stage made each chunk as long
  // as the stage above it (quadratic in a long stage: an ENV changed there changed the text of every
  // later chunk, validated again).
  const fromText = linesOf(from);
  const definitions = new Definitions(chainStart(model, 1 + (stage?.index ?? 0)), linesOf);
  /** The copies a kept chunk holds of the FROM's text and of the lines before the globals: one per call, shared. */
  let keptCopies: { readonly from: string; readonly lead: string } | undefined;
  let next = 1; // instructions[0] is the FROM
  // The chunks are the parse segments of the stage (a few instructions each, see incrementalParse.ts):
  // they survive an edit elsewhere in the stage, so their text, and so their validation, is cached.
  const segments = model.parsed.segments;
  for (let i = firstSegmentEndingAfter(segments, stageStart); i < segments.length; i++) {
    const segment = segments[i]!;
    if (segment.startLine >= scopeEnd) break;
    const startLine = Math.max(segment.startLine, stageStart);
    const endLine = Math.min(segment.endLine, scopeEnd);
    const first = startLine === stageStart;
    for (; next < instructions.length && instructions[next]!.getRange().start.line < startLine; next++)
      definitions.add(instructions[next]!);
    const keepHeader = first && stage?.index === 0;
    const ownText = text.slice(lineStart(startLine), lineStart(endLine));
    const kept = keptChunks.get(segment);
    if (
      kept &&
      kept.chunk.startLine === startLine &&
      kept.chunk.endLine === endLine &&
      kept.from === fromText &&
      kept.definitions === definitions.token &&
      kept.globals === globals.token &&
      kept.chunk.keepHeader === keepHeader &&
      kept.lead === lead &&
      kept.own === ownText &&
      (!keepHeader || kept.header === header)
    ) {
      out.push(kept.chunk);
      continue;
    }
    const own: Instruction[] = [];
    for (let j = next; j < instructions.length && instructions[j]!.getRange().start.line < endLine; j++)
      own.push(instructions[j]!);
    const contextInstructions = first ? [] : [from, ...definitions.resolvedBy(own)];
    const context = copy(contextInstructions);
    const head = keepHeader ? { text: header, lines: headerEnd } : headerFor([from, ...contextInstructions, ...own]);
    // Kept across versions (KeptChunk): every string here is a copy of its own (detach()), not a
    // slice of this version's text, which it would keep alive.
    const chunk: Chunk = {
      text: detach(head.text + context.text + ownText),
      startLine,
      endLine,
      headerEnd: head.lines,
      bodyFirstLine: head.lines + context.lines,
      keepHeader,
    };
    keptCopies ??= { from: detach(fromText), lead: detach(lead) };
    keptChunks.set(segment, {
      chunk,
      from: keptCopies.from,
      definitions: definitions.token,
      globals: globals.token,
      lead: keptCopies.lead,
      own: detach(ownText),
      header: keepHeader ? detach(header) : undefined,
    });
    out.push(chunk);
  }
  return out;
}

/**
 * A chunk kept with its parse segment, and what its text was made of: a later version of the
 * document lists the same chunk (the same string, whose hash V8 keeps, so that looking its results
 * up by text does not read it again) when the segment is the same object at the same lines (an edit
 * elsewhere: incrementalParse.ts) and what the chunk copies from elsewhere is the same text: the
 * stage's FROM, the stage's ENV and ARG instructions before the chunk, the global ones and the lines
 * before those. Listing the ~110 chunks of a 2,500-line stage anew for every keystroke in it was a
 * fifth of what validating such an edit cost.
 */
interface KeptChunk {
  readonly chunk: Chunk;
  /** The text of the stage's FROM. */
  readonly from: string;
  /** `Definitions.token` of the stage before the chunk, and the same of the global instructions. */
  readonly definitions: object;
  readonly globals: object;
  readonly lead: string;
  /** The chunk's own lines. */
  readonly own: string;
  /** The whole header, for the chunk that carries it. */
  readonly header: string | undefined;
}

const keptChunks = new WeakMap<Segment, KeptChunk>();

/**
 * Tokens for the definitions taken in so far (`Definitions.token`): the same object as long as the
 * same texts come in the same order, from one version of a document to the next, whichever
 * instruction objects carry them (a segment parsed again makes new ones for the same text). A
 * token keeps only its latest successor: what a chunk is compared with is the version before.
 * Each document has its own first tokens: one for the global instructions, one per stage (by index).
 */
interface Link {
  readonly text: string;
  readonly next: object;
}
const links = new WeakMap<object, Link>();
const chainStarts = new WeakMap<object, object[]>();

function chainStart(model: DockerfileModel, index: number): object {
  let starts = chainStarts.get(model.lineage);
  if (!starts) chainStarts.set(model.lineage, (starts = []));
  return (starts[index] ??= {});
}

function chained(token: object, text: string): object {
  const link = links.get(token);
  if (link && link.text === text) return link.next;
  const next = {};
  links.set(token, { text: detach(text), next });
  return next;
}

/** What an instruction defines (an ENV's or ARG's names) and the variables it reads. */
interface Names {
  readonly defines: readonly string[];
  /** `all` where the scan below cannot tell a name for sure: every definition is then context. */
  readonly reads: readonly string[] | 'all';
}

/** Kept with the instruction: it survives edits elsewhere (incrementalParse.ts), and every version lists the chunks again. */
const namesCache = new WeakMap<Instruction, Names>();

function namesOf(instruction: Instruction): Names {
  let names = namesCache.get(instruction);
  if (!names) {
    const keyword = instruction.getKeyword();
    const defines =
      (keyword === 'ENV' || keyword === 'ARG') && instruction instanceof PropertyInstruction
        ? instruction.getProperties().map((p) => p.getName())
        : [];
    namesCache.set(instruction, (names = { defines, reads: readNames(instruction.getTextContent()) }));
  }
  return names;
}

/** The ENV and ARG instructions of a stage so far, by the names they define. */
class Definitions {
  private readonly list: { readonly instruction: Instruction; readonly reads: Names['reads'] }[] = [];
  private readonly byName = new Map<string, number[]>();
  /**
   * The texts of the definitions taken in so far, as a token (`chained()`): equal tokens, equal
   * answers from readBy() and resolvedBy() for equal texts.
   */
  token: object;

  constructor(
    start: object,
    private readonly textOf: (instruction: Instruction) => string,
  ) {
    this.token = start;
  }

  /** Takes in the next instruction of the stage (one that defines nothing is left out). */
  add(instruction: Instruction): void {
    const { defines, reads } = namesOf(instruction);
    if (defines.length > 0) this.token = chained(this.token, this.textOf(instruction));
    for (const name of defines) {
      const indexes = this.byName.get(name);
      if (indexes) indexes.push(this.list.length);
      else this.byName.set(name, [this.list.length]);
    }
    if (defines.length > 0) this.list.push({ instruction, reads });
  }

  /**
   * The definitions, in order, of the names `instructions` read (and the names in `also`) and of the
   * names those definitions read in turn; all of them when a name cannot be told for sure.
   */
  readBy(instructions: readonly Instruction[], also: readonly string[] = []): Instruction[] {
    const wanted: string[] = [...also];
    let all = false;
    const want = (reads: Names['reads']): void => {
      if (reads === 'all') all = true;
      else wanted.push(...reads);
    };
    for (const instruction of instructions) want(namesOf(instruction).reads);
    const included = new Set<number>();
    const seen = new Set<string>();
    for (let name = wanted.pop(); name !== undefined && !all; name = wanted.pop()) {
      if (seen.has(name)) continue;
      seen.add(name);
      for (const index of this.byName.get(name) ?? [])
        if (!included.has(index)) {
          included.add(index);
          want(this.list[index]!.reads);
        }
    }
    return all ? this.every() : this.inOrder(included);
  }

  /**
   * What a stage's lines resolve the names `instructions` read from, in order: of each name, the
   * last ENV and the last ARG that define it (all the definitions when a name cannot be told for
   * sure). dockerfile-ast resolves a variable to the raw value of the last ENV property of its name
   * before the line, else of the last such ARG, and never expands that value further (its
   * `resolveVariable()`, `getExpandedArguments()`; whether a name is a build argument: an ARG of it
   * before the line); so neither earlier definitions of the name nor what a definition's own value
   * reads change what the lines are told. Copying those too (`readBy()`) made a chunk's context
   * grow with its place in a long stage where each block sets `PATH=...:$PATH` again: 30 lines in the
   * middle of a 2,500-line stage, up to 707 in a 10,000-line one, parsed and validated again with
   * each edit of the chunk.
   */
  resolvedBy(instructions: readonly Instruction[]): Instruction[] {
    const included = new Set<number>();
    const seen = new Set<string>();
    for (const instruction of instructions) {
      const reads = namesOf(instruction).reads;
      if (reads === 'all') return this.every();
      for (const name of reads) {
        const indexes = this.byName.get(name);
        if (!indexes || seen.has(name)) continue;
        seen.add(name);
        let env = false;
        let arg = false;
        for (let i = indexes.length - 1; i >= 0 && !(env && arg); i--) {
          const keyword = this.list[indexes[i]!]!.instruction.getKeyword();
          if (keyword === 'ENV' ? env : arg) continue;
          if (keyword === 'ENV') env = true;
          else arg = true;
          included.add(indexes[i]!);
        }
      }
    }
    return this.inOrder(included);
  }

  /** Every definition taken in, in order. */
  private every(): Instruction[] {
    return this.list.map((d) => d.instruction);
  }

  /** The definitions at `indexes` of the list, in order. */
  private inOrder(indexes: ReadonlySet<number>): Instruction[] {
    return [...indexes].sort((a, b) => a - b).map((index) => this.list[index]!.instruction);
  }
}

const isNameChar = (c: number): boolean =>
  (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;

/**
 * The names of `$NAME` and `${NAME}` / `${NAME:...}` in an instruction's text: dockerfile-ast's
 * variables (Instruction.getVariables(), which also resolves each: too slow to ask of every
 * instruction of every version), and some it does not count (an escaped `$`, a comment line), which
 * only add a definition to a chunk's context. `all` for a name it could read differently: one
 * continued on the next line, a `${` not closed right after a plain name.
 */
function readNames(text: string): readonly string[] | 'all' {
  const names: string[] = [];
  for (let i = text.indexOf('$'); i !== -1; i = text.indexOf('$', i + 1)) {
    const braced = text.charCodeAt(i + 1) === 0x7b; /* { */
    const start = braced ? i + 2 : i + 1;
    let end = start;
    while (end < text.length && isNameChar(text.charCodeAt(end))) end++;
    const next = text[end];
    if (braced ? end === start || (next !== '}' && next !== ':') : next === '\\' || next === '`') return 'all';
    if (end > start) names.push(text.slice(start, end));
  }
  return names;
}

const shiftLines = (d: Diagnostic, by: number): Diagnostic =>
  by === 0
    ? d
    : {
        ...d,
        range: {
          start: { line: d.range.start.line + by, character: d.range.start.character },
          end: { line: d.range.end.line + by, character: d.range.end.character },
        },
      };

function validateScope(model: DockerfileModel, instructions: readonly Instruction[]): Diagnostic[] {
  if (model.stages.length === 0) return [...validateText(model.text, wholeFileAst(model))];
  const ast = wholeFileAst(model);
  if (ast) return wholeFileScope(model, ast, instructions);
  const whole = wholeFileResults(model);
  const out: Diagnostic[] = [];
  for (const chunk of chunksOf(model, instructions)) {
    const shift = chunk.startLine - chunk.bodyFirstLine;
    const results = whole?.get(chunk.text) ?? validateText(chunk.text);
    for (const d of results) {
      const line = d.range.start.line;
      if (line < chunk.headerEnd) {
        if (chunk.keepHeader) out.push(d);
        continue;
      }
      if (line < chunk.bodyFirstLine) continue; // the copied FROM, ENV and ARG lines of the stage
      out.push(shiftLines(d, shift));
    }
  }
  return out;
}

/**
 * A version parsed in one piece (a first analysis, an edit in the parser directives) is validated
 * as a whole, once, with its own parse: a scope takes the whole file's diagnostics on its lines (and
 * the first stage those of the header), without the chunks, which only later versions need
 * (`wholeFileResults`).
 */
function wholeFileScope(model: DockerfileModel, ast: Dockerfile, instructions: readonly Instruction[]): Diagnostic[] {
  const from = instructions[0];
  const firstStage = model.stages[0];
  if (!firstStage || !from || from.getKeyword() !== 'FROM') return []; // the header: with the first stage
  const { diagnostics, lines } = sortedByLine(model, ast);
  const linesIn = (start: number, end: number) => diagnostics.slice(countBelow(lines, start), countBelow(lines, end));
  const stage = model.stageOf(from);
  const out = stage?.index === 0 ? linesIn(0, firstStage.from.getRange().start.line) : [];
  out.push(...linesIn(from.getRange().start.line, stageEnd(model, stage)));
  return out;
}

/** The whole file's diagnostics in the order of their lines (the validator's order on a line), and those lines. */
interface ByLine {
  readonly diagnostics: readonly Diagnostic[];
  readonly lines: readonly number[];
}

const sortedPerModel = new WeakMap<DockerfileModel, ByLine>();

function sortedByLine(model: DockerfileModel, ast: Dockerfile): ByLine {
  let sorted = sortedPerModel.get(model);
  if (!sorted) {
    const diagnostics = [...validateText(model.text, ast)].sort((a, b) => a.range.start.line - b.range.start.line);
    sorted = { diagnostics, lines: diagnostics.map((d) => d.range.start.line) };
    sortedPerModel.set(model, sorted);
    pendingSplits.set(model.lineage, model); // the split by chunk, for the document's later versions
  }
  return sorted;
}

/**
 * The model's own parse of its whole text, when this version was parsed in one piece (a first
 * analysis, or an edit in the parser directives): dockerfile-utils may validate with it instead of
 * parsing the same text again.
 */
function wholeFileAst(model: DockerfileModel): Dockerfile | undefined {
  return model.parsed.stats.kind === 'full' ? model.parsed.segments[0]?.ast : undefined;
}

/**
 * Per document (`DockerfileModel.lineage`): the chunks' results of the last version validated as a
 * whole, by chunk text; or, until a later version asks for them, that version itself.
 */
const wholeFileSplits = new WeakMap<object, ReadonlyMap<string, readonly Diagnostic[]>>();
const pendingSplits = new WeakMap<object, DockerfileModel>();

/**
 * The chunks' results from the document's last whole-file validation (`wholeFileScope`): each chunk
 * gets the whole file's diagnostics on the header's lines and on its own, in its coordinates (its
 * copied lines are never read). Later versions of the same document take a chunk's results from
 * there for as long as its text is unchanged, wherever its lines moved: an edit validates only the
 * chunks it changed (`validateText`). Made when the first such version asks, from the version
 * validated as a whole (kept until then: until the first edit it is the document's current one),
 * so that a first analysis does not list chunks it does not need.
 *
 * The split serves the document it came from only: the shared cache by text holds only what
 * dockerfile-utils said on that very text (a chunk alone, or a whole file). Seeding it from whole
 * files let a whole-file answer stand for a chunk of another file where the two differ, on broken
 * input. Chunks and whole file give the same diagnostics on all 4,148 corpus files
 * (scripts/corpus-sweep.ts), and edits after a first analysis the same as a fresh one
 * (scripts/incremental-sweep.ts). This holds at any size since dockerfile-ast's variable look-ups
 * are indexed (astPatches.ts): they grew with lines x instructions, which made big files cheaper to
 * validate in chunks.
 */
function wholeFileResults(model: DockerfileModel): ReadonlyMap<string, readonly Diagnostic[]> | undefined {
  const whole = pendingSplits.get(model.lineage);
  const ast = whole && wholeFileAst(whole);
  if (whole && ast) {
    pendingSplits.delete(model.lineage);
    const chunks = whole.scopes().flatMap((scope) => chunksOf(whole, scope.instructions));
    wholeFileSplits.set(model.lineage, splitWholeFile(whole, ast, chunks));
  }
  return wholeFileSplits.get(model.lineage);
}

function splitWholeFile(
  model: DockerfileModel,
  ast: Dockerfile,
  chunks: readonly Chunk[],
): Map<string, readonly Diagnostic[]> {
  const byLine = new Map<number, Diagnostic[]>();
  for (const d of validateText(model.text, ast)) {
    const line = d.range.start.line;
    const list = byLine.get(line);
    if (list) list.push(d);
    else byLine.set(line, [d]);
  }
  // The header's diagnostics go to the chunk that keeps them, the only one that carries it whole.
  const header: Diagnostic[] = [];
  const headerEnd = chunks.find((chunk) => chunk.keepHeader)?.headerEnd ?? 0;
  for (let line = 0; line < headerEnd; line++) header.push(...(byLine.get(line) ?? []));
  const out = new Map<string, readonly Diagnostic[]>();
  for (const chunk of chunks) {
    const local = chunk.keepHeader ? [...header] : [];
    const shift = chunk.bodyFirstLine - chunk.startLine;
    for (let line = chunk.startLine; line < chunk.endLine; line++)
      for (const d of byLine.get(line) ?? []) local.push(shiftLines(d, shift));
    out.set(chunk.text, local);
  }
  return out;
}

/** The numeric ValidationCode of a dockerfile-utils diagnostic. */
export function validationCode(d: Diagnostic): number | undefined {
  return typeof d.code === 'number' ? d.code : undefined;
}

type Args = (ctx: { model: DockerfileModel; range: Range; text: string }) => (string | number)[];

interface Mapping {
  /** The readable sub-id: `Diagnostic.data.data.code` and the message key. */
  readonly id: string;
  readonly args?: Args;
}

const text: Args = ({ text: t }) => [t];
const keywordAt = (model: DockerfileModel, line: number): string => {
  const instruction = model.instructionAtLine(line);
  return instruction ? effectiveInstruction(instruction).getKeyword() : '';
};
const keyword: Args = ({ model, range }) => [keywordAt(model, range.start.line)];
const textAndKeyword: Args = ({ model, range, text: t }) => [t, keywordAt(model, range.start.line)];

function flagsAt(model: DockerfileModel, line: number): Flag[] {
  const instruction = model.instructionAtLine(line);
  if (!instruction) return [];
  const effective: Instruction = effectiveInstruction(instruction);
  const withFlags = effective as Instruction & { getFlags?: () => Flag[] };
  return typeof withFlags.getFlags === 'function' ? withFlags.getFlags() : [];
}

const same = (a: Range | null, b: Range): boolean =>
  a !== null &&
  a.start.line === b.start.line &&
  a.start.character === b.start.character &&
  a.end.line === b.end.line &&
  a.end.character === b.end.character;

/** `--name` of the flag whose value is at `range`, and the value. */
const flagAndValue: Args = ({ model, range, text: t }) => {
  const flag = flagsAt(model, range.start.line).find((f) => same(f.getValueRange(), range));
  return [`--${flag?.getName() ?? '?'}`, t];
};
/** The flag whose name is at `range`. */
const flagName: Args = ({ text: t }) => [`--${t}`];

/** The whole `${...}` reference around `range` (dockerfile-utils points at the modifier only). */
const variableText: Args = ({ model, range, text: t }) => {
  const instruction = model.instructionAtLine(range.start.line);
  const variable = instruction
    ? effectiveInstruction(instruction)
        .getVariables()
        .find((v) => contains(v.getRange(), range))
    : undefined;
  return [variable ? model.document.getText(variable.getRange()) : t];
};

const before = (a: Position, b: Position): boolean =>
  a.line < b.line || (a.line === b.line && a.character <= b.character);
const contains = (outer: Range, inner: Range): boolean =>
  before(outer.start, inner.start) && before(inner.end, outer.end);

/** ValidationCode -> sub-id. Codes covered by other rules (or not reported here) are absent. */
const MAPPINGS: ReadonlyMap<number, Mapping> = new Map<number, Mapping>([
  [ValidationCode.ARGUMENT_MISSING, { id: 'missing-argument', args: text }],
  [ValidationCode.ARGUMENT_EXTRA, { id: 'extra-argument', args: textAndKeyword }],
  [ValidationCode.ARGUMENT_REQUIRES_ONE, { id: 'extra-argument', args: textAndKeyword }],
  [ValidationCode.ARGUMENT_REQUIRES_AT_LEAST_ONE, { id: 'missing-argument', args: text }],
  [ValidationCode.ARGUMENT_REQUIRES_TWO, { id: 'missing-value', args: textAndKeyword }],
  [ValidationCode.ARGUMENT_REQUIRES_AT_LEAST_TWO, { id: 'missing-destination', args: keyword }],
  [ValidationCode.ARGUMENT_REQUIRES_ONE_OR_THREE, { id: 'from-arguments', args: text }],
  [ValidationCode.ARGUMENT_UNNECESSARY, { id: 'unnecessary-argument', args: text }],
  [ValidationCode.INVALID_BUILD_STAGE_NAME, { id: 'invalid-stage-name', args: text }],
  [ValidationCode.FLAG_AT_LEAST_ONE, { id: 'flag-at-least-one', args: flagAndValue }],
  [ValidationCode.FLAG_DUPLICATE, { id: 'duplicate-flag', args: flagName }],
  [ValidationCode.FLAG_INVALID_DURATION, { id: 'invalid-duration', args: flagAndValue }],
  [ValidationCode.FLAG_LESS_THAN_1MS, { id: 'duration-too-short', args: flagName }],
  [ValidationCode.FLAG_MISSING_DURATION, { id: 'duration-missing-unit', args: flagAndValue }],
  [ValidationCode.FLAG_MISSING_VALUE, { id: 'missing-flag-value', args: flagName }],
  [ValidationCode.FLAG_UNKNOWN_UNIT, { id: 'duration-unknown-unit', args: flagAndValue }],
  [ValidationCode.NO_SOURCE_IMAGE, { id: 'no-from' }],
  [ValidationCode.INVALID_ESCAPE_DIRECTIVE, { id: 'invalid-escape-directive', args: text }],
  [ValidationCode.INVALID_AS, { id: 'invalid-as', args: text }],
  [ValidationCode.INVALID_DESTINATION, { id: 'destination-not-directory', args: textAndKeyword }],
  [ValidationCode.INVALID_PORT, { id: 'invalid-port', args: text }],
  [ValidationCode.INVALID_PROTO, { id: 'invalid-protocol', args: text }],
  [ValidationCode.INVALID_REFERENCE_FORMAT, { id: 'invalid-reference', args: text }],
  [ValidationCode.INVALID_SIGNAL, { id: 'invalid-signal', args: text }],
  [ValidationCode.INVALID_SYNTAX, { id: 'invalid-number', args: flagAndValue }],
  [ValidationCode.ONBUILD_CHAINING_DISALLOWED, { id: 'onbuild-chaining' }],
  [ValidationCode.ONBUILD_TRIGGER_DISALLOWED, { id: 'onbuild-trigger', args: text }],
  [ValidationCode.SHELL_JSON_FORM, { id: 'shell-json' }],
  [ValidationCode.SHELL_REQUIRES_ONE, { id: 'shell-empty' }],
  [ValidationCode.SYNTAX_MISSING_EQUALS, { id: 'missing-equals', args: textAndKeyword }],
  [ValidationCode.SYNTAX_MISSING_NAMES, { id: 'missing-name', args: keyword }],
  [ValidationCode.SYNTAX_MISSING_SINGLE_QUOTE, { id: 'unterminated-quote', args: text }],
  [ValidationCode.SYNTAX_MISSING_DOUBLE_QUOTE, { id: 'unterminated-quote', args: text }],
  [ValidationCode.UNKNOWN_INSTRUCTION, { id: 'unknown-instruction', args: text }],
  [ValidationCode.UNKNOWN_ADD_FLAG, { id: 'unknown-flag', args: textAndKeyword }],
  [ValidationCode.UNKNOWN_COPY_FLAG, { id: 'unknown-flag', args: textAndKeyword }],
  [ValidationCode.UNKNOWN_FROM_FLAG, { id: 'unknown-flag', args: textAndKeyword }],
  [ValidationCode.UNKNOWN_HEALTHCHECK_FLAG, { id: 'unknown-flag', args: textAndKeyword }],
  [ValidationCode.UNKNOWN_TYPE, { id: 'healthcheck-type', args: text }],
  [ValidationCode.UNSUPPORTED_MODIFIER, { id: 'unsupported-modifier', args: variableText }],
  [ValidationCode.HEALTHCHECK_CMD_ARGUMENT_MISSING, { id: 'healthcheck-missing-command' }],
  [ValidationCode.FLAG_INVALID_FROM_VALUE, { id: 'invalid-from', args: text }],
  [ValidationCode.FLAG_EXPECTED_BOOLEAN_VALUE, { id: 'expected-boolean', args: flagAndValue }],
  [ValidationCode.JSON_IN_SINGLE_QUOTES, { id: 'invalid-json' }],
  [ValidationCode.BASE_NAME_EMPTY, { id: 'base-name-empty', args: text }],
  [ValidationCode.DUPLICATED_ESCAPE_DIRECTIVE, { id: 'duplicate-escape-directive' }],
  // Not here: DUPLICATE_BUILD_STAGE_NAME (duplicate-stage-name), EMPTY_CONTINUATION_LINE (empty-continuation),
  // CASING_* (instruction-casing), DEPRECATED_MAINTAINER, MULTIPLE_INSTRUCTIONS, WORKDIR_IS_NOT_ABSOLUTE.
]);

/** Valid RUN flags (BuildKit, dockerfile:1 plus labs); dockerfile-utils does not check them. */
const RUN_FLAGS = new Set(['mount', 'network', 'security', 'device']);

const KEYWORDS = INSTRUCTIONS;

/** The instruction keyword closest to an unknown one (`RUNN` -> `RUN`), within edit distance 2. */
export function closestKeyword(word: string): string | undefined {
  const upper = word.toUpperCase();
  let best: string | undefined;
  let bestDistance = upper.length <= 3 ? 2 : 3;
  for (const k of KEYWORDS) {
    const d = editDistance(upper, k, 2);
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}

/** True when `range` starts at or after an argument beginning with `#` (an inline comment: inline-comment reports it). */
function afterInlineComment(model: DockerfileModel, range: Range): boolean {
  const instruction = model.instructionAtLine(range.start.line);
  if (!instruction) return false;
  for (const arg of effectiveInstruction(instruction).getArguments()) {
    if (!arg.getValue().startsWith('#')) continue;
    const start = arg.getRange().start;
    return (
      start.line < range.start.line || (start.line === range.start.line && start.character <= range.start.character)
    );
  }
  return false;
}

function unquote(t: string): string {
  return t.length >= 2 && (t[0] === '"' || t[0] === "'") && t.endsWith(t[0]!) ? t.slice(1, -1) : t;
}

/** True when every quote in `t` is closed (dockerfile-utils only accepts a value that ends with its quote: `"a":b`). */
export function quotesBalanced(t: string, escape: string): boolean {
  let quote: string | undefined;
  for (let i = 0; i < t.length; i++) {
    const c = t[i]!;
    if (c === escape && quote !== "'") i++;
    else if (quote === undefined && (c === '"' || c === "'")) quote = c;
    else if (c === quote) quote = undefined;
  }
  return quote === undefined;
}

/**
 * True when `range` lies in an instruction that dockerfile-ast continued past a line ending in an
 * escaped escape character (`C:\\dir\\`): BuildKit ends the instruction on such a line, so
 * findings about the lines after it describe a parse Docker does not make.
 */
export function misjoined(model: DockerfileModel, range: Range): boolean {
  const instruction = model.instructionAtLine(range.start.line);
  if (!instruction) return false;
  const e = model.escape;
  for (let line = instruction.getRange().start.line; line < range.start.line; line++) {
    const text = model.document
      .getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } })
      .replace(/[ \t\r\n]+$/, '');
    if (text.endsWith(e + e) && !text.endsWith(e + e + e)) return true;
  }
  return false;
}

/**
 * A heredoc is closed by a later line that is exactly its name (`<<-`: after leading tabs); looked
 * for up to the end of its stage (the next FROM line), the scope this rule's findings depend on.
 */
function heredocTerminated(model: DockerfileModel, heredoc: Heredoc): boolean {
  const name = heredoc.getName();
  const start = heredoc.getStartRange();
  const dash = model.document.getText(start).startsWith('<<-');
  const end = stageEnd(model, model.stageAtLine(start.start.line));
  for (let line = start.end.line + 1; line < end; line++) if (heredocLine(model, line, dash) === name) return true;
  return false;
}

/** The first line after `stage` (the next FROM line, or the document's end; the document's end outside every stage). */
function stageEnd(model: DockerfileModel, stage: Stage | undefined): number {
  return (stage && model.stages[stage.index + 1]?.from.getRange().start.line) ?? model.document.lineCount;
}

/** A line of a heredoc's body as it is compared with the heredoc's name (`<<-`: after leading tabs). */
function heredocLine(model: DockerfileModel, line: number, dash: boolean): string {
  const text = model.document.lineText(line);
  return dash ? text.replace(/^\t+/, '') : text;
}

const HEREDOC_WORD = /^(\d*)<<(-?)(["']?)([^<"'\s]+)\3$/;
const bodyCache = new WeakMap<DockerfileModel, Set<number>>();

/**
 * The lines of every heredoc body, found as BuildKit finds them (words `<<NAME`, `<<-NAME`,
 * `<<"NAME"`, `5<<NAME` on a RUN/COPY/ADD line, bodies in order, each up to a line that is exactly
 * its name): dockerfile-ast misses `5<<NAME` and gives ADD no heredocs, and then reads body lines
 * as instructions.
 */
export function heredocBodyLines(model: DockerfileModel): Set<number> {
  let lines = bodyCache.get(model);
  if (lines) return lines;
  lines = new Set<number>();
  bodyCache.set(model, lines);
  let after = -1;
  for (const instruction of model.instructions) {
    const line = instruction.getRange().start.line;
    if (line <= after) continue;
    const keyword = effectiveInstruction(instruction).getKeyword();
    if (keyword !== 'RUN' && keyword !== 'COPY' && keyword !== 'ADD') continue;
    const first = model.document.lineText(line);
    if (!first.includes('<<')) continue;
    const heredocs = first
      .split(/\s+/)
      .map((w) => HEREDOC_WORD.exec(w))
      .filter((m): m is RegExpExecArray => m !== null);
    if (heredocs.length === 0) continue;
    // An unterminated body ends with its stage: a stage rule's findings must not depend on another stage.
    const end = stageEnd(model, model.stageAtLine(line));
    let l = line + 1;
    for (const m of heredocs) {
      const name = m[4]!;
      const dash = m[2] === '-';
      while (l < end && heredocLine(model, l, dash) !== name) lines.add(l++);
      if (l < end) lines.add(l++); // the terminator
    }
    after = l - 1;
  }
  return lines;
}

const M = (en: string, zh: string): Localized => ({ en, 'zh-cn': zh });

export default defineRule({
  id: 'syntax',
  severity: 'error',
  peers: [],
  instructions: [],
  scope: 'stage',
  messages: {
    default: M(
      'The Docker builder rejects this line. Check the instruction against the Dockerfile reference.',
      'Docker 构建器会拒绝这一行。请对照 Dockerfile 参考文档检查该指令。',
    ),
    'unknown-instruction': M(
      '`{0}` is not a Dockerfile instruction: the build stops here. Valid instructions are FROM, RUN, COPY, ADD, CMD, ENTRYPOINT, ENV, ARG, ...',
      '`{0}` 不是 Dockerfile 指令：构建会在这里停止。有效的指令有 FROM、RUN、COPY、ADD、CMD、ENTRYPOINT、ENV、ARG 等。',
    ),
    'unknown-instruction-suggestion': M(
      '`{0}` is not a Dockerfile instruction (did you mean `{1}`?): the build stops here.',
      '`{0}` 不是 Dockerfile 指令（是否想写 `{1}`？）：构建会在这里停止。',
    ),
    'missing-argument': M(
      '{0} needs at least one argument: the build fails here.',
      '{0} 至少需要一个参数：构建会在这里失败。',
    ),
    'extra-argument': M(
      '`{0}`: {1} takes fewer arguments than this, so Docker refuses it. Remove the extra argument (a `#` comment must be on its own line).',
      '`{0}`：{1} 不接受这么多参数，Docker 会拒绝它。请删除多余的参数（`#` 注释必须单独成行）。',
    ),
    'missing-value': M('{1} `{0}` has no value: write `{1} {0}=value`.', '{1} `{0}` 没有值：请写成 `{1} {0}=value`。'),
    'missing-destination': M(
      '{0} needs a source and a destination: `{0} <src>... <dest>`.',
      '{0} 需要源路径和目标路径：`{0} <源>... <目标>`。',
    ),
    'from-arguments': M(
      'Unexpected `{0}`: FROM takes an image, optionally followed by `AS <name>`.',
      '多余的 `{0}`：FROM 只接受一个镜像，后面可选 `AS <名称>`。',
    ),
    'unnecessary-argument': M(
      'HEALTHCHECK NONE takes no arguments: remove `{0}`.',
      'HEALTHCHECK NONE 不接受参数：请删除 `{0}`。',
    ),
    'invalid-stage-name': M(
      '`{0}` is not a valid stage name: it must start with a letter and contain only letters, digits, `-`, `_` and `.`.',
      '`{0}` 不是有效的阶段名：必须以字母开头，只能包含字母、数字、`-`、`_` 和 `.`。',
    ),
    'flag-at-least-one': M('{0} must be at least 1, not {1}.', '{0} 至少为 1，而不是 {1}。'),
    'duplicate-flag': M(
      '{0} is given more than once: Docker refuses this. Keep one.',
      '{0} 出现了不止一次：Docker 会拒绝。请只保留一个。',
    ),
    'invalid-duration': M(
      '`{1}` is not a duration for {0}: write a number with a unit, e.g. `30s`, `1m30s`.',
      '`{1}` 不是 {0} 的有效时长：请写数字加单位，例如 `30s`、`1m30s`。',
    ),
    'duration-missing-unit': M(
      '`{1}` has no unit for {0}: write e.g. `{1}s` (units: ns, us, ms, s, m, h).',
      '{0} 的值 `{1}` 缺少单位：例如写成 `{1}s`（单位：ns、us、ms、s、m、h）。',
    ),
    'duration-unknown-unit': M(
      '`{1}` has an unknown unit for {0}: use ns, us, ms, s, m or h.',
      '{0} 的值 `{1}` 使用了未知单位：请使用 ns、us、ms、s、m 或 h。',
    ),
    'duration-too-short': M('{0} cannot be less than 1ms.', '{0} 不能小于 1ms。'),
    'missing-flag-value': M('{0} needs a value: `{0}=<value>`.', '{0} 需要一个值：`{0}=<值>`。'),
    'no-from': M(
      'A Dockerfile must start with FROM (only ARG and parser directives may come before it): the build fails.',
      'Dockerfile 必须以 FROM 开始（之前只能有 ARG 和解析器指令）：否则构建失败。',
    ),
    'invalid-escape-directive': M(
      'Invalid escape character `{0}`: the `escape` directive accepts only `\\` or `` ` ``.',
      '无效的转义字符 `{0}`：`escape` 指令只接受 `\\` 或 `` ` ``。',
    ),
    'duplicate-escape-directive': M(
      'Only one `escape` directive is allowed: Docker refuses the file. Remove this one.',
      '只允许一个 `escape` 指令：Docker 会拒绝该文件。请删除这一个。',
    ),
    'invalid-as': M(
      'Expected `AS` here, not `{0}`: `FROM <image> AS <name>`.',
      '这里应为 `AS` 而不是 `{0}`：`FROM <镜像> AS <名称>`。',
    ),
    'destination-not-directory': M(
      'With more than one source, the {1} destination must be a directory ending in `/`: write `{0}/`.',
      '有多个源时，{1} 的目标必须是以 `/` 结尾的目录：请写成 `{0}/`。',
    ),
    'invalid-port': M(
      '`{0}` is not a port: EXPOSE takes `<port>[/<protocol>]` or a range `<from>-<to>`.',
      '`{0}` 不是端口：EXPOSE 接受 `<端口>[/<协议>]` 或范围 `<起>-<止>`。',
    ),
    'invalid-protocol': M('Unknown protocol `{0}`: use tcp, udp or sctp.', '未知协议 `{0}`：请使用 tcp、udp 或 sctp。'),
    'invalid-reference': M(
      '`{0}` is not a valid image reference: check the tag after `:` and the digest after `@`.',
      '`{0}` 不是有效的镜像引用：请检查 `:` 后的标签和 `@` 后的摘要。',
    ),
    'invalid-signal': M(
      '`{0}` is not a signal: use a name such as `SIGTERM` or a number.',
      '`{0}` 不是信号：请使用 `SIGTERM` 这样的名称或数字。',
    ),
    'invalid-number': M('{0} needs a whole number, not `{1}`.', '{0} 需要一个整数，而不是 `{1}`。'),
    'onbuild-chaining': M('`ONBUILD ONBUILD` is not allowed.', '不允许 `ONBUILD ONBUILD`。'),
    'onbuild-trigger': M('{0} is not allowed after ONBUILD.', 'ONBUILD 之后不允许使用 {0}。'),
    'shell-json': M(
      'SHELL must be a JSON array, e.g. `SHELL ["/bin/bash", "-c"]`.',
      'SHELL 必须是 JSON 数组，例如 `SHELL ["/bin/bash", "-c"]`。',
    ),
    'shell-empty': M('SHELL needs at least the shell executable.', 'SHELL 至少需要指定 shell 可执行文件。'),
    'missing-equals': M(
      '`{0}` has no `=`: when {1} sets several variables, each one must be `name=value`.',
      '`{0}` 缺少 `=`：{1} 设置多个变量时，每个都必须写成 `名称=值`。',
    ),
    'missing-name': M('{0} has a value with no name before `=`.', '{0} 中有一个值在 `=` 前面没有名称。'),
    'unterminated-quote': M(
      'The quote in `{0}` is never closed: Docker cannot read this instruction.',
      '`{0}` 中的引号没有闭合：Docker 无法解析这条指令。',
    ),
    'unknown-flag': M('{1} has no flag `{0}`: the build fails.', '{1} 没有 `{0}` 这个选项：构建会失败。'),
    'healthcheck-type': M(
      'Unknown HEALTHCHECK type `{0}`: use `HEALTHCHECK CMD <command>` or `HEALTHCHECK NONE`.',
      '未知的 HEALTHCHECK 类型 `{0}`：请使用 `HEALTHCHECK CMD <命令>` 或 `HEALTHCHECK NONE`。',
    ),
    'unsupported-modifier': M(
      'Unsupported variable modifier in `{0}`: Docker supports `${VAR:-default}`, `${VAR:+alt}`, `${VAR:?message}` and their forms without `:`.',
      '`{0}` 中的变量修饰符不受支持：Docker 支持 `${VAR:-默认值}`、`${VAR:+替代值}`、`${VAR:?提示}` 及不带 `:` 的形式。',
    ),
    'healthcheck-missing-command': M(
      'HEALTHCHECK CMD needs the command to run.',
      'HEALTHCHECK CMD 需要指定要运行的命令。',
    ),
    'invalid-from': M(
      '`{0}` is not a stage name, stage number or image reference.',
      '`{0}` 不是阶段名、阶段编号或镜像引用。',
    ),
    'expected-boolean': M('{0} takes `true` or `false`, not `{1}`.', '{0} 只接受 `true` 或 `false`，而不是 `{1}`。'),
    'invalid-json': M(
      'This looks like a JSON array but uses single quotes: JSON needs double quotes, so Docker runs the whole text as a shell command. Use `["a", "b"]`.',
      '这看起来像 JSON 数组，但用了单引号：JSON 需要双引号，因此 Docker 会把整段文字当作 shell 命令执行。请写成 `["a", "b"]`。',
    ),
    'base-name-empty': M(
      '`{0}` is empty here, so FROM has no image: declare it before the first FROM with a default (`ARG {0}=...`) or pass `--build-arg`.',
      '`{0}` 在这里为空，FROM 就没有镜像了：请在第一个 FROM 之前声明并给出默认值（`ARG {0}=...`），或通过 `--build-arg` 传入。',
    ),
    'unterminated-heredoc': M(
      'The heredoc `{0}` is never closed: add a line with just `{0}`. Docker fails on an unterminated heredoc.',
      'heredoc `{0}` 没有结束：请加上只有 `{0}` 的一行。heredoc 未结束时 Docker 会构建失败。',
    ),
  },
  check({ model, instructions, report }) {
    const document = model.document;
    for (const d of validatorDiagnostics(model, instructions)) {
      const code = validationCode(d);
      const mapping = code === undefined ? undefined : MAPPINGS.get(code);
      if (!mapping) continue;
      if ((mapping.id === 'invalid-port' || mapping.id === 'extra-argument') && afterInlineComment(model, d.range))
        continue;
      if (misjoined(model, d.range) || heredocBodyLines(model).has(d.range.start.line)) continue;
      const t = document.getText(d.range);
      if ((mapping.id === 'invalid-from' || mapping.id === 'invalid-stage-name') && /[$"']/.test(t)) continue;
      // dockerfile-ast reads only the first variable of `ARG A=1 B=2`: the model knows them all.
      if (
        mapping.id === 'base-name-empty' &&
        model.resolveVariable(t.replace(/^\$\{?|\}$/g, ''), d.range.start.line)?.value
      )
        continue;
      if (mapping.id === 'destination-not-directory' && /[/\\]$/.test(unquote(t))) continue;
      if (mapping.id === 'unterminated-quote' && quotesBalanced(t, model.escape)) continue;
      const args = mapping.args?.({ model, range: d.range, text: t }) ?? [];
      if (mapping.id === 'unknown-instruction') {
        const suggestion = closestKeyword(t);
        if (suggestion) {
          report({
            range: d.range,
            message: 'unknown-instruction-suggestion',
            args: [t, suggestion],
            data: { code: mapping.id, suggestion },
          });
          continue;
        }
      }
      report({ range: d.range, message: mapping.id, args, data: { code: mapping.id } });
    }
    for (const instruction of instructions) {
      const effective = effectiveInstruction(instruction);
      if (effective instanceof Run) {
        for (const flag of effective.getFlags()) {
          if (RUN_FLAGS.has(flag.getName())) continue;
          const range = { start: flag.getRange().start, end: flag.getNameRange().end };
          report({
            range,
            message: 'unknown-flag',
            args: [document.getText(range), 'RUN'],
            data: { code: 'unknown-flag' },
          });
        }
      }
      if (effective instanceof Run || effective instanceof Copy || effective instanceof Add) {
        const heredocs = effective instanceof Add ? [] : effective.getHeredocs();
        for (const heredoc of heredocs) {
          if (heredoc.getDelimiterRange() !== null || heredocTerminated(model, heredoc)) continue;
          report({
            range: heredoc.getStartRange(),
            message: 'unterminated-heredoc',
            args: [heredoc.getName()],
            data: { code: 'unterminated-heredoc' },
          });
        }
      }
    }
  },
  fix({ range, data }) {
    const suggestion = (data as { suggestion?: string } | undefined)?.suggestion;
    if (!suggestion) return [];
    return [
      {
        title: { en: 'Change to {0}', 'zh-cn': '改为 {0}' },
        titleArgs: [suggestion],
        edits: [{ range, newText: suggestion }],
        preferred: false,
      },
    ];
  },
});
