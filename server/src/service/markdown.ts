/**
 * The one renderer for clients that want plain text: turns the docs' Markdown into readable
 * text (code fences dropped but their code kept and indented, inline code and emphasis marks
 * removed, links as "text (url)", rules as blank lines).
 */
export function renderMarkdown(markdown: string): string {
  const out: string[] = [];
  let inFence = false;
  for (const line of markdown.split(/\r?\n/)) {
    if (/^\s*(```|~~~)/.test(line)) {
      inFence = !inFence;
      continue;
    }
    if (inFence) {
      out.push('    ' + line);
      continue;
    }
    if (/^\s*(---|\*\*\*|___)\s*$/.test(line)) {
      out.push('');
      continue;
    }
    out.push(
      line
        .replace(/^#{1,6}\s+/, '')
        .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (_m, text: string, url: string) =>
          text.replace(/`/g, '') === url ? url : `${text} (${url})`,
        )
        .replace(/`([^`]+)`/g, '$1')
        .replace(/\*\*([^*]+)\*\*/g, '$1')
        .replace(/(^|[\s(])\*([^*\s][^*]*)\*/g, '$1$2')
        .replace(/(^|[\s(])_([^_\s][^_]*)_/g, '$1$2'),
    );
  }
  return out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
