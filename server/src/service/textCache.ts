/**
 * A cache keyed by text, bounded by the total length of its keys (what it holds grows with them),
 * least recently used first out. For results computed from a text that later versions of a
 * document are likely to contain again (a RUN script, a chunk of a stage).
 */
export class TextCache<V> {
  private readonly entries = new Map<string, V>();
  private chars = 0;

  constructor(readonly maxChars: number) {}

  get(text: string): V | undefined {
    const value = this.entries.get(text);
    if (value !== undefined) {
      // Most recently used last.
      this.entries.delete(text);
      this.entries.set(text, value);
    }
    return value;
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
    this.entries.set(text, value);
    this.chars += text.length;
  }

  get stats(): { entries: number; chars: number } {
    return { entries: this.entries.size, chars: this.chars };
  }
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
