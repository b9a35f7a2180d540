/**
 * Runs the rules over the shared corpus (../shared/corpus) and reports crashes, per-rule counts and samples.
 * Run: node --import tsx scripts/corpus-sweep.ts [--rule id]... [--samples N] [--kind image|test|all]
 *        [--seed S] [--lang en|zh-cn] [--corpus dir] [--json out.json]
 * A crash is an exception out of service.validate or an internal-error diagnostic (a rule that threw).
 * The corpus is test data for our own sweeps only: the project's tests never read it.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-types';
import type { Lang } from '../server/src/service/locale';
import { RULES } from '../server/src/service/rules';
import { doc, getService } from '../test/helpers/service';

interface Options {
  rules: string[];
  samples: number;
  kind: 'image' | 'test' | 'all';
  seed: number;
  lang: Lang;
  corpus: string;
  json?: string;
}

function usage(message: string): never {
  console.error(`corpus-sweep: ${message}`);
  console.error(
    'usage: node --import tsx scripts/corpus-sweep.ts [--rule id]... [--samples N] [--kind image|test|all] [--seed S] [--lang en|zh-cn] [--corpus dir] [--json out.json]',
  );
  process.exit(2);
}

function parseArgs(argv: string[]): Options {
  const options: Options = {
    rules: [],
    samples: 5,
    kind: 'image',
    seed: 1,
    lang: 'en',
    corpus: resolve(__dirname, '..', '..', 'shared', 'corpus'),
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const value = (): string => {
      if (eq > 0) return arg.slice(eq + 1);
      const next = argv[++i];
      if (next === undefined) usage(`${name} needs a value`);
      return next;
    };
    switch (name) {
      case '--rule':
        options.rules.push(...value().split(','));
        break;
      case '--samples':
        options.samples = Number(value());
        if (!Number.isInteger(options.samples) || options.samples < 0) usage('--samples must be a number >= 0');
        break;
      case '--kind': {
        const kind = value();
        if (kind !== 'image' && kind !== 'test' && kind !== 'all') usage('--kind must be image, test or all');
        options.kind = kind;
        break;
      }
      case '--seed':
        options.seed = Number(value());
        break;
      case '--lang': {
        const lang = value();
        if (lang !== 'en' && lang !== 'zh-cn') usage('--lang must be en or zh-cn');
        options.lang = lang;
        break;
      }
      case '--corpus':
        options.corpus = resolve(value());
        break;
      case '--json':
        options.json = value();
        break;
      case '-h':
      case '--help':
        usage('help');
        break;
      default:
        usage(`unknown argument ${arg}`);
    }
  }
  const known = new Set(RULES.map((r) => r.id));
  for (const id of options.rules) if (!known.has(id)) usage(`no rule ${id} in the registry`);
  return options;
}

/** mulberry32: a small seeded PRNG so sample picks are repeatable. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Row {
  file: string;
  path: string;
  repo: string;
  kind: string;
}

function readManifest(corpus: string): Row[] {
  const manifest = join(corpus, 'manifest.tsv');
  if (!existsSync(manifest)) usage(`no manifest at ${manifest}`);
  const lines = readFileSync(manifest, 'utf8').split('\n').filter(Boolean);
  const header = lines[0]!.split('\t');
  const col = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) usage(`manifest has no ${name} column`);
    return i;
  };
  const [fileCol, repoCol, pathCol, kindCol] = [col('file'), col('repo'), col('path'), col('kind')];
  return lines.slice(1).map((line) => {
    const cells = line.split('\t');
    return { file: cells[fileCol]!, repo: cells[repoCol]!, path: cells[pathCol]!, kind: cells[kindCol]! };
  });
}

interface Hit {
  file: string;
  line: number;
  character: number;
  text: string;
  range: string;
  message: string;
  data?: unknown;
}

interface Crash {
  file: string;
  rule?: string;
  error: string;
}

function isInternalError(d: Diagnostic): boolean {
  return d.message.startsWith('Docksmith internal error');
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const selected = options.rules.length ? RULES.filter((r) => options.rules.includes(r.id)) : RULES;
  const service = await getService({ rules: selected });
  const rows = readManifest(options.corpus).filter((r) => options.kind === 'all' || r.kind === options.kind);

  const hits = new Map<string, Hit[]>(selected.map((r) => [r.id, []]));
  const filesHit = new Map<string, Set<string>>(selected.map((r) => [r.id, new Set()]));
  const crashes: Crash[] = [];
  let lines = 0;
  let bytes = 0;
  let slowest = { file: '', ms: 0 };
  const started = performance.now();

  for (const row of rows) {
    const path = join(options.corpus, 'files', row.file);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      crashes.push({ file: row.file, error: `cannot read: ${String(error)}` });
      continue;
    }
    bytes += text.length;
    const document = doc(text, `file:///corpus/${row.file}`);
    lines += document.lineCount;
    const t0 = performance.now();
    let diagnostics: Diagnostic[];
    try {
      diagnostics = service.validate(document, { lang: options.lang });
    } catch (error) {
      crashes.push({ file: row.file, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      continue;
    } finally {
      service.forget(document.uri);
    }
    const ms = performance.now() - t0;
    if (ms > slowest.ms) slowest = { file: row.file, ms };
    const docLines = text.split(/\r\n|\r|\n/);
    for (const d of diagnostics) {
      const id = String(d.code);
      if (isInternalError(d)) {
        crashes.push({ file: row.file, rule: id, error: d.message });
        continue;
      }
      const list = hits.get(id);
      if (!list) continue;
      const { start, end } = d.range;
      list.push({
        file: row.file,
        line: start.line + 1,
        character: start.character + 1,
        text: docLines[start.line] ?? '',
        range: `${start.line + 1}:${start.character + 1}-${end.line + 1}:${end.character + 1}`,
        message: d.message,
        data: (d.data as { data?: unknown } | undefined)?.data,
      });
      filesHit.get(id)!.add(row.file);
    }
  }
  const seconds = (performance.now() - started) / 1000;

  // Report.
  const random = prng(options.seed);
  console.log(
    `corpus-sweep: ${rows.length} files (kind=${options.kind}), ${lines} lines, ${(bytes / 1e6).toFixed(1)} MB, ${selected.length} rule(s)`,
  );
  console.log('');
  console.log(`${'rule'.padEnd(32)} ${'findings'.padStart(9)} ${'files'.padStart(7)}`);
  for (const rule of selected) {
    console.log(
      `${rule.id.padEnd(32)} ${String(hits.get(rule.id)!.length).padStart(9)} ${String(filesHit.get(rule.id)!.size).padStart(7)}`,
    );
  }
  if (options.samples > 0) {
    for (const rule of selected) {
      const list = hits.get(rule.id)!;
      if (list.length === 0) continue;
      const pool = [...list];
      const picked: Hit[] = [];
      while (picked.length < options.samples && pool.length > 0) {
        picked.push(pool.splice(Math.floor(random() * pool.length), 1)[0]!);
      }
      picked.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
      console.log('');
      console.log(`== ${rule.id}: ${picked.length} of ${list.length} (seed ${options.seed})`);
      for (const h of picked) {
        console.log(`  ${h.file}:${h.range}`);
        console.log(`    | ${h.text.trimEnd()}`);
        console.log(`    > ${h.message.split('\n')[0]}`);
      }
    }
  }
  console.log('');
  if (crashes.length > 0) {
    console.log(`CRASHES: ${crashes.length}`);
    for (const c of crashes.slice(0, 50)) {
      console.log(`  ${c.file}${c.rule ? ` [${c.rule}]` : ''}: ${c.error.split('\n').slice(0, 4).join('\n      ')}`);
    }
    if (crashes.length > 50) console.log(`  ... ${crashes.length - 50} more`);
  } else {
    console.log('crashes: 0');
  }
  console.log(
    `time: ${seconds.toFixed(2)} s, ${(rows.length / seconds).toFixed(0)} files/s; slowest ${slowest.file} ${slowest.ms.toFixed(1)} ms`,
  );

  if (options.json) {
    const out = {
      files: rows.length,
      kind: options.kind,
      seconds,
      crashes,
      rules: Object.fromEntries(
        selected.map((r) => [
          r.id,
          { findings: hits.get(r.id)!.length, files: filesHit.get(r.id)!.size, hits: hits.get(r.id) },
        ]),
      ),
    };
    writeFileSync(options.json, JSON.stringify(out, null, 2) + '\n');
    console.log(`wrote ${options.json}`);
  }
  process.exitCode = crashes.length > 0 ? 1 : 0;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(2);
});
