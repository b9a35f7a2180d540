/**
 * Checks incremental analysis on real files: for each corpus file, a series of random edits (typed
 * and deleted characters, line breaks, deleted lines, pasted lines, `\` at line ends, `FROM` lines),
 * and after each one the service's diagnostics and fix-all edits (parsing only what changed, reusing
 * cached findings and shell scripts) must equal those of a fresh service on the same text.
 * Run: node --import tsx scripts/incremental-sweep.ts [--files N] [--edits N] [--seed S] [--corpus dir]
 * With SWEEP_DUMP=FILE, each reported mismatch writes its file's versions, FILE.v0 (the corpus
 * text) to FILE.vN (the one that differs): the last mismatch's stay.
 * The corpus is test data for our own sweeps only: the project's tests never read it.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver-types';
import { createDockerfileService } from '../server/src/service';
import { loadDocs, shellParser } from '../test/helpers/service';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const FILES = option('--files', 400);
const EDITS = option('--edits', 25);
let seed = option('--seed', 20261129);
const corpusArg = process.argv.indexOf('--corpus');
const CORPUS =
  corpusArg >= 0 ? process.argv[corpusArg + 1]! : resolve(__dirname, '..', '..', 'shared', 'corpus', 'files');

/** mulberry32: a small deterministic generator. */
function random(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

const INSERTS = ['x', ' ', '\n', '\\', '"', '$', 'FROM scratch AS y\n', 'RUN echo hi \\\n', '# c\n', 'ENV A=1\n'];

/** A random edit: a position and what replaces the text there. */
function edit(text: string): string {
  const lines = text.split('\n');
  const line = Math.floor(random() * lines.length);
  const offset = lines.slice(0, line).reduce((n, l) => n + l.length + 1, 0);
  const kind = random();
  if (kind < 0.15) return text.slice(0, offset) + text.slice(offset + lines[line]!.length + 1); // delete a line
  if (kind < 0.25) return text.slice(0, offset) + pick(lines) + '\n' + text.slice(offset); // paste a line
  const at = offset + Math.floor(random() * (lines[line]!.length + 1));
  if (kind < 0.45) return text.slice(0, at) + text.slice(at + 1); // delete a character
  return text.slice(0, at) + pick(INSERTS) + text.slice(at);
}

function show(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => JSON.stringify([d.code, d.range, d.message, d.data, d.relatedInformation])).sort();
}

async function main(): Promise<void> {
  const parser = await shellParser();
  const docs = loadDocs();
  const incremental = createDockerfileService({ docs, shellParser: parser });
  const names = readdirSync(CORPUS).sort();
  const step = Math.max(1, Math.floor(names.length / FILES));
  let files = 0;
  let checks = 0;
  let mismatches = 0;
  const t0 = performance.now();
  for (let i = 0; i < names.length && files < FILES; i += step, files++) {
    const uri = `file:///sweep/${i}/Dockerfile`;
    let text = readFileSync(join(CORPUS, names[i]!), 'utf8');
    let version = 1;
    incremental.validate(TextDocument.create(uri, 'dockerfile', version, text), { lang: 'en' });
    const versions = [text];
    for (let e = 0; e < EDITS; e++) {
      text = edit(text);
      versions.push(text);
      const document = TextDocument.create(uri, 'dockerfile', ++version, text);
      // Diagnostics, and every preferred fix (merges included), as text.
      const got = show(incremental.validate(document, { lang: 'en' }));
      got.push(JSON.stringify(incremental.fixAll(document, { lang: 'en' })));
      const fresh = createDockerfileService({ docs, shellParser: parser });
      const freshDocument = TextDocument.create(uri, 'dockerfile', 1, text);
      const want = show(fresh.validate(freshDocument, { lang: 'en' }));
      want.push(JSON.stringify(fresh.fixAll(freshDocument, { lang: 'en' })));
      checks++;
      if (got.join('\n') !== want.join('\n')) {
        mismatches++;
        if (mismatches <= 5) {
          console.log(`MISMATCH ${names[i]} after edit ${e + 1}`);
          const dump = process.env['SWEEP_DUMP'];
          if (dump) versions.forEach((v, k) => writeFileSync(`${dump}.v${k}`, v));
          console.log('  only incremental:', got.filter((g) => !want.includes(g)).slice(0, 3));
          console.log('  only fresh:      ', want.filter((w) => !got.includes(w)).slice(0, 3));
        }
        break;
      }
    }
    incremental.forget(uri);
  }
  const seconds = ((performance.now() - t0) / 1000).toFixed(1);
  const heap = (process.memoryUsage().heapUsed / 1e6).toFixed(0);
  console.log(
    `incremental-sweep: ${files} files, ${checks} edits checked, ${mismatches} mismatches, ${seconds} s, heap ${heap} MB`,
  );
  process.exitCode = mismatches === 0 ? 0 : 1;
}
void main();
