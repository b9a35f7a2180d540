import { Healthcheck, type Instruction } from 'dockerfile-ast';
import type { Range } from 'vscode-languageserver-types';
import { defineRule } from './types';
import { effectiveInstruction, isExecForm } from '../shell';
import type { DockerfileModel } from '../model';

const SHELL_FORM = new Set(['RUN', 'CMD', 'ENTRYPOINT']);
const VALUE_INSTRUCTIONS = new Set(['ENV', 'LABEL', 'ARG']);

/** How the instruction passes `#` on: `shell` (a shell reads it: fine), `json` (exec form), `words`. */
function mode(instruction: Instruction, text: string, model: DockerfileModel): 'shell' | 'json' | 'words' {
  const keyword = instruction.getKeyword();
  if (SHELL_FORM.has(keyword)) return isExecForm(instruction) ? 'json' : 'shell';
  if (keyword === 'HEALTHCHECK' && instruction instanceof Healthcheck) {
    const sub = instruction.getSubcommand();
    if (sub && sub.getValue().toUpperCase() === 'CMD') {
      // The first character after the subcommand and any whitespace (no copy of the rest of the file).
      let i = model.document.offsetAt(sub.getRange().end);
      while (i < text.length && /\s/.test(text[i]!)) i++;
      return text[i] === '[' ? 'json' : 'shell';
    }
  }
  return 'words';
}

/**
 * The `# ...` texts Docker takes as arguments: an unquoted `#` that starts a word, to the end of
 * its line. Lines Docker drops inside a continuation (blank, or starting with `#`) are skipped;
 * a heredoc body (COPY/ADD `<<EOF`) is file content and is not read.
 */
function inlineComments(model: DockerfileModel, instruction: Instruction): Range[] {
  // `ENV COLOR #fff`, `LABEL issue #12`: a `#` glued to a word there is a value, not a comment.
  const valueWords = VALUE_INSTRUCTIONS.has(instruction.getKeyword());
  const document = model.document;
  const text = document.getText();
  const escape = model.escape;
  const end = document.offsetAt(instruction.getRange().end);
  let pos = document.offsetAt(instruction.getInstructionRange().end);
  const found: Range[] = [];
  let single = false;
  let double = false;
  let wordStart = true;
  let first = true;
  while (pos < end) {
    let lineEnd = text.indexOf('\n', pos);
    if (lineEnd < 0 || lineEnd > end) lineEnd = end;
    let contentEnd = lineEnd;
    if (text[contentEnd - 1] === '\r') contentEnd--;
    const line = text.slice(pos, contentEnd);
    if (!first && (line.trim() === '' || line.trimStart().startsWith('#'))) {
      pos = lineEnd + 1;
      continue;
    }
    first = false;
    let heredoc = false;
    let continued = false;
    for (let i = pos; i < contentEnd; i++) {
      const ch = text[i]!;
      if (ch === escape && !single && text.slice(i + 1, contentEnd).trim() === '') {
        continued = true;
        break;
      }
      if (single) {
        if (ch === "'") single = false;
        continue;
      }
      if (double) {
        if (ch === escape || ch === '\\') i++;
        else if (ch === '"') double = false;
        continue;
      }
      if (ch === escape) {
        i++;
        wordStart = false;
      } else if (ch === ' ' || ch === '\t') {
        wordStart = true;
      } else if (ch === '#' && wordStart && !(valueWords && /[^\s]/.test(text[i + 1] ?? ' '))) {
        let stop = contentEnd;
        const escapeAt = text.lastIndexOf(escape, contentEnd - 1);
        if (escapeAt > i && text.slice(escapeAt + 1, contentEnd).trim() === '') {
          stop = escapeAt;
          continued = true;
        }
        while (stop > i && /\s/.test(text[stop - 1]!)) stop--;
        found.push({ start: document.positionAt(i), end: document.positionAt(stop) });
        break;
      } else {
        if (ch === "'") single = true;
        else if (ch === '"') double = true;
        else if (ch === '<' && wordStart && text[i + 1] === '<') heredoc = true;
        wordStart = false;
      }
    }
    if (heredoc || !continued) break;
    pos = lineEnd + 1;
  }
  return found;
}

export default defineRule({
  id: 'inline-comment',
  severity: 'warning',
  peers: [],
  instructions: [
    'ADD',
    'ARG',
    'COPY',
    'ENV',
    'EXPOSE',
    'FROM',
    'HEALTHCHECK',
    'LABEL',
    'MAINTAINER',
    'ONBUILD',
    'SHELL',
    'STOPSIGNAL',
    'USER',
    'VOLUME',
    'WORKDIR',
  ],
  scope: 'stage',
  messages: {
    default: {
      en: 'This is not a comment: Docker only treats `#` as a comment at the start of a line, so `{0}` is passed to {1} as arguments. Put the comment on its own line above.',
      'zh-cn': '这不是注释：Docker 只把行首的 `#` 当作注释，所以 `{0}` 会作为参数传给 {1}。请把注释单独写在上面一行。',
    },
    json: {
      en: 'This is not a comment: the text after the JSON array makes Docker read `{1} [...] {0}` as shell form, run by `/bin/sh -c` with the brackets and quotes as part of the command. Put the comment on its own line above.',
      'zh-cn':
        '这不是注释：JSON 数组后面多出的文字让 Docker 把 `{1} [...] {0}` 当作 shell 格式，由 `/bin/sh -c` 执行，方括号和引号都成了命令的一部分。请把注释单独写在上面一行。',
    },
  },
  check({ model, instructions, report }) {
    const text = model.document.getText();
    for (const outer of instructions) {
      const instruction = effectiveInstruction(outer);
      const how = mode(instruction, text, model);
      if (how === 'shell') continue;
      for (const range of inlineComments(model, instruction)) {
        report({
          range,
          message: how === 'json' ? 'json' : 'default',
          args: [model.document.getText(range), instruction.getKeyword()],
        });
      }
    }
  },
  fix({ model, range }) {
    const document = model.document;
    const text = document.getText();
    const instruction = model.instructionAtLine(range.start.line);
    if (!instruction) return [];
    const comment = document.getText(range);
    const start = document.offsetAt(range.start);
    const end = document.offsetAt(range.end);
    let lineEnd = text.indexOf('\n', end);
    if (lineEnd < 0) lineEnd = text.length;
    if (text[lineEnd - 1] === '\r') lineEnd--;
    // Keep a continuation (`EXPOSE 80 # web \`): drop only the comment; else drop the space before it too.
    const continued = text.slice(end, lineEnd).trim() !== '';
    let from = start;
    if (!continued) while (from > 0 && (text[from - 1] === ' ' || text[from - 1] === '\t')) from--;
    const to = continued ? end + (/^[ \t]*/.exec(text.slice(end))?.[0].length ?? 0) : lineEnd;
    const firstLine = instruction.getRange().start.line;
    const lineStart = document.offsetAt({ line: firstLine, character: 0 });
    const indent = /^[ \t]*/.exec(text.slice(lineStart))![0];
    // The line break of this line, else of the file's first line.
    const lineBreak = text.indexOf('\n', lineStart) >= 0 ? text.indexOf('\n', lineStart) : text.indexOf('\n');
    const eol = lineBreak > 0 && text[lineBreak - 1] === '\r' ? '\r\n' : '\n';
    return [
      {
        title: { en: 'Move the comment to its own line', 'zh-cn': '把注释移到单独一行' },
        edits: [
          {
            range: { start: { line: firstLine, character: 0 }, end: { line: firstLine, character: 0 } },
            newText: `${indent}${comment}${eol}`,
          },
          { range: { start: document.positionAt(from), end: document.positionAt(to) }, newText: '' },
        ],
        preferred: true,
      },
    ];
  },
});
