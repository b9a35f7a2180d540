import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position, Range } from 'vscode-languageserver-types';
import { countAtMost } from './sorted';
import { beforeLineBreak } from './textCache';

/**
 * An immutable TextDocument over a text whose line starts are known already (the parse computes
 * them for every version, see incrementalParse.ts): `TextDocument.create` would scan the whole text
 * for them again on the first position asked, once per version of a document. Answers as
 * vscode-languageserver-textdocument's own documents do (test/unit/textSnapshot.test.ts compares
 * them on random texts and positions).
 */
export class TextSnapshot implements TextDocument {
  constructor(
    readonly uri: string,
    readonly languageId: string,
    readonly version: number,
    private readonly text: string,
    /** Offset of the start of every line (`\r\n`, `\n` and a lone `\r` end a line), the first 0. */
    private readonly lineStarts: readonly number[],
  ) {}

  get lineCount(): number {
    return this.lineStarts.length;
  }

  getText(range?: Range): string {
    if (!range) return this.text;
    return this.text.substring(this.offsetAt(range.start), this.offsetAt(range.end));
  }

  positionAt(offset: number): Position {
    offset = Math.max(Math.min(offset, this.text.length), 0);
    // The last line that starts at or before the offset.
    const line = countAtMost(this.lineStarts, offset) - 1;
    const start = this.lineStarts[line]!;
    return { line, character: beforeLineBreak(this.text, offset, start) - start };
  }

  offsetAt(position: Position): number {
    const starts = this.lineStarts;
    if (position.line >= starts.length) return this.text.length;
    if (position.line < 0) return 0;
    const start = starts[position.line]!;
    if (position.character <= 0) return start;
    const next = starts[position.line + 1] ?? this.text.length;
    return beforeLineBreak(this.text, Math.min(start + position.character, next), start);
  }

  getLineRange(line: number): Range {
    const starts = this.lineStarts;
    if (line >= starts.length) {
      const last = starts.length - 1;
      return { start: { line: last, character: 0 }, end: { line: last, character: this.text.length - starts[last]! } };
    }
    if (line < 0) return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    return { start: { line, character: 0 }, end: { line, character: this.lineEnd(line) - starts[line]! } };
  }

  /** The text of `line` without its line break ('' for a line outside the text). */
  lineText(line: number): string {
    const starts = this.lineStarts;
    if (line < 0 || line >= starts.length) return '';
    return this.text.substring(starts[line]!, this.lineEnd(line));
  }

  getEOLCharacters(line: number): string {
    const starts = this.lineStarts;
    if (line < 0 || line >= starts.length) return '';
    return this.text.substring(this.lineEnd(line), starts[line + 1] ?? this.text.length);
  }

  /** Where `line` (inside the text) ends, before its line break. */
  private lineEnd(line: number): number {
    return beforeLineBreak(this.text, this.lineStarts[line + 1] ?? this.text.length, this.lineStarts[line]!);
  }
}
