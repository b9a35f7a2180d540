/**
 * A cache keyed by text, bounded by the total length of its keys (what it holds grows with them),
 * least recently used first out. For results computed from a text that later versions of a
 * document are likely to contain again (a RUN script, a chunk of a stage). The caller gives the key
 * to keep (see detach()): a look-up with an equal text of another version never replaces it.
 */
export class TextCache<V> {
  private readonly entries = new Map<string, { readonly key: string; readonly value: V }>();
  private chars = 0;

  constructor(readonly maxChars: number) {}

  get(text: string): V | undefined {
    const entry = this.entries.get(text);
    if (entry === undefined) return undefined;
    // Most recently used last, under the key it was stored with.
    this.entries.delete(text);
    this.entries.set(entry.key, entry);
    return entry.value;
  }

  /** Whether `text` is cached (without counting as a use). */
  has(text: string): boolean {
    return this.entries.has(text);
  }

  set(text: string, value: V): void {
    if (this.entries.has(text) || text.length > this.maxChars) return;
    for (const [oldest] of this.entries) {
      if (this.chars + text.length <= this.maxChars) break;
      this.entries.delete(oldest);
      this.chars -= oldest.length;
    }
    this.entries.set(text, { key: text, value });
    this.chars += text.length;
  }

  get stats(): { entries: number; chars: number } {
    return { entries: this.entries.size, chars: this.chars };
  }
}

/**
 * `offset` moved back before the line break it is in or after (`\r\n`, `\n`, a lone `\r`, as
 * lineStarts() counts them), never before `lineStart`, the start of its line.
 */
export function beforeLineBreak(text: string, offset: number, lineStart: number): number {
  while (offset > lineStart) {
    const c = text.charCodeAt(offset - 1);
    if (c !== 13 /* \r */ && c !== 10 /* \n */) break;
    offset--;
  }
  return offset;
}

/** Offsets of the start of every line; `\r\n`, `\n` and a lone `\r` end a line (as TextDocument counts them). */
export function lineStarts(text: string): number[] {
  const starts = [0];
  if (!text.includes('\r')) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    return starts;
  }
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13 /* \r */ && text.charCodeAt(i + 1) === 10) i++;
    if (c === 13 || c === 10) starts.push(i + 1);
  }
  return starts;
}

/**
 * `text` as a string of its own. V8 makes a substring of 13 characters or more a slice that points
 * into the string it came from, and a concatenation points to its parts: either keeps the whole of
 * that string alive. A RUN's script sliced from one version of a document, cached by its text, kept
 * that version's whole text (592 KB for a generated 20,000-line file) for as long as the script was
 * cached: 20 edits kept 10 versions. What outlives a version (a cache key, what is parsed from it)
 * is made from a detached copy. The copy is flat: a concatenation is joined once, here.
 */
export function detach(text: string): string {
  // Shorter strings are never slices or concatenations. Slicing a concatenation flattens it into a
  // new string first, and the slice points into that one.
  return text.length < 13 ? text : (' ' + text).slice(1);
}
