// Quick in-process timing of the service (not the LSP bench): open, then single-character edits.
// Usage: node --import tsx scripts/microbench.ts FILE [edits]
import { readFileSync } from 'node:fs';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { getService } from '../test/helpers/service';

async function main(): Promise<void> {
  const file = process.argv[2]!;
  const edits = Number(process.argv[3] ?? 10);
  const text = readFileSync(file, 'utf8');
  const service = await getService();
  let version = 1;
  let document = TextDocument.create('file:///bench/Dockerfile', 'dockerfile', version, text);
  let t = performance.now();
  const first = service.validate(document, { lang: 'en' });
  console.log(`open: ${(performance.now() - t).toFixed(1)} ms, ${first.length} diagnostics`);
  const lines = text.split('\n');
  const mid = Math.floor(lines.length / 2);
  const times: number[] = [];
  for (let i = 0; i < edits; i++) {
    const line = mid + (i % 20) * 7;
    const character = lines[line]!.length;
    const insert = i % 2 === 0;
    document = TextDocument.update(
      document,
      [
        insert
          ? { range: { start: { line, character }, end: { line, character } }, text: 'x' }
          : { range: { start: { line, character }, end: { line, character: character + 1 } }, text: '' },
      ],
      ++version,
    );
    if (insert) lines[line] += 'x';
    else lines[line] = lines[line]!.slice(0, -1);
    t = performance.now();
    service.validate(document, { lang: 'en' });
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  console.log(`edit: median ${times[times.length >> 1]!.toFixed(1)} ms, max ${times[times.length - 1]!.toFixed(1)} ms`);
}
void main();
