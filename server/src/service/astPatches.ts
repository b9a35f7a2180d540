import {
  Argument,
  Comment,
  DockerfileParser,
  From,
  Instruction,
  Onbuild,
  Property as AstProperty,
  PropertyInstruction,
} from 'dockerfile-ast';
import { Parser } from 'dockerfile-ast/lib/parser';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Range as Ranges, type Position, type Range } from 'vscode-languageserver-types';
import { countAtMost, countBelow } from './sorted';
import { beforeLineBreak, lineStarts } from './textCache';

/**
 * dockerfile-ast re-scans an instruction's text on every `getArguments()` / `getRawArguments()` call,
 * and calls them itself many times per instruction while parsing and validating (flags, heredocs,
 * variables, argument ranges, FROM image parts): about 16 calls per instruction, each building every
 * argument again with its range. On a generated 20,000-line file that was 146,000 scans and most of
 * the 500 MB an open allocated. An instruction is immutable (it reads a snapshot of the text), so its
 * raw arguments are computed once here and frozen; each call gets its own array (dockerfile-ast
 * shifts flags off it) of the same Argument objects. The one place that changed an argument's range
 * in place, From.getImageNameRange(), now gets a copy (see below); anything else that tried would
 * throw instead of corrupting later answers.
 */
type RawArguments = () => Argument[];
const prototype = Instruction.prototype as unknown as {
  getRawArguments: RawArguments;
  getKeyword: () => string;
  getHeredocs: () => unknown[];
  getVariables: () => unknown[];
  isBuildVariable: (variable: string, line: number) => boolean | undefined;
  [PATCHED]?: true;
};
const PATCHED = Symbol.for('docksmith.rawArgumentsMemo');
const CACHE = Symbol('docksmith.rawArguments');
const KEYWORD = Symbol('docksmith.keyword');
const HEREDOCS = Symbol('docksmith.heredocs');
const PROPERTY_ARGUMENTS = Symbol('docksmith.propertyArguments');
const TRIGGER = Symbol('docksmith.trigger');
const LAST_LINE = Symbol('docksmith.lastLine');

/** A vscode-languageserver-textdocument document, as the patches below read it. */
interface LineIndexed {
  readonly _content: string;
  getLineOffsets(): number[];
  /** The line of the last position asked for. */
  [LAST_LINE]?: number;
}

/** Whether `offset` is on line `line` of a text whose lines start at `starts`. */
function isLineOf(starts: readonly number[], line: number, offset: number): boolean {
  return line < starts.length && starts[line]! <= offset && (line + 1 === starts.length || starts[line + 1]! > offset);
}

type Resolve = (this: ParsedDockerfile, variable: string, line: number) => string | null | undefined;
/** dockerfile-ast's ImageTemplate (not exported): a stage, the instructions before the first FROM, the file. */
interface Image {
  resolveVariable(variable: string, line: number): string | null | undefined;
  addInstruction(instruction: Instruction): void;
  addComment(comment: Comment): void;
  getComments(): Comment[];
  getInstructions(): Instruction[];
  getRange(): Range;
}
/** The members of dockerfile-ast's Dockerfile that its resolveVariable() reads. */
interface ParsedDockerfile extends Image {
  readonly instructions: readonly Instruction[];
  readonly initialInstructions: Image & { getARGs(): Instruction[] };
  readonly buildStages: readonly Image[];
  readonly document: { getText(): string; positionAt(offset: number): Position };
  getFROMs(): Instruction[];
  getContainingImage(position: Position): Image | null;
}

/** What Dockerfile.resolveVariable() used to work out on every call (see the patch). */
interface ResolveIndex {
  /** Instructions and initial comments when built: a parse adds them, nothing else does. */
  readonly instructions: number;
  readonly comments: number;
  /** Every line a FROM instruction spans: its variables resolve against the initial ARGs. */
  readonly fromLines: ReadonlySet<number>;
  /** An image of the ARGs before the first FROM. */
  readonly initialArgs: Image;
  /** getContainingImage() of each line's start, from line 0 to the document's last. */
  readonly containing: readonly (Image | null)[];
}
const INDEX = Symbol('docksmith.resolveIndex');

function resolveIndex(file: ParsedDockerfile & { [INDEX]?: ResolveIndex }, Template: new () => Image): ResolveIndex {
  const instructions = file.instructions.length;
  const comments = file.initialInstructions.getComments().length;
  const index = file[INDEX];
  if (index?.instructions === instructions && index.comments === comments) return index;
  const fromLines = new Set<number>();
  for (const from of file.getFROMs()) {
    const { start, end } = from.getRange();
    for (let line = start.line; line <= end.line; line++) fromLines.add(line);
  }
  const initialArgs = new Template();
  for (const arg of file.initialInstructions.getARGs()) initialArgs.addInstruction(arg);
  return (file[INDEX] = { instructions, comments, fromLines, initialArgs, containing: containingByLine(file) });
}

/**
 * What Dockerfile.getContainingImage() answers for the start of each line of the document, worked
 * out in one pass: the instructions before the first FROM when the line is inside their range
 * (and they hold anything), else the first stage whose range contains it, else the Dockerfile.
 */
function containingByLine(file: ParsedDockerfile): (Image | null)[] {
  const lastLine = file.document.positionAt(file.document.getText().length).line;
  const out = new Array<Image | null | undefined>(lastLine + 1).fill(undefined);
  const claim = (image: Image) => {
    const range = image.getRange();
    for (let line = Math.max(0, range.start.line); line <= Math.min(range.end.line, lastLine); line++)
      if (out[line] === undefined && isInsideRange({ line, character: 0 }, range)) out[line] = image;
  };
  const initial = file.initialInstructions;
  if (initial.getComments().length > 0 || initial.getInstructions().length > 0) claim(initial);
  for (const stage of file.buildStages) claim(stage);
  return out.map((image) => image ?? file);
}

type ImageResolve = (this: IndexedImage, variable: string, line: number) => string | null | undefined;
/** Per name, the start lines of the instructions that define it (in document order) and the values they give. */
type Definitions = Map<string, { lines: number[]; values: (string | null)[] }>;
interface ImageIndex {
  /** The image's instructions when built: a parse adds them, nothing else does. */
  readonly instructions: number;
  /** Each ENV's first property of a name, and each ARG's property. */
  readonly env: Definitions;
  readonly arg: Definitions;
}
interface Property {
  getName(): string;
  getValue(): string | null;
}
type IndexedImage = Image & {
  [IMAGE_INDEX]?: ImageIndex;
  getENVs(): (Instruction & { getProperties(): Property[] })[];
  getARGs(): (Instruction & { getProperty(): Property | null })[];
};
const IMAGE_INDEX = Symbol('docksmith.imageIndex');

/** What ImageTemplate.resolveVariable() read from the image's instructions on every call (see the patch). */
function imageIndex(image: IndexedImage): ImageIndex {
  const instructions = image.getInstructions().length;
  const index = image[IMAGE_INDEX];
  if (index?.instructions === instructions) return index;
  const add = (map: Definitions, instruction: Instruction, property: Property) => {
    const name = property.getName();
    let entry = map.get(name);
    if (!entry) map.set(name, (entry = { lines: [], values: [] }));
    entry.lines.push(instruction.getRange().start.line);
    entry.values.push(property.getValue());
  };
  const env: Definitions = new Map();
  for (const instruction of image.getENVs()) {
    const seen = new Set<string>(); // the first property of a name in an ENV is the one read
    for (const property of instruction.getProperties()) {
      if (seen.has(property.getName())) continue;
      seen.add(property.getName());
      add(env, instruction, property);
    }
  }
  const arg: Definitions = new Map();
  for (const instruction of image.getARGs()) {
    const property = instruction.getProperty();
    if (property) add(arg, instruction, property);
  }
  return (image[IMAGE_INDEX] = { instructions, env, arg });
}

/** The value of the last definition on a line before `line` (`isBefore`: it starts before it). */
function lastBefore(
  entry: { lines: number[]; values: (string | null)[] } | undefined,
  line: number,
): { value: string | null } | undefined {
  if (!entry) return undefined;
  const before = countBelow(entry.lines, line);
  return before === 0 ? undefined : { value: entry.values[before - 1]! };
}

/** dockerfile-ast's Util.isInsideRange(). */
function isInsideRange(position: Position, range: Range): boolean {
  if (range.start.line === range.end.line)
    return (
      range.start.line === position.line &&
      range.start.character <= position.character &&
      position.character <= range.end.character
    );
  if (range.start.line === position.line) return range.start.character <= position.character;
  if (range.end.line === position.line) return position.character <= range.end.character;
  return range.start.line < position.line && position.line < range.end.line;
}

/** A property name or value that Property.getValue() gives back unchanged (see the patch below). */
function isPlainValue(value: string, escapeChar: string): boolean {
  return (
    value === '' ||
    (!LEADING_BLANK_OR_QUOTE_OR_LINE_BREAK.test(value) && (escapeChar === '' || !value.includes(escapeChar)))
  );
}

/** A first character that getValue() skips or unquotes, or a line break anywhere. */
const LEADING_BLANK_OR_QUOTE_OR_LINE_BREAK = /^[ \t"']|[\r\n]/;

if (!prototype[PATCHED]) {
  // vscode-languageserver-textdocument finds where a text's lines start a character at a time, for
  // each TextDocument at its first position look-up: a first analysis did so three times for the same
  // text (the server's document, the parser's own, dockerfile-utils' own). lineStarts() counts the
  // same line ends (`\r\n`, `\n`, a lone `\r`) by searching for them.
  const textDocument = Object.getPrototypeOf(TextDocument.create('', '', 0, '')) as {
    getLineOffsets(this: { _content: string; _lineOffsets?: number[] }): number[];
  };
  textDocument.getLineOffsets = function () {
    return (this._lineOffsets ??= lineStarts(this._content));
  };
  // Its positionAt() searches all line starts for each offset (with a float division and a call
  // per step), ~7,500 times in a first analysis of a 1,000-line file, mostly at or after the offset
  // before (a parse reads in order). The same answer, looked for first on the line of the last
  // answer and the one after it; anything but a plain number goes to the library's own.
  const positionAt = (textDocument as unknown as { positionAt: (offset: number) => Position }).positionAt;
  (textDocument as unknown as { positionAt: (offset: number) => Position }).positionAt = function (
    this: LineIndexed,
    offset: number,
  ): Position {
    if (typeof offset !== 'number' || offset !== offset) return positionAt.call(this, offset);
    const content = this._content;
    offset = Math.max(Math.min(offset, content.length), 0);
    const starts = this.getLineOffsets();
    const count = starts.length;
    if (count === 0) return { line: 0, character: offset };
    let line = this[LAST_LINE] ?? 0;
    if (!isLineOf(starts, line, offset)) {
      line = isLineOf(starts, line + 1, offset) ? line + 1 : countAtMost(starts, offset) - 1;
      this[LAST_LINE] = line;
    }
    const start = starts[line]!;
    return { line, character: beforeLineBreak(content, offset, start) - start };
  };
  // dockerfile-ast and dockerfile-utils make every range with vscode-languageserver-types'
  // `Range.create()`, which checks that its arguments are four line and character numbers, else two
  // positions, each number with `Object.prototype.toString.call()` (five such calls for two
  // positions): thousands of ranges per parse. The same checks with `typeof`; anything that is not
  // plainly one of the two (a Number object, a wrong argument) goes to the library's own.
  const rangeCreate = Ranges.create;
  (Ranges as { create: (...args: unknown[]) => Range }).create = function (one, two, three, four) {
    if (isUinteger(one) && isUinteger(two) && isUinteger(three) && isUinteger(four))
      return { start: { line: one, character: two }, end: { line: three, character: four } };
    if (isPosition(one) && isPosition(two)) return { start: one, end: two };
    return (rangeCreate as (...args: unknown[]) => Range)(one, two, three, four);
  };
  // The parser's own steps that read the text a character at a time (see processArguments() below).
  Object.assign(Parser.prototype, { processArguments, processComment });
  const scan = prototype.getRawArguments;
  prototype.getRawArguments = function (this: ScannedInstruction & { [CACHE]?: readonly Argument[] }): Argument[] {
    let args = this[CACHE];
    if (args === undefined)
      this[CACHE] = args = (fastArguments(this) ?? scan.call(this).map((a) => compact(a, this.document))).map(freeze);
    return args.slice();
  };
  // ENV, LABEL and ARG read their arguments as properties (`getPropertyArguments()`, a scan of the
  // instruction's text a character at a time): for their properties, for dockerfile-utils' argument
  // check, for the model's definitions, each time anew. Kept and frozen as the raw arguments are.
  const propertyInstruction = PropertyInstruction.prototype as unknown as { getPropertyArguments(): Argument[] };
  const propertyScan = propertyInstruction.getPropertyArguments;
  propertyInstruction.getPropertyArguments = function (this: { [PROPERTY_ARGUMENTS]?: readonly Argument[] }) {
    return (this[PROPERTY_ARGUMENTS] ??= propertyScan.call(this).map(freeze)).slice();
  };
  // A property's name and value, unescaped a character at a time by string concatenation (once per
  // ENV, ARG and LABEL property, each name and each value): a text with nothing to unescape (no
  // escape character, no line break, no leading blank or quote) is what that gives back, as it is.
  const properties = AstProperty as unknown as { getValue(value: string, escapeChar: string): string };
  const unescape = properties.getValue;
  properties.getValue = function (value: string, escapeChar: string): string {
    if (typeof value === 'string' && typeof escapeChar === 'string' && isPlainValue(value, escapeChar)) return value;
    return unescape.call(this, value, escapeChar);
  };
  // getImageNameRange() and getRegistryRange() move the start or end of the range this returns,
  // which is the first argument's own: they get a copy.
  const from = From.prototype as unknown as { getImageRange: () => Range | null };
  const imageRange = from.getImageRange;
  from.getImageRange = function (): Range | null {
    const range = imageRange.call(this);
    return range && { start: range.start, end: range.end };
  };
  // `getKeyword()` upper-cases the instruction's name on every call, and every rule asks it of
  // every instruction: a new string each time. The name is set once, by the constructor.
  const keyword = prototype.getKeyword;
  prototype.getKeyword = function (this: { [KEYWORD]?: string }): string {
    return (this[KEYWORD] ??= keyword.call(this));
  };
  // `getHeredocs()` throws (reading a heredoc definition that is not there) when an unescaped line
  // break it does not expect sits inside an instruction, e.g. after a continued `\# comment` line.
  // Every rule that reads heredocs, and dockerfile-utils, then failed on the whole file. Such an
  // instruction has no heredoc that can be read: say so.
  // It also re-reads the instruction's text on every call (a RUN's scripts, dockerfile-utils and
  // several rules ask): the answer is kept per instruction, each caller gets its own array. And it
  // read the text of every instruction of more than one line a character at a time: a heredoc is an
  // argument that starts with `<<`, so an instruction without a `<` has none.
  const heredocs = prototype.getHeredocs;
  prototype.getHeredocs = function (this: ScannedInstruction & { [HEREDOCS]?: readonly unknown[] }): unknown[] {
    let found = this[HEREDOCS];
    if (found === undefined) {
      try {
        found = holds(this, '<') ? heredocs.call(this) : [];
      } catch {
        found = [];
      }
      this[HEREDOCS] = found;
    }
    return [...found];
  };
  // `Dockerfile.resolveVariable()` asks the image that contains the line, and for a line outside
  // every stage (between the instructions before the first FROM and the first FROM, say) that image
  // is the Dockerfile itself: it called itself until the stack overflowed. dockerfile-utils resolves
  // variables through it, so its validation of such a file threw. For that line this looks in the
  // file's own instructions instead, what the Dockerfile's base class does.
  // It also lists every FROM of the file on each call (to see whether the line is a FROM's), and
  // looks for the stage that contains the line among all of them: dockerfile-utils resolves every
  // variable of the file, so its validation grew with variables x instructions (~400 ms of a
  // generated 20,000-line file). Below is the same procedure over an index built once per parse:
  // the lines of the FROMs, the ARGs before the first FROM, the image that contains each line
  // (getContainingImage, below).
  const dockerfile = Object.getPrototypeOf(DockerfileParser.parse('')) as {
    resolveVariable: Resolve;
    getContainingImage: ParsedDockerfile['getContainingImage'];
    organizeComments(this: ParsedDockerfile): void;
  };
  const imageTemplate = Object.getPrototypeOf(dockerfile) as { resolveVariable: Resolve; constructor: new () => Image };
  const inImage = imageTemplate.resolveVariable;
  dockerfile.resolveVariable = function (variable, line) {
    const index = resolveIndex(this, imageTemplate.constructor);
    if (index.fromLines.has(line)) return index.initialArgs.resolveVariable(variable, line);
    const image = this.getContainingImage({ line, character: 0 });
    if (image === null) return undefined;
    // The file itself (a line outside every stage): its own instructions, as its base class reads them.
    const resolved = image === this ? inImage.call(this, variable, line) : image.resolveVariable(variable, line);
    return resolved === null ? index.initialArgs.resolveVariable(variable, line) : resolved;
  };
  // A stage's own resolveVariable() listed the stage's ENVs and ARGs anew on every call and read them
  // from the last, each ENV's properties again; dockerfile-utils resolves every variable of a stage
  // through it, so validating a stage grew with variables x instructions (8.7 ms of a cold open of
  // moby/moby's Dockerfile, 59 stages). The same look-up now reads, per image, each name's ENV and
  // ARG lines with their values (imageIndex, below).
  (imageTemplate as unknown as { resolveVariable: ImageResolve }).resolveVariable = function (variable, line) {
    const index = imageIndex(this);
    const env = lastBefore(index.env.get(variable), line);
    if (env) return env.value;
    return lastBefore(index.arg.get(variable), line)?.value;
  };
  // Asked for the start of a line by resolveVariable() and by every variable's isBuildVariable():
  // each call compared the line with the range of every stage, built anew.
  const containingImage = dockerfile.getContainingImage;
  dockerfile.getContainingImage = function (this: ParsedDockerfile, position) {
    const { containing } = resolveIndex(this, imageTemplate.constructor);
    if (position.character !== 0 || position.line < 0 || position.line >= containing.length)
      return containingImage.call(this, position);
    return containing[position.line]!;
  };
  // The parser's last step hands each comment to the stage that contains it, and built the range of
  // every stage again for every comment (comments x stages ranges: ~100 ms of parsing a generated
  // 20,000-line file). A stage's range depends on its instructions only: each is built once here.
  // Each comment was also compared with every stage (comments x stages): a stage starts on a line
  // after the one the stage before it ends on, so the one that can hold a comment is found by
  // binary search over the stages' first lines.
  dockerfile.organizeComments = function () {
    const initial = this.initialInstructions;
    const initialRange = initial.getRange();
    const stages = this.buildStages.map((stage) => ({ stage, range: stage.getRange() }));
    const ordered = stages.every((s, i) => i === 0 || s.range.start.line > stages[i - 1]!.range.end.line);
    const startLines = stages.map((s) => s.range.start.line);
    for (const comment of this.getComments()) {
      const { start, end } = comment.getRange();
      if (isInsideRange(end, initialRange)) initial.addComment(comment);
      else if (ordered) {
        // The last stage that starts on or before the comment's line is the only one that can hold it.
        const candidate = stages[countAtMost(startLines, start.line) - 1];
        if (candidate && isInsideRange(start, candidate.range)) candidate.stage.addComment(comment);
      } else for (const { stage, range } of stages) if (isInsideRange(start, range)) stage.addComment(comment);
    }
  };
  // `isBuildVariable()`, asked for every variable getVariables() finds, listed the ENVs and the ARGs
  // of the variable's stage anew and compared each with the variable's name: variables x
  // instructions (12.4 s to open one stage of 20,000 `RUN echo $A` lines). Whether an ENV or an ARG
  // before the line defines the name is read from the same per-image index.
  const isBuildVariable = prototype.isBuildVariable;
  prototype.isBuildVariable = function (this: { dockerfile: ParsedDockerfile; getKeyword(): string }, variable, line) {
    const image = this.getKeyword() === 'FROM' ? null : this.dockerfile.getContainingImage({ line, character: 0 });
    if (!image) return isBuildVariable.call(this, variable, line);
    const index = imageIndex(image as IndexedImage);
    if (lastBefore(index.env.get(variable), line)) return false;
    return lastBefore(index.arg.get(variable), line) ? true : undefined;
  };
  // `getTriggerInstruction()` parses an ONBUILD's trigger into a new instruction on every call, and
  // the rules ask for it through effectiveInstruction() dozens of times per instruction: each new
  // one scanned its arguments again, and a cache keyed by the trigger never found it. The trigger is
  // as immutable as its ONBUILD: it is made once here.
  const onbuild = Onbuild.prototype as unknown as { getTriggerInstruction(): Instruction | null };
  const trigger = onbuild.getTriggerInstruction;
  onbuild.getTriggerInstruction = function (this: { [TRIGGER]?: Instruction | null }): Instruction | null {
    let found = this[TRIGGER];
    if (found === undefined) this[TRIGGER] = found = trigger.call(this);
    return found;
  };
  // `getVariables()` reads every argument of the instruction a character at a time for `$`, after
  // finding the argument's text by two offset look-ups; dockerfile-utils asks it of every
  // instruction, some of them several times. Most instructions have no `$` at all (9 in 10 of a
  // generated 5,000-line file's lines): one search of the instruction's text answers those. The
  // arguments lie within the instruction's range, so no `$` there means no variable.
  // (A search of the text from the instruction on went as far as the next `$`, to the end of the
  // text for every instruction after the last one: the `$`s of a text are listed once instead.)
  const variables = prototype.getVariables;
  prototype.getVariables = function (this: ScannedInstruction): unknown[] {
    return holds(this, '$') ? variables.call(this) : [];
  };
  prototype[PATCHED] = true;
}

/** What the parser's steps below add to: dockerfile-ast's Dockerfile. */
interface ParsedFile {
  addComment(comment: Comment): void;
}

/** The members of dockerfile-ast's Parser that its processArguments() and processComment() read and call. */
interface ArgumentScanner {
  buffer: string;
  escapeChar: string;
  document: TextDocument;
  processHeredocs(instruction: Instruction, offset: number): number;
  processComment(dockerfile: ParsedFile, start: number): number;
  createInstruction(dockerfile: unknown, keyword: string, start: number, keywordEnd: number, end: number): Instruction;
  /** Where the next `<` of the buffer is (the buffer's length: none), found from `[LT_FROM]` on. */
  [NEXT_LT]?: number;
  [LT_FROM]?: number;
}
const NEXT_LT = Symbol('docksmith.nextLessThan');
/** A run of characters that are neither a line break nor the escape character (`\\` or `` ` ``, all dockerfile-ast knows). */
const PLAIN_BACKSLASH = /[^\r\n\\]+/y;
const PLAIN_BACKTICK = /[^\r\n`]+/y;
/** ... nor a blank: a run of an argument's characters. */
const WORD_BACKSLASH = /[^ \t\r\n\\]+/y;
const WORD_BACKTICK = /[^ \t\r\n`]+/y;
const LT_FROM = Symbol('docksmith.lessThanFrom');

/**
 * Whether `buffer[start, end)` holds a `<`, through the parser's note of the next one: a parse reads
 * its instructions in order, so each `<` is searched for once (no `<` at all: one search per parse).
 */
function holdsLessThan(parser: ArgumentScanner, start: number, end: number): boolean {
  let next = parser[NEXT_LT];
  if (next === undefined || parser[LT_FROM]! > start || next < start) {
    next = parser.buffer.indexOf('<', start);
    parser[NEXT_LT] = next = next === -1 ? parser.buffer.length : next;
    parser[LT_FROM] = start;
  }
  return next < end;
}

/**
 * dockerfile-ast's Parser.processArguments(), which finds where an instruction's arguments end,
 * except for the instruction it made there only to ask it for heredocs (processHeredocs()): the
 * parser then makes the instruction again, and the first one is dropped. Making one reads all of its
 * arguments, flags and JSON form (JSONInstruction's constructor): the dropped copy was a third of a
 * parse. A heredoc is an argument that starts with `<<`, so an instruction without a `<` has none
 * and is not made here; any other goes through processHeredocs() as before. The loop is the
 * library's, but for the characters that change nothing, which it skips in runs. (Taken back once,
 * in the seventeenth session, for a 10,000-line stage's peak that rose without that garbage; with
 * what later sessions changed it no longer does: docs/performance.md, twenty-fourth session.)
 */
function processArguments(
  this: ArgumentScanner,
  dockerfile: ParsedFile,
  keyword: string,
  keywordEnd: number,
  start: number,
  offset: number,
): number {
  const buffer = this.buffer;
  const escapeChar = this.escapeChar;
  const plain = escapeChar === '`' ? PLAIN_BACKTICK : PLAIN_BACKSLASH;
  let escaped = false;
  argumentsCheck: for (let i = offset + 1; i < buffer.length; i++) {
    if (!escaped) {
      // Outside a continuation only a line break or the escape character changes anything: the
      // characters up to the next one are skipped at once, not one turn of the loop each.
      plain.lastIndex = i;
      if (plain.test(buffer)) i = plain.lastIndex;
      if (i >= buffer.length) break;
    }
    const char = buffer.charAt(i);
    switch (char) {
      case '\r':
      case '\n':
        if (escaped) continue;
        return holdsLessThan(this, start, i)
          ? this.processHeredocs(this.createInstruction(dockerfile, keyword, start, keywordEnd, i), i)
          : i;
      case escapeChar: {
        const next = buffer.charAt(i + 1);
        if (next === '\n' || next === '\r') {
          escaped = true;
          i++;
        } else if (next === ' ' || next === '\t') {
          for (let j = i + 2; j < buffer.length; j++) {
            switch (buffer.charAt(j)) {
              case ' ':
              case '\t':
                break;
              case '\r':
              case '\n':
                escaped = true;
                i = j;
                continue argumentsCheck;
              default:
                i = j;
                continue argumentsCheck;
            }
          }
          // reached EOF
          return buffer.length;
        }
        continue;
      }
      case '#':
        if (escaped) {
          i = this.processComment(dockerfile, i);
          continue argumentsCheck;
        }
        break;
      case ' ':
      case '\t':
        break;
      default:
        escaped = false;
        break;
    }
  }
  return buffer.length;
}

/** The rest of a line: characters up to a line break. */
const LINE_REST = /[^\r\n]*/y;

/**
 * dockerfile-ast's Parser.processComment(): the comment from `start` to the end of its line, added
 * to the file. The library found the line's end a character at a time (comments are a quarter of the
 * corpus's text); the same range, and the same Comment, from one search.
 */
function processComment(this: ArgumentScanner, dockerfile: ParsedFile, start: number): number {
  LINE_REST.lastIndex = start + 1;
  LINE_REST.test(this.buffer);
  const end = LINE_REST.lastIndex;
  const range = { start: this.document.positionAt(start), end: this.document.positionAt(end) };
  dockerfile.addComment(new Comment(this.document, range));
  return end;
}

const SPACE = 0x20;
const TAB = 0x09;
const CR = 0x0d;
const LF = 0x0a;

/** The members of dockerfile-ast's Instruction that its getRawArguments() reads. */
interface ScannedInstruction {
  readonly document: { offsetAt(position: Position): number; positionAt(offset: number): Position; getText(): string };
  readonly escapeChar: string;
  getRange(): Range;
  getInstructionRange(): Range;
  getTextContent(): string;
}

/** vscode-languageserver-types' `uinteger`: a number from 0 to 2^31 - 1 (here a primitive one only). */
const isUinteger = (value: unknown): value is number => typeof value === 'number' && value >= 0 && value <= 2147483647;

/** vscode-languageserver-types' `Position.is()`, for positions whose numbers are primitives. */
const isPosition = (value: unknown): value is Position =>
  value !== null &&
  typeof value === 'object' &&
  isUinteger((value as Position).line) &&
  isUinteger((value as Position).character);

/** Where each of a few characters (`$`, `<`) is in a parsed text, found once per text (its document never changes). */
const characterOffsets = new WeakMap<object, Map<string, number[]>>();

/** Whether the instruction's text holds `character` (a binary search in the text's list of them). */
function holds(instruction: ScannedInstruction, character: string): boolean {
  const { document } = instruction;
  let byCharacter = characterOffsets.get(document);
  if (!byCharacter) characterOffsets.set(document, (byCharacter = new Map()));
  let offsets = byCharacter.get(character);
  if (!offsets) {
    const text = document.getText();
    offsets = [];
    for (let at = text.indexOf(character); at !== -1; at = text.indexOf(character, at + 1)) offsets.push(at);
    byCharacter.set(character, offsets);
  }
  const { start, end } = instruction.getRange();
  const next = offsets[countBelow(offsets, document.offsetAt(start))];
  return next !== undefined && next < document.offsetAt(end);
}

/**
 * getRawArguments() as dockerfile-ast's scan answers it, for an instruction whose escape characters
 * all end a line (continuations; most instructions have none): the runs of characters between
 * spaces, tabs and line breaks, where a continuation joins lines and a `#` line inside one is
 * dropped, with the values and ranges the scan gives them. The scan built each value a character
 * at a time (it allocated an eighth of a first analysis) and found each position's line again; this
 * slices the text and counts lines as it goes. Undefined for any other instruction (an escaped
 * character, an escape before spaces, a lone carriage return): the scan reads those.
 */
function fastArguments(instruction: ScannedInstruction): Argument[] | undefined {
  const { document, escapeChar } = instruction;
  const keyword = instruction.getInstructionRange();
  const escape = escapeChar.length === 1 ? escapeChar.charCodeAt(0) : -1;
  const plain = escapeChar === '`' ? WORD_BACKTICK : WORD_BACKSLASH;
  // The scan places the text's characters from the keyword's end: only sound where the text starts
  // at the keyword, as every instruction's does.
  const begin = document.offsetAt(keyword.end);
  if (escape === -1 || document.offsetAt(instruction.getRange().start) !== document.offsetAt(keyword.start))
    return undefined;
  // The instruction's text in the document, from the keyword's end: read in place, no copy.
  const text = document.getText();
  const stop = document.offsetAt(instruction.getRange().end);
  const args: Argument[] = [];
  // Lines as the scan goes: the current one's number and where it starts in the document.
  let line = keyword.end.line;
  let lineStart = begin - keyword.end.character;
  // The scan's state (dockerfile-ast's Instruction.getRawArguments), the value kept as slices.
  let found = -1; // where the argument being read starts
  let foundLine = 0; // ... its line, and where that line starts
  let foundLineStart = 0;
  let value = ''; // its characters before the current run
  let run = -1; // where its current run of characters starts (-1: none)
  let runEnd = -1;
  let escaping = false; // in a continuation: spaces, tabs and line breaks are skipped
  let escapedWhitespace = false; // ... and some were, on this line
  let escapeMarker = -1; // where the argument's last line ended (its continuation's escape)
  let markerLine = 0; // ... its line, and where that line starts
  let markerLineStart = 0;
  let atLineStart = false; // at a line's start inside a continuation: `#` starts a comment line
  let comment = false;
  /** Ends the argument being read at `end`, on line `endLine` (which starts at `endLineStart`). */
  const push = (end: number, endLine: number, endLineStart: number): void => {
    const full = run === -1 ? value : value + text.slice(run, runEnd);
    const from = found - foundLineStart;
    const to = end - endLineStart;
    args.push(
      foundLine === endLine
        ? (new LineArgument(full, foundLine, from, to) as unknown as Argument)
        : new Argument(full, {
            start: { line: foundLine, character: from },
            end: { line: endLine, character: to },
          }),
    );
    found = -1;
    value = '';
    run = -1;
  };
  for (let i = begin; i < stop; i++) {
    const c = text.charCodeAt(i);
    if (c === CR && (i + 1 >= stop || text.charCodeAt(i + 1) !== LF)) return undefined;
    if (c === SPACE || c === TAB || c === CR || c === LF) {
      if (escaping) {
        escapedWhitespace = c !== CR && c !== LF;
        if ((c === CR || c === LF) && comment) {
          comment = false;
          atLineStart = true;
        }
      } else if (found !== -1) {
        if (escapeMarker === -1) push(i, line, lineStart);
        else push(escapeMarker, markerLine, markerLineStart);
        escapeMarker = -1;
      }
      if (c === LF) {
        line++;
        lineStart = i + 1;
      }
    } else if (c === escape) {
      const next = i + 1 < stop ? text.charCodeAt(i + 1) : -1;
      const lineBreak = next === LF ? 1 : next === CR && i + 2 < stop && text.charCodeAt(i + 2) === LF ? 2 : 0;
      if (lineBreak === 0) return undefined;
      comment = false;
      escaping = true;
      atLineStart = true;
      if (found !== -1 && escapeMarker === -1) {
        escapeMarker = i;
        markerLine = line;
        markerLineStart = lineStart;
      }
      if (run !== -1) {
        value += text.slice(run, runEnd);
        run = -1;
      }
      i += lineBreak;
      line++;
      lineStart = i + 1;
    } else if (!comment) {
      if (atLineStart && c === 0x23 /* # */) comment = true;
      else {
        if (escapedWhitespace && escapeMarker !== -1) push(escapeMarker, markerLine, markerLineStart);
        escapedWhitespace = false;
        escaping = false;
        escapeMarker = -1;
        if (run === -1 || runEnd !== i) {
          if (run !== -1) value += text.slice(run, runEnd);
          run = i;
        }
        runEnd = i + 1;
        if (found === -1) {
          found = i;
          foundLine = line;
          foundLineStart = lineStart;
        }
        // The characters after it up to a blank, a line break or an escape change nothing but where
        // the run ends: skipped in one search, not a turn of the loop each.
        plain.lastIndex = i + 1;
        if (plain.test(text)) {
          i = Math.min(plain.lastIndex, stop) - 1;
          runEnd = i + 1;
        }
      }
      atLineStart = false;
    }
  }
  if (found !== -1) {
    if (escapeMarker === -1) push(stop, line, lineStart);
    else push(escapeMarker, markerLine, markerLineStart);
  }
  return args;
}

/**
 * An argument on one line, as fastArguments() and compact() make it: dockerfile-ast's Argument
 * (its prototype and so `instanceof`), with the range kept as three numbers and made when asked, a
 * new one on each call. An argument's range and its two positions were half of what a parsed file
 * kept in memory (7 of 15 MB for a generated 20,000-line file); and since every caller gets its own
 * range, none can change another's.
 */
class LineArgument {
  constructor(
    readonly value: string,
    private readonly line: number,
    private readonly from: number,
    private readonly to: number,
  ) {}

  /** Read by Argument's own methods (getRange() among them). */
  get range(): Range {
    return { start: { line: this.line, character: this.from }, end: { line: this.line, character: this.to } };
  }

  /** Argument.isAfter(), without making the range. */
  isAfter(position: Position): boolean {
    if (this.line < position.line) return false;
    return this.line > position.line || this.from > position.character;
  }

  /** Argument.isBefore(), without making the range. */
  isBefore(position: Position): boolean {
    if (this.line < position.line) return true;
    return this.line > position.line ? false : this.to < position.character;
  }
}
Object.setPrototypeOf(LineArgument.prototype, Argument.prototype);

/**
 * A scanned argument that sits on one line (most arguments of a continued instruction) as a
 * LineArgument. Its value is the text at its range when the two are equal (no escaped line break or
 * comment inside it): a slice of the text the parse keeps anyway, rather than the string the scan
 * built a character at a time.
 */
function compact(argument: Argument, document: ScannedInstruction['document']): Argument {
  const { start, end } = argument.getRange();
  if (start.line !== end.line) return argument;
  const value = argument.getValue();
  const offset = document.offsetAt(start);
  const raw = document.getText().slice(offset, offset + end.character - start.character);
  return new LineArgument(
    raw === value ? raw : value,
    start.line,
    start.character,
    end.character,
  ) as unknown as Argument;
}

function freeze(argument: Argument): Argument {
  if (!(argument instanceof LineArgument)) {
    const range = argument.getRange();
    Object.freeze(range.start);
    Object.freeze(range.end);
    Object.freeze(range);
  }
  Object.freeze(argument);
  return argument;
}
