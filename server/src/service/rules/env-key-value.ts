import type { Env, Label, Property } from 'dockerfile-ast';
import type { TextEdit } from 'vscode-languageserver-types';
import { defineRule } from './types';
import { effectiveInstruction } from '../shell';
import type { DockerfileModel } from '../model';

type Token =
  | { kind: 'continuation' | 'space' | 'plain' | 'single' | 'double'; text: string }
  | { kind: 'escaped'; text: string; char: string };

/**
 * Splits a legacy value as Docker lexes it: line continuations (escape + newline, with the
 * comment and blank lines Docker drops after them), escaped characters, quoted strings,
 * unquoted whitespace and plain characters. Undefined when a quote is not closed.
 */
function lex(raw: string, escape: string): Token[] | undefined {
  const tokens: Token[] = [];
  let i = 0;
  while (i < raw.length) {
    const ch = raw[i]!;
    if (ch === escape) {
      const m = /^[ \t]*\r?\n/.exec(raw.slice(i + 1));
      if (m) {
        let end = i + 1 + m[0].length;
        for (;;) {
          const nl = raw.indexOf('\n', end);
          if (nl < 0) break;
          const line = raw.slice(end, nl).trim();
          if (line !== '' && !line.startsWith('#')) break;
          end = nl + 1;
        }
        tokens.push({ kind: 'continuation', text: raw.slice(i, end) });
        i = end;
        continue;
      }
      const next = raw[i + 1];
      if (next === undefined) return undefined;
      tokens.push({ kind: 'escaped', text: ch + next, char: next });
      i += 2;
    } else if (ch === "'") {
      const close = raw.indexOf("'", i + 1);
      if (close < 0) return undefined;
      tokens.push({ kind: 'single', text: raw.slice(i, close + 1) });
      i = close + 1;
    } else if (ch === '"') {
      let j = i + 1;
      while (j < raw.length && raw[j] !== '"') j += raw[j] === escape ? 2 : 1;
      if (j >= raw.length) return undefined;
      tokens.push({ kind: 'double', text: raw.slice(i, j + 1) });
      i = j + 1;
    } else {
      tokens.push({ kind: ch === ' ' || ch === '\t' ? 'space' : 'plain', text: ch });
      i++;
    }
  }
  return tokens;
}

/**
 * The legacy value (`ENV key <rest of the line>`) written as one `key=value` word with the same
 * meaning: unchanged when it has no unquoted whitespace, else double-quoted (escaping `"`, `$`
 * and the escape character where they were literal; single-quoted parts stay as they are;
 * continuations stay where they are). Undefined when the value cannot be read.
 */
export function quoteLegacyValue(raw: string, escape: string): string | undefined {
  const tokens = lex(raw, escape);
  if (!tokens) return undefined;
  if (!tokens.some((t) => t.kind === 'space')) return raw;
  let out = '';
  let open = false;
  const openQuote = () => {
    if (!open) out += '"';
    open = true;
  };
  for (const token of tokens) {
    switch (token.kind) {
      case 'continuation':
        out += token.text;
        break;
      case 'space':
      case 'plain':
        openQuote();
        out += token.text;
        break;
      case 'escaped':
        openQuote();
        out += token.char === '"' || token.char === '$' || token.char === escape ? token.text : token.char;
        break;
      case 'double':
        openQuote();
        out += token.text.slice(1, -1);
        break;
      case 'single':
        if (open) out += '"';
        open = false;
        out += token.text;
        break;
    }
  }
  if (open) out += '"';
  return out;
}

function legacyFix(model: DockerfileModel, property: Property): TextEdit[] | undefined {
  const valueRange = property.getValueRange();
  const document = model.document;
  // A quoted key (`LABEL "a b" c`): BuildKit splits the legacy form at the first space, quotes or not.
  if (!valueRange || /["'\s]/.test(document.getText(property.getNameRange()))) return undefined;
  const separator = { start: property.getNameRange().end, end: valueRange.start };
  if (document.getText(separator).includes('#')) return undefined; // a comment line: keep it
  const raw = document.getText(valueRange);
  const quoted = quoteLegacyValue(raw, model.escape);
  if (quoted === undefined) return undefined;
  const edits: TextEdit[] = [{ range: separator, newText: '=' }];
  if (quoted !== raw) edits.push({ range: valueRange, newText: quoted });
  return edits;
}

export default defineRule({
  id: 'env-key-value',
  severity: 'warning',
  peers: ['LegacyKeyValueFormat'],
  instructions: ['ENV', 'LABEL'],
  scope: 'stage',
  messages: {
    default: {
      en: 'Legacy `{0} key value` form: use `{0} key=value`. The legacy form takes the whole rest of the line as one value, cannot set several keys, and is deprecated.',
      'zh-cn':
        '旧的 `{0} key value` 写法：请改用 `{0} key=value`。旧写法把整行剩下的部分都当作一个值，不能一次设置多个键，已被弃用。',
    },
  },
  check({ model, instructions, report }) {
    for (const outer of instructions) {
      const instruction = effectiveInstruction(outer);
      const keyword = instruction.getKeyword();
      if (keyword !== 'ENV' && keyword !== 'LABEL') continue;
      for (const property of (instruction as Env | Label).getProperties()) {
        if (property.getValueRange() === null || property.getAssignmentOperator() !== null) continue;
        const edits = legacyFix(model, property);
        report({ range: property.getRange(), args: [keyword], data: edits ? { edits } : undefined });
      }
    }
  },
  fix({ data }) {
    const edits = (data as { edits?: TextEdit[] } | undefined)?.edits;
    if (!edits) return [];
    return [{ title: { en: 'Use key=value', 'zh-cn': '改用 key=value 写法' }, edits, preferred: true }];
  },
});
