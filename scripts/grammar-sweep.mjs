// Tokenizes every Dockerfile of a corpus with syntaxes/dockerfile.tmLanguage.json (shell and Python from
// test/fixtures/grammars) and checks that no instruction keyword at the start of an instruction is scoped
// as a string or a comment. Where instructions start is decided by a small tracker that follows Docker's
// parser (parser directives, the escape character, line continuations with the comment and empty lines
// Docker skips inside them, heredoc bodies), independently of the grammar.
//
//   node --import tsx scripts/grammar-sweep.mjs [corpus-dir]     (default: ../shared/corpus next to the repository)
//
// Prints counts, throughput and examples; exits 1 when a keyword got a string or comment scope.
// Also reported (not failing): keywords without the keyword scope at all, and other lines where the grammar
// and the tracker disagree (a continuation line outside its instruction, a heredoc body not in meta.heredoc, a
// top-level comment or instruction that the grammar still counts as part of the previous instruction).
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { INSTRUCTION_SET } from '../server/src/service/keywords.ts';

const require = createRequire(import.meta.url);
const oniguruma = require('vscode-oniguruma');
const vsctm = require('vscode-textmate');

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const corpus = resolve(process.argv[2] ?? join(root, '..', 'shared', 'corpus'));
const filesDir = existsSync(join(corpus, 'files')) ? join(corpus, 'files') : corpus;

const KEYWORDS = INSTRUCTION_SET;
const KEYWORD_SCOPE = 'keyword.other.special-method.dockerfile';
const DIRECTIVE = /^\s*#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$/;
const HEREDOC = /(?:^|[ \t])\d*<<(-?)(["']?)([^\s<>"'();&|\\]+)\2/g;

/**
 * How Docker's parser sees each line: 'start' (an instruction starts; `column`/`word` give its keyword),
 * 'continued' (more of the instruction), 'skipped' (a comment or empty line inside a continuation),
 * 'body' / 'terminator' (a heredoc), 'directive', 'comment', 'blank'.
 */
export function classifyLines(lines) {
  const kinds = [];
  let directives = true;
  let escape = '\\';
  let continued = false;
  let heredocInstruction = false;
  let pending = [];
  let bodies = [];
  const endsWithEscape = (line) => new RegExp(`\\${escape}[ \\t]*$`).test(line);
  const collect = (line) => {
    if (!heredocInstruction) return;
    for (const m of line.matchAll(HEREDOC)) pending.push({ chomp: m[1] === '-', name: m[3] });
  };
  const finish = (line) => {
    continued = endsWithEscape(line);
    if (!continued) {
      bodies = pending;
      pending = [];
    }
  };
  for (const line of lines) {
    if (bodies.length) {
      const text = bodies[0].chomp ? line.replace(/^\t+/, '') : line;
      if (text === bodies[0].name) {
        bodies.shift();
        kinds.push({ kind: 'terminator' });
      } else kinds.push({ kind: 'body' });
      continue;
    }
    if (directives) {
      const m = DIRECTIVE.exec(line);
      const key = m?.[1].toLowerCase();
      if (m && (key === 'syntax' || key === 'escape' || key === 'check')) {
        if (key === 'escape' && (m[2] === '`' || m[2] === '\\')) escape = m[2];
        kinds.push({ kind: 'directive' });
        continue;
      }
      directives = false;
    }
    if (continued) {
      if (/^\s*#/.test(line) || /^\s*$/.test(line)) {
        kinds.push({ kind: 'skipped' });
        continue;
      }
      kinds.push({ kind: 'continued' });
      collect(line);
      finish(line);
      continue;
    }
    if (/^\s*$/.test(line)) {
      kinds.push({ kind: 'blank' });
      continue;
    }
    if (/^\s*#/.test(line)) {
      kinds.push({ kind: 'comment' });
      continue;
    }
    const m = /^(\s*)(\S+)(?:\s+(\S+))?/.exec(line);
    const word = m[2].toUpperCase();
    const trigger = word === 'ONBUILD' && m[3] ? m[3].toUpperCase() : word;
    heredocInstruction = trigger === 'RUN' || trigger === 'COPY' || trigger === 'ADD';
    kinds.push({ kind: 'start', column: m[1].length, word: m[2], keyword: KEYWORDS.has(word) });
    collect(line);
    finish(line);
  }
  return kinds;
}

export async function loadGrammar() {
  const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const files = {
    'source.dockerfile': join(root, 'syntaxes', 'dockerfile.tmLanguage.json'),
    'source.shell': join(root, 'test', 'fixtures', 'grammars', 'shellscript.tmLanguage.json'),
    'source.python': join(root, 'test', 'fixtures', 'grammars', 'python.tmLanguage.json'),
  };
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName) =>
      files[scopeName] ? vsctm.parseRawGrammar(readFileSync(files[scopeName], 'utf8'), files[scopeName]) : null,
  });
  return registry.loadGrammar('source.dockerfile');
}

function readKinds() {
  const kinds = new Map();
  const manifest = join(corpus, 'manifest.tsv');
  if (!existsSync(manifest)) return kinds;
  const [header, ...rows] = readFileSync(manifest, 'utf8').split('\n');
  const cols = header.split('\t');
  const file = cols.indexOf('file');
  const kind = cols.indexOf('kind');
  for (const row of rows) {
    const cells = row.split('\t');
    if (cells[file]) kinds.set(cells[file], cells[kind] ?? '');
  }
  return kinds;
}

async function main() {
  const grammar = await loadGrammar();
  const kinds = readKinds();
  const names = readdirSync(filesDir).sort();
  const findings = { stringOrComment: [], notKeyword: [], lines: [] };
  let lineCount = 0;
  let checked = 0;
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  for (const name of names) {
    const lines = readFileSync(join(filesDir, name), 'utf8')
      .replace(/^\uFEFF/, '')
      .split(/\r?\n/);
    lineCount += lines.length;
    const tokens = [];
    let stack = vsctm.INITIAL;
    for (const line of lines) {
      const r = grammar.tokenizeLine(line, stack);
      tokens.push(r.tokens);
      stack = r.ruleStack;
    }
    classifyLines(lines).forEach((info, i) => {
      const first = tokens[i].find((t) => /\S/.test(lines[i].slice(t.startIndex, t.endIndex)));
      const has = (scope) => (first?.scopes ?? []).some((s) => s === scope || s.startsWith(scope + '.'));
      const finding = () => ({
        file: name,
        kind: kinds.get(name) ?? '?',
        line: i + 1,
        text: lines[i],
        scopes: first?.scopes ?? [],
      });
      if (info.kind === 'start' && info.keyword) {
        checked++;
        const token = tokens[i].find((t) => t.startIndex <= info.column && info.column < t.endIndex);
        const scopes = token?.scopes ?? [];
        const f = { ...finding(), scopes };
        if (scopes.some((s) => s.startsWith('string') || s.startsWith('comment'))) findings.stringOrComment.push(f);
        else if (!scopes.includes(KEYWORD_SCOPE)) findings.notKeyword.push(f);
      } else if (!first) {
        return;
      } else if (info.kind === 'continued' || info.kind === 'skipped') {
        if (!has('meta.instruction'))
          findings.lines.push({ ...finding(), why: `${info.kind} line outside its instruction` });
      } else if (info.kind === 'body' || info.kind === 'terminator') {
        if (!has('meta.heredoc'))
          findings.lines.push({ ...finding(), why: `heredoc ${info.kind} not in meta.heredoc` });
        else if (info.kind === 'terminator' && !has('keyword.control.heredoc-token')) {
          findings.lines.push({ ...finding(), why: 'heredoc terminator not a heredoc token' });
        }
      } else if (info.kind === 'comment' || info.kind === 'directive' || info.kind === 'start') {
        if (has('meta.instruction') || has('meta.heredoc')) {
          findings.lines.push({ ...finding(), why: `${info.kind} line inside an instruction` });
        } else if (info.kind === 'comment' && !has('comment'))
          findings.lines.push({ ...finding(), why: 'comment not a comment' });
        else if (info.kind === 'directive' && !has('meta.directive')) {
          findings.lines.push({ ...finding(), why: 'directive not a directive' });
        }
      }
    });
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStarted);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const byKind = (list) => {
    const counts = {};
    for (const f of list) counts[f.kind] = (counts[f.kind] ?? 0) + 1;
    return JSON.stringify(counts);
  };
  const show = (list) => {
    for (const f of list.slice(0, 15)) {
      console.log(
        `    ${f.file}:${f.line} [${f.kind}]${f.why ? ' ' + f.why + ':' : ''}  ${f.text.trim().slice(0, 100)}`,
      );
      console.log(`      ${f.scopes.slice(1).join(' ')}`);
    }
  };
  console.log(`corpus: ${filesDir}`);
  console.log(`files: ${names.length}, lines: ${lineCount}, instruction keywords checked: ${checked}`);
  const rate = (s) => `${(names.length / s).toFixed(0)} files/s, ${(lineCount / s).toFixed(0)} lines/s`;
  console.log(
    `wall time: ${seconds.toFixed(2)} s (${rate(seconds)}); CPU time: ${cpuSeconds.toFixed(2)} s (${rate(cpuSeconds)})`,
  );
  console.log(
    `keyword scoped as string or comment: ${findings.stringOrComment.length} ${byKind(findings.stringOrComment)}`,
  );
  show(findings.stringOrComment);
  console.log(
    `keyword without ${KEYWORD_SCOPE} (reported only): ${findings.notKeyword.length} ${byKind(findings.notKeyword)}`,
  );
  show(findings.notKeyword);
  console.log(
    `other lines where the grammar and Docker disagree (reported only): ${findings.lines.length} ${byKind(findings.lines)}`,
  );
  const reasons = {};
  for (const f of findings.lines) reasons[f.why] = (reasons[f.why] ?? 0) + 1;
  for (const [why, n] of Object.entries(reasons)) console.log(`  ${n}  ${why}`);
  show(findings.lines);
  if (findings.stringOrComment.length) process.exitCode = 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
