import type { Instruction } from 'dockerfile-ast';
import { From, Onbuild } from 'dockerfile-ast';
import type { Range, TextEdit } from 'vscode-languageserver-types';
import { heredocsOf } from './folding';
import { isPosixShell, type DockerfileModel } from './model';
import { effectiveInstruction, isExecForm } from './shell';
import { INSTRUCTION_SET } from './keywords';

export interface FormatOptions {
  /** Size of an indent in spaces (the editor's `tabSize`). */
  readonly tabSize: number;
  /** Indent with spaces (`true`) or a tab. */
  readonly insertSpaces: boolean;
  /**
   * `docksmith.format.ignoreMultilineInstructions`: leave the continuation lines of multi-line
   * instructions as they are (their first line is still formatted).
   */
  readonly ignoreMultilineInstructions?: boolean;
}

const KEYWORDS = INSTRUCTION_SET;
const SHELL_KEYWORDS = new Set(['RUN', 'CMD', 'ENTRYPOINT', 'HEALTHCHECK']);
/** A comment that Docker may read as a parser directive: its leading whitespace is left alone. */
const DIRECTIVE_LIKE = /^\s*#\s*[a-zA-Z][a-zA-Z0-9]*\s*=/;

/**
 * Formats a Dockerfile without changing what it builds:
 * - instruction keywords (and ONBUILD triggers, and FROM's `AS`) upper-cased, no indentation before
 *   them, one space after them;
 * - continuation lines indented by one indent; comment lines inside continuations too (Docker
 *   drops them); trailing whitespace removed; whitespace-only lines emptied;
 * - never touched: heredoc bodies and delimiters, the text of comments, anything inside quotes
 *   (a continuation line that starts inside a quoted string keeps its indentation, since Docker
 *   keeps it in the string), a continuation that joins the middle of a word (`a\` + `b` is `ab`),
 *   whitespace inside a line other than after the keyword.
 * With a range, only edits on the range's lines are returned.
 */
export function formatModel(model: DockerfileModel, options: FormatOptions, range?: Range): TextEdit[] {
  const { document } = model;
  const text = document.getText();
  const lineCount = document.lineCount;
  const indent = options.insertSpaces ? ' '.repeat(Math.max(1, options.tabSize)) : '\t';
  const firstLine = range ? range.start.line : 0;
  const lastLine = range
    ? range.end.character === 0 && range.end.line > range.start.line
      ? range.end.line - 1
      : range.end.line
    : lineCount - 1;
  const edits: TextEdit[] = [];
  const owned = new Uint8Array(lineCount);

  const lineStart = (line: number) => document.offsetAt({ line, character: 0 });
  const lineEnd = (line: number) => {
    if (line + 1 >= lineCount) return text.length;
    const next = lineStart(line + 1);
    if (text[next - 1] === '\n') return text[next - 2] === '\r' ? next - 2 : next - 1;
    return next - 1;
  };
  const replace = (line: number, start: number, end: number, newText: string) => {
    if (line < firstLine || line > lastLine) return;
    if (text.slice(start, end) === newText) return;
    edits.push({ range: { start: document.positionAt(start), end: document.positionAt(end) }, newText });
  };
  /** Removes trailing whitespace of a line from `from` (an offset in the line) on. */
  const trimTrailing = (line: number, from: number, end: number) => {
    let last = end;
    while (last > from && (text[last - 1] === ' ' || text[last - 1] === '\t')) last--;
    if (last < end) replace(line, last, end, '');
  };
  const continued = (content: string) => continuationAt(content, model.escape);

  for (const instruction of model.instructions) {
    const r = instruction.getRange();
    for (let l = r.start.line; l <= r.end.line; l++) owned[l] = 1;
    if (r.end.line < firstLine || r.start.line > lastLine) continue;

    // Heredoc bodies and delimiters are never touched.
    let heredocStart = Number.POSITIVE_INFINITY;
    for (const heredoc of heredocsOf(effectiveInstruction(instruction))) {
      const body = heredoc.getContentRange() ?? heredoc.getDelimiterRange();
      if (body) heredocStart = Math.min(heredocStart, body.start.line);
    }

    // The first line.
    const line = r.start.line;
    const ls = lineStart(line);
    const le = lineEnd(line);
    const kw = instruction.getInstructionRange();
    // A keyword split by a line continuation (`RU\` + `N`) is left as it is.
    if (kw.end.line !== line) continue;
    const kwStart = document.offsetAt(kw.start);
    let kwEnd = document.offsetAt(kw.end);
    replace(line, ls, kwStart, '');
    upperKeyword(kwStart, kwEnd);
    if (instruction instanceof Onbuild) {
      const trigger = instruction.getTriggerRange();
      if (trigger && trigger.end.line === line && instruction.getTriggerInstruction()) {
        const tStart = document.offsetAt(trigger.start);
        const tWordEnd = document.offsetAt(trigger.end);
        spaceAfter(line, kwEnd, tStart, le);
        upperKeyword(tStart, tWordEnd);
        kwEnd = tWordEnd;
      }
    }
    if (instruction instanceof From) {
      // `FROM x as y`: BuildKit warns when FROM and AS differ in case (FromAsCasing).
      const as = instruction.getArguments()[1];
      const range = as?.getRange();
      if (as && range && as.getValue().toLowerCase() === 'as' && range.start.line === range.end.line) {
        const start = document.offsetAt(range.start);
        replace(range.start.line, start, start + 2, 'AS');
      }
    }
    let next = kwEnd;
    while (next < le && (text[next] === ' ' || text[next] === '\t')) next++;
    if (next < le) spaceAfter(line, kwEnd, next, le);

    const tracker = createTracker(model, instruction);
    const firstContent = text.slice(ls, le);
    const firstContinued = r.end.line > line && continued(firstContent);
    const keptFirst = firstContinued ? firstContent.slice(0, firstContinued.index) : firstContent;
    tracker.feed(text.slice(kwEnd, ls + keptFirst.length));
    if (firstContinued || !tracker.significant()) trimTrailing(line, kwEnd, le);
    // Does the joined text so far end with whitespace (a word boundary)?
    let boundary = /[ \t]$/.test(text.slice(kwStart, ls + keptFirst.length));

    if (r.end.line === line || options.ignoreMultilineInstructions) continue;

    // Continuation lines.
    for (let l = line + 1; l <= r.end.line && l < heredocStart; l++) {
      const s = lineStart(l);
      const e = lineEnd(l);
      const content = text.slice(s, e);
      const trimmed = content.trimStart();
      const leading = content.length - trimmed.length;
      if (trimmed === '' || trimmed.startsWith('#')) {
        // Dropped by Docker: an empty line or a comment inside the continuation.
        if (trimmed === '') replace(l, s, e, '');
        else {
          replace(l, s, s + leading, indent);
          trimTrailing(l, s + leading, e);
        }
        continue;
      }
      const cont = l < r.end.line ? continued(content) : undefined;
      const kept = cont ? content.slice(0, cont.index) : content;
      const midWord = !boundary && leading === 0;
      if (!tracker.significant() && !midWord) replace(l, s, s + leading, indent);
      tracker.feed(kept);
      if (cont || !tracker.significant()) trimTrailing(l, s + leading, e);
      if (kept.length > 0) boundary = /[ \t]$/.test(kept);
    }
  }

  // Lines outside instructions: comments and blank lines.
  const firstInstructionLine = model.instructions[0]?.getRange().start.line ?? lineCount;
  for (let l = Math.max(0, firstLine); l <= Math.min(lastLine, lineCount - 1); l++) {
    if (owned[l]) continue;
    const s = lineStart(l);
    const e = lineEnd(l);
    const content = text.slice(s, e);
    const trimmed = content.trimStart();
    if (trimmed === '') {
      replace(l, s, e, '');
      continue;
    }
    if (!trimmed.startsWith('#')) continue;
    const leading = content.length - trimmed.length;
    if (!(l < firstInstructionLine && DIRECTIVE_LIKE.test(content))) replace(l, s, s + leading, '');
    trimTrailing(l, s + leading, e);
  }

  return edits.sort(
    (a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character,
  );

  function upperKeyword(start: number, end: number): void {
    const word = text.slice(start, end);
    if (KEYWORDS.has(word.toUpperCase())) replace(document.positionAt(start).line, start, end, word.toUpperCase());
  }

  /** One space between a keyword and what follows it on the line. */
  function spaceAfter(line: number, from: number, to: number, end: number): void {
    if (to < end && to > from) replace(line, from, to, ' ');
  }
}

/** Where the line continuation (escape + optional spaces at the end of the line) starts. */
function continuationAt(content: string, escape: string): { index: number } | undefined {
  let i = content.length;
  while (i > 0 && (content[i - 1] === ' ' || content[i - 1] === '\t')) i--;
  if (i > 0 && content[i - 1] === escape) return { index: i - 1 };
  return undefined;
}

interface QuoteTracker {
  /** Reads more of the instruction's joined text. */
  feed(chunk: string): void;
  /** Whether whitespace here is part of a value (inside quotes or `${...}`, or escaped). */
  significant(): boolean;
}

function createTracker(model: DockerfileModel, instruction: Instruction): QuoteTracker {
  const effective = effectiveInstruction(instruction);
  const keyword = effective.getKeyword();
  if (isExecForm(effective)) return builderTracker('\\');
  if (SHELL_KEYWORDS.has(keyword) && isPosixShell(model.shellFor(instruction))) return shellTracker();
  return builderTracker(model.escape);
}

/** Quotes as BuildKit's word lexer reads them (ENV, LABEL, COPY, ... and non-POSIX shells). */
function builderTracker(escape: string): QuoteTracker {
  let single = false;
  let double = false;
  let braces = 0;
  let pending = false;
  return {
    feed(chunk) {
      for (let i = 0; i < chunk.length; i++) {
        const ch = chunk[i]!;
        if (pending) {
          pending = false;
          continue;
        }
        if (ch === escape && !single) {
          pending = true;
          continue;
        }
        if (ch === "'" && !double) single = !single;
        else if (ch === '"' && !single) double = !double;
        else if (!single && ch === '$' && chunk[i + 1] === '{') {
          braces++;
          i++;
        } else if (!single && ch === '}' && braces > 0) braces--;
      }
    },
    // A pending escape applies to the next character, whitespace included.
    significant: () => pending || single || double || braces > 0,
  };
}

type ShellContext = 'sq' | 'dq' | 'cmd' | 'brace' | 'bt' | 'comment';

/** Quotes, `$(...)`, `${...}`, backquotes and comments as a POSIX shell reads them. */
function shellTracker(): QuoteTracker {
  const stack: ShellContext[] = [];
  let previous = ' ';
  let pending = false;
  return {
    feed(chunk) {
      for (let i = 0; i < chunk.length; i++) {
        const ch = chunk[i]!;
        const prev = previous;
        previous = ch;
        const top = stack[stack.length - 1];
        if (top === 'comment') continue;
        if (pending) {
          pending = false;
          continue;
        }
        if (top === 'sq') {
          if (ch === "'") stack.pop();
          continue;
        }
        if (ch === '\\') {
          pending = true;
          continue;
        }
        const nextChar = chunk[i + 1];
        if (ch === '$' && (nextChar === '(' || nextChar === '{')) {
          stack.push(nextChar === '(' ? 'cmd' : 'brace');
          previous = nextChar;
          i++;
          continue;
        }
        if (top === 'dq') {
          if (ch === '"') stack.pop();
          else if (ch === '`') stack.push('bt');
          continue;
        }
        if (ch === "'") stack.push('sq');
        else if (ch === '"') stack.push('dq');
        else if (ch === '`') {
          if (top === 'bt') stack.pop();
          else stack.push('bt');
        } else if (ch === '(' && top === 'cmd') stack.push('cmd');
        else if (ch === ')' && top === 'cmd') stack.pop();
        else if (ch === '}' && top === 'brace') stack.pop();
        else if (ch === '#' && top !== 'brace' && /[\s;&|()<>]/.test(prev)) stack.push('comment');
      }
    },
    significant() {
      if (pending && stack[stack.length - 1] !== 'comment') return true;
      for (let i = stack.length - 1; i >= 0; i--) {
        const context = stack[i]!;
        if (context === 'comment' || context === 'cmd' || context === 'bt') return false;
        if (context === 'sq' || context === 'dq' || context === 'brace') return true;
      }
      return false;
    },
  };
}
