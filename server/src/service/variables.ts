/** Looks a variable up; undefined when it is not set. */
export type VariableLookup = (name: string) => string | undefined;

/**
 * Expands `$VAR`, `${VAR}` and the modifiers BuildKit supports (`${VAR:-word}`, `${VAR-word}`,
 * `${VAR:+word}`, `${VAR+word}`, `${VAR:?msg}`) the way Docker does in instructions other than
 * RUN: an unset variable expands to nothing; the escape character makes `$` literal; single
 * quotes are literal; double quotes are removed.
 */
export function expandVariables(value: string, lookup: VariableLookup, escape = '\\'): string {
  let out = '';
  let i = 0;
  let inSingle = false;
  let inDouble = false;
  while (i < value.length) {
    const ch = value[i]!;
    if (ch === escape && !inSingle && i + 1 < value.length) {
      out += value[i + 1];
      i += 2;
      continue;
    }
    if (ch === "'" && !inDouble) {
      inSingle = !inSingle;
      i++;
      continue;
    }
    if (ch === '"' && !inSingle) {
      inDouble = !inDouble;
      i++;
      continue;
    }
    if (ch === '$' && !inSingle) {
      const parsed = parseReference(value, i);
      if (parsed) {
        out += evaluate(parsed, lookup, escape);
        i = parsed.end;
        continue;
      }
    }
    out += ch;
    i++;
  }
  return out;
}

export interface VariableReference {
  readonly name: string;
  /** `:-`, `-`, `:+`, `+`, `:?`, `?`, or undefined. */
  readonly modifier: string | undefined;
  readonly word: string;
  readonly start: number;
  readonly end: number;
  readonly braced: boolean;
}

/** Parses the reference that starts with `$` at `start`, if any. */
export function parseReference(value: string, start: number): VariableReference | undefined {
  if (value[start] !== '$') return undefined;
  if (value[start + 1] === '{') {
    const close = findClosingBrace(value, start + 2);
    if (close < 0) return undefined;
    const inner = value.slice(start + 2, close);
    const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+?])([\s\S]*))?$/.exec(inner);
    if (!m) return undefined;
    return { name: m[1]!, modifier: m[2], word: m[3] ?? '', start, end: close + 1, braced: true };
  }
  const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(value.slice(start + 1));
  if (!m) return undefined;
  return { name: m[0], modifier: undefined, word: '', start, end: start + 1 + m[0].length, braced: false };
}

function findClosingBrace(value: string, from: number): number {
  let depth = 1;
  for (let i = from; i < value.length; i++) {
    if (value[i] === '{') depth++;
    else if (value[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

function evaluate(ref: VariableReference, lookup: VariableLookup, escape: string): string {
  const current = lookup(ref.name);
  const word = () => expandVariables(ref.word, lookup, escape);
  switch (ref.modifier) {
    case ':-':
      return current === undefined || current === '' ? word() : current;
    case '-':
      return current === undefined ? word() : current;
    case ':+':
      return current !== undefined && current !== '' ? word() : '';
    case '+':
      return current !== undefined ? word() : '';
    default:
      return current ?? '';
  }
}
