import { Healthcheck, JSONInstruction, type Instruction } from 'dockerfile-ast';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Range } from 'vscode-languageserver-types';
import { defineRule } from './types';
import { effectiveInstruction, isExecForm } from '../shell';
import { isPosixShell } from '../model';

/** `$NAME` or `${NAME...}` in a JSON string's source text. */
const VARIABLE = /\$(?:\{[A-Za-z_][A-Za-z0-9_]*(?:[:#%/?+-][^}]*)?\}|[A-Za-z_][A-Za-z0-9_]*)/g;

interface Element {
  /** The decoded string. */
  readonly value: string;
  /** The document range of the string, quotes included. */
  readonly range: Range;
}

function decode(raw: string): string {
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === 'string' ? value : raw.slice(1, -1);
  } catch {
    return raw.slice(1, -1);
  }
}

/** The strings of a `HEALTHCHECK CMD [...]` array (dockerfile-ast does not read them). */
function healthcheckStrings(document: TextDocument, instruction: Healthcheck): Range[] | undefined {
  const sub = instruction.getSubcommand();
  if (!sub || sub.getValue().toUpperCase() !== 'CMD') return undefined;
  const text = document.getText();
  let i = document.offsetAt(sub.getRange().end);
  const end = document.offsetAt(instruction.getRange().end);
  while (i < end && /\s/.test(text[i]!)) i++;
  if (text[i] !== '[') return undefined;
  const out: Range[] = [];
  for (i++; i < end && text[i] !== ']'; i++) {
    if (text[i] !== '"') continue;
    let j = i + 1;
    while (j < end && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
    if (j >= end) return undefined;
    out.push({ start: document.positionAt(i), end: document.positionAt(j + 1) });
    i = j;
  }
  return out;
}

function elements(document: TextDocument, instruction: Instruction): Element[] | undefined {
  let ranges: Range[] | undefined;
  const keyword = instruction.getKeyword();
  if (keyword === 'HEALTHCHECK' && instruction instanceof Healthcheck) {
    ranges = healthcheckStrings(document, instruction);
  } else if (
    (keyword === 'RUN' || keyword === 'CMD' || keyword === 'ENTRYPOINT') &&
    instruction instanceof JSONInstruction &&
    isExecForm(instruction)
  ) {
    ranges = instruction.getJSONStrings().map((s) => s.getRange());
  }
  return ranges?.map((range) => ({ range, value: decode(document.getText(range)) }));
}

function baseName(path: string): string {
  return path
    .replace(/\\/g, '/')
    .split('/')
    .pop()!
    .toLowerCase()
    .replace(/\.exe$/, '');
}

/**
 * Index of the first element a shell reads as script text (and so expands): the element after
 * `sh -c` (also `bash -ec`, `tini -- sh -c`, ...), or after `powershell`/`pwsh`. Infinity if none.
 */
function shellScriptStart(values: readonly string[]): number {
  for (let i = 0; i < values.length; i++) {
    const name = baseName(values[i]!);
    if (name === 'powershell' || name === 'pwsh') return i + 1;
    if (!isPosixShell([name])) continue;
    for (let j = i + 1; j < values.length; j++) {
      if (/^-[A-Za-z]*c[A-Za-z]*$/.test(values[j]!)) return j + 1;
    }
  }
  return Number.POSITIVE_INFINITY;
}

export default defineRule({
  id: 'exec-form-variable',
  severity: 'warning',
  peers: [],
  instructions: ['RUN', 'CMD', 'ENTRYPOINT', 'HEALTHCHECK'],
  scope: 'stage',
  messages: {
    default: {
      en: '`{0}` is not expanded: the exec form runs the program without a shell, so it receives the text `{0}` as is. Use the shell form, or a shell explicitly: `["sh", "-c", "exec app {0}"]`.',
      'zh-cn':
        '`{0}` 不会被展开：exec 格式不经过 shell 直接运行程序，程序收到的就是文本 `{0}`。请改用 shell 格式，或显式使用 shell：`["sh", "-c", "exec app {0}"]`。',
    },
  },
  check({ model, instructions, report }) {
    const document = model.document;
    const text = document.getText();
    for (const outer of instructions) {
      const { start, end } = outer.getRange();
      if (!text.slice(document.offsetAt(start), document.offsetAt(end)).includes('$')) continue; // nothing to expand
      const instruction = effectiveInstruction(outer);
      const list = elements(document, instruction);
      if (!list || list.length === 0) continue;
      const scriptStart = shellScriptStart(list.map((e) => e.value));
      list.forEach((element, index) => {
        if (index >= scriptStart) return;
        const raw = document.getText(element.range);
        const base = document.offsetAt(element.range.start);
        for (const m of raw.matchAll(VARIABLE)) {
          const before = raw[m.index - 1];
          if (before === '\\' || before === '$') continue;
          report({
            range: {
              start: document.positionAt(base + m.index),
              end: document.positionAt(base + m.index + m[0].length),
            },
            args: [m[0]],
          });
        }
      });
    }
  },
});
