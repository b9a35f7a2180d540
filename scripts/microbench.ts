// Quick in-process timing of the service (not the LSP bench): open, then single-character edits in
// the middle of the file (typed after a word, then deleted), or with --newline line breaks (Enter,
// then Backspace), which move every later line.
// Usage: node --import tsx scripts/microbench.ts FILE [edits] [--newline]
import { readFileSync } from 'node:fs';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { getService } from '../test/helpers/service';

async function main(): Promise<void> {
  const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const newline = process.argv.includes('--newline');
  const file = args[0]!;
  const edits = Number(args[1] ?? 10);
  const text = readFileSync(file, 'utf8');
  const service = await getService();
  let version = 1;
  let document = TextDocument.create('file:///bench/Dockerfile', 'dockerfile', version, text);
  let t = performance.now();
  const first = service.validate(document, { lang: 'en' });
  console.log(`open: ${(performance.now() - t).toFixed(1)} ms, ${first.length} diagnostics`);
  const lines = text.split('\n');
  const times: number[] = [];
  for (let i = 0; i < edits; i++) {
    // Pairs of edits on the same line: type, then take it back.
    const line = (Math.floor(lines.length / 2) + Math.floor(i / 2) * 7) % (lines.length - 1);
    const character = lines[line]!.length;
    const typed = newline ? '\n' : 'x';
    const change =
      i % 2 === 0
        ? { range: { start: { line, character }, end: { line, character } }, text: typed }
        : newline
          ? { range: { start: { line, character }, end: { line: line + 1, character: 0 } }, text: '' }
          : { range: { start: { line, character: character - 1 }, end: { line, character } }, text: '' };
    document = TextDocument.update(document, [change], ++version);
    if (!newline) lines[line] = i % 2 === 0 ? lines[line] + 'x' : lines[line]!.slice(0, -1);
    t = performance.now();
    service.validate(document, { lang: 'en' });
    times.push(performance.now() - t);
  }
  if (times.length === 0) return;
  times.sort((a, b) => a - b);
  const median = times[times.length >> 1]!;
  console.log(
    `${newline ? 'newline' : 'edit'}: median ${median.toFixed(1)} ms, max ${times[times.length - 1]!.toFixed(1)} ms`,
  );
}
void main();
