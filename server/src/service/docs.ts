import type { Lang } from './locale';

/**
 * The hover documentation: Markdown files keyed by path relative to the docs folder,
 * e.g. `en/instructions/FROM.md`. The server and the CLI pass it in (bundled at build time);
 * tests read the folder. The service itself does no I/O.
 */
export type DocsSource = Readonly<Record<string, string>>;

export class DocsLibrary {
  constructor(private readonly source: DocsSource) {}

  /** The Markdown for a topic (`instructions/FROM`), in `lang`, falling back to English. */
  get(lang: Lang, topic: string): string | undefined {
    return this.source[`${lang}/${topic}.md`] ?? this.source[`en/${topic}.md`];
  }

  has(topic: string): boolean {
    return `en/${topic}.md` in this.source;
  }

  topics(): string[] {
    const prefix = 'en/';
    return Object.keys(this.source)
      .filter((k) => k.startsWith(prefix))
      .map((k) => k.slice(prefix.length, -'.md'.length));
  }
}
