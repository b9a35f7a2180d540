/**
 * Cursor and range markers for editor-feature tests: `<|>` is the cursor, `«...»` marks expected
 * ranges (several allowed). Returns the clean document, the cursor and the ranges in document order.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position, Range } from 'vscode-languageserver-types';
import { doc } from './service';

export function marked(text: string): { document: TextDocument; position: Position; ranges: Range[] } {
  let clean = '';
  let cursor = -1;
  const open: number[] = [];
  const spans: [number, number][] = [];
  for (let i = 0; i < text.length;) {
    if (text.startsWith('<|>', i)) {
      cursor = clean.length;
      i += 3;
    } else if (text[i] === '«') {
      open.push(clean.length);
      i++;
    } else if (text[i] === '»') {
      const start = open.pop();
      if (start === undefined) throw new Error('unbalanced » in test text');
      spans.push([start, clean.length]);
      i++;
    } else {
      clean += text[i];
      i++;
    }
  }
  if (open.length > 0) throw new Error('unbalanced « in test text');
  const document = doc(clean);
  const ranges = spans
    .sort((a, b) => a[0] - b[0])
    .map(([s, e]) => ({ start: document.positionAt(s), end: document.positionAt(e) }));
  return { document, position: document.positionAt(cursor < 0 ? 0 : cursor), ranges };
}

/** `line:char-line:char`, for readable assertion failures. */
export function showRange(range: Range): string {
  return `${range.start.line}:${range.start.character}-${range.end.line}:${range.end.character}`;
}
