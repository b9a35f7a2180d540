import './astPatches';
import { DockerfileParser } from 'dockerfile-ast';
import type { Comment, Dockerfile, Instruction, ParserDirective } from 'dockerfile-ast';
import { lineStarts as lineStartsOf } from './textCache';

/**
 * A run of whole lines parsed together: it starts where a fresh instruction starts (the file's start,
 * a FROM line, or every few instructions in a long stage) and ends where the next segment starts. Instructions and comments carry absolute
 * positions, so a segment whose text and first line are unchanged is reused as it is by the next
 * version of the document.
 */
export interface Segment {
  /** Unique per segment object: equal ids, equal text at equal lines (what a cache key may use). */
  readonly id: number;
  readonly startLine: number;
  /** Exclusive: the next segment's first line, or the line count. */
  readonly endLine: number;
  /** The parse the instructions come from (shared by the segments of one parse). */
  readonly ast: Dockerfile;
  readonly instructions: readonly Instruction[];
  readonly comments: readonly Comment[];
}

/** The index of the first of `segments` (in line order) that ends after `line`; their count when none does. */
export function firstSegmentEndingAfter(segments: readonly Segment[], line: number): number {
  let low = 0;
  let high = segments.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (segments[mid]!.endLine <= line) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** A document as parsed segments; built from the previous version re-parses only what an edit changed. */
export interface ParsedDocument {
  readonly text: string;
  /** Offset of the start of every line. */
  readonly lineStarts: readonly number[];
  readonly segments: readonly Segment[];
  readonly directives: readonly ParserDirective[];
  readonly escape: string;
  /** The line after the parser directives (0 without directives). */
  readonly headerEnd: number;
  /** How the last build went, for tests and the benchmark. */
  readonly stats: ParseStats;
}

export interface ParseStats {
  readonly kind: 'full' | 'incremental' | 'unchanged';
  /** Lines handed to the parser (padding excluded). */
  readonly parsedLines: number;
}

let nextSegmentId = 1;

/**
 * A segment ends before a FROM, or after this many instructions: a long stage is parsed again
 * piece by piece, and its unchanged instructions (with what is cached on them) survive an edit.
 */
const SEGMENT_INSTRUCTIONS = 8;

const isFrom = (instruction: Instruction) => instruction.getKeyword() === 'FROM';

/**
 * Splits the instructions and comments of one parse covering lines [startLine, endLine) into
 * segments at FROM instructions and every SEGMENT_INSTRUCTIONS instructions.
 */
function split(
  ast: Dockerfile,
  instructions: readonly Instruction[],
  comments: readonly Comment[],
  startLine: number,
  endLine: number,
): Segment[] {
  const boundaries = [startLine];
  let count = 0;
  for (const instruction of instructions) {
    const line = instruction.getRange().start.line;
    if (line > boundaries[boundaries.length - 1]! && (isFrom(instruction) || count >= SEGMENT_INSTRUCTIONS)) {
      boundaries.push(line);
      count = 0;
    }
    count++;
  }
  boundaries.push(endLine);
  const segments: Segment[] = [];
  let i = 0;
  let c = 0;
  for (let b = 0; b + 1 < boundaries.length; b++) {
    const from = boundaries[b]!;
    const to = boundaries[b + 1]!;
    const own: Instruction[] = [];
    while (i < instructions.length && instructions[i]!.getRange().start.line < to) own.push(instructions[i++]!);
    const ownComments: Comment[] = [];
    while (c < comments.length && comments[c]!.getRange().start.line < to) {
      const comment = comments[c++]!;
      if (comment.getRange().start.line >= from) ownComments.push(comment);
    }
    segments.push({
      id: nextSegmentId++,
      startLine: from,
      endLine: to,
      ast,
      instructions: own,
      comments: ownComments,
    });
  }
  return segments;
}

function fullParse(text: string, lineStarts: number[]): ParsedDocument {
  const ast = DockerfileParser.parse(text);
  const directives = ast.getDirectives();
  const headerEnd = directives.length > 0 ? directives[directives.length - 1]!.getRange().end.line + 1 : 0;
  const lineCount = lineStarts.length;
  return {
    text,
    lineStarts,
    segments: split(ast, ast.getInstructions(), ast.getComments(), 0, lineCount),
    directives,
    escape: ast.getEscapeCharacter(),
    headerEnd,
    stats: { kind: 'full', parsedLines: lineCount },
  };
}

/** Common prefix length of two strings. */
function commonPrefix(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  // Compare in blocks first: most of a big document is unchanged.
  const BLOCK = 256;
  while (i + BLOCK <= n && a.slice(i, i + BLOCK) === b.slice(i, i + BLOCK)) i += BLOCK;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

function commonSuffix(a: string, b: string, limit: number): number {
  let i = 0;
  const BLOCK = 256;
  while (
    i + BLOCK <= limit &&
    a.slice(a.length - i - BLOCK, a.length - i) === b.slice(b.length - i - BLOCK, b.length - i)
  )
    i += BLOCK;
  while (i < limit && a.charCodeAt(a.length - 1 - i) === b.charCodeAt(b.length - 1 - i)) i++;
  return i;
}

/**
 * An empty line for padding: the directives before it may end with a lone `\r`, which a `\n` would
 * join into one line break; `\r\n` after a `\r` is still exactly one more line.
 */
const PAD = '\r\n';

/** Attempts before giving up on re-parsing a region and parsing the whole text. */
const MAX_EXTENSIONS = 4;

/**
 * Parses `text`, reusing the segments of `previous` that an edit did not touch. The result is the
 * same as a full parse: a re-parsed region starts where a fresh instruction starts and is accepted
 * only when the line after it still starts an instruction (nothing it ends with, such as a line
 * continuation or an open heredoc, runs on into the next segment); otherwise the region grows.
 * An edit in or right after the parser directives (they change how every line is read) parses the
 * whole text.
 */
export function parseDocument(text: string, previous?: ParsedDocument): ParsedDocument {
  if (previous && previous.text === text) return { ...previous, stats: { kind: 'unchanged', parsedLines: 0 } };
  const lineStarts = lineStartsOf(text);
  if (!previous || previous.segments.length === 0) return fullParse(text, lineStarts);
  const old = previous.text;
  const prefix = commonPrefix(old, text);
  const suffix = commonSuffix(old, text, Math.min(old.length, text.length) - prefix);
  const oldChangeEnd = old.length - suffix;
  // Edits up to the line after the directives may add, remove or change a directive.
  const guard = previous.lineStarts[previous.headerEnd + 1] ?? Number.POSITIVE_INFINITY;
  if (prefix < guard) return fullParse(text, lineStarts);

  const oldOffset = (line: number) => (line >= previous.lineStarts.length ? old.length : previous.lineStarts[line]!);
  const segments = previous.segments;
  let first = segments.findIndex((s) => oldOffset(s.endLine) >= prefix);
  if (first < 0) first = segments.length - 1;
  let last = first;
  while (last + 1 < segments.length && oldOffset(segments[last + 1]!.startLine) <= oldChangeEnd) last++;

  const delta = text.length - old.length;
  const lineDelta = lineStarts.length - previous.lineStarts.length;
  const newOffset = (line: number) => (line >= lineStarts.length ? text.length : lineStarts[line]!);
  const startLine = segments[first]!.startLine;
  const padding =
    startLine === 0 ? '' : text.slice(0, newOffset(previous.headerEnd)) + PAD.repeat(startLine - previous.headerEnd);

  for (let attempt = 0; attempt <= MAX_EXTENSIONS; attempt++) {
    // The region in the new text: from its first segment's start to its last segment's end.
    const oldEnd = oldOffset(segments[last]!.endLine);
    const regionEndOffset = oldEnd + delta;
    const next = segments[last + 1];
    // The region's end line in the new text (the next segment's first line, shifted).
    const endLine = next ? next.startLine + lineDelta : lineStarts.length;
    const region = text.slice(newOffset(startLine), regionEndOffset);
    // The next segment's first line, to check that it still starts an instruction.
    const probe = next ? text.slice(regionEndOffset, newOffset(endLine + 1)) : '';
    const ast = DockerfileParser.parse(padding + region + probe);
    if (ast.getEscapeCharacter() !== previous.escape) return fullParse(text, lineStarts);
    let instructions = ast.getInstructions();
    if (next) {
      const lastInstruction = instructions[instructions.length - 1];
      if (!lastInstruction || lastInstruction.getRange().start.line !== endLine) {
        if (last + 1 >= segments.length || attempt === MAX_EXTENSIONS) break;
        last++;
        continue;
      }
      instructions = instructions.slice(0, -1);
    }
    const comments = ast
      .getComments()
      .filter((c) => c.getRange().start.line >= startLine && c.getRange().start.line < endLine);
    const reparsed = split(ast, instructions, comments, startLine, endLine);
    let parsedLines = endLine - startLine;
    let after = segments.slice(last + 1);
    if (lineDelta !== 0 && after.length > 0) {
      // Positions below the edit moved: parse the rest of the file again, at its new lines.
      const restStart = endLine;
      const restPadding = text.slice(0, newOffset(previous.headerEnd)) + PAD.repeat(restStart - previous.headerEnd);
      const rest = DockerfileParser.parse(restPadding + text.slice(newOffset(restStart)));
      const restComments = rest.getComments().filter((c) => c.getRange().start.line >= restStart);
      after = split(rest, rest.getInstructions(), restComments, restStart, lineStarts.length);
      parsedLines += lineStarts.length - restStart;
    }
    return {
      text,
      lineStarts,
      segments: [...segments.slice(0, first), ...reparsed, ...after],
      directives: previous.directives,
      escape: previous.escape,
      headerEnd: previous.headerEnd,
      stats: { kind: 'incremental', parsedLines },
    };
  }
  return fullParse(text, lineStarts);
}
