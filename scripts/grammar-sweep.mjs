// Tokenizes every Dockerfile of a corpus with syntaxes/dockerfile.tmLanguage.json (shell and Python from
// test/fixtures/grammars) and checks that no instruction keyword at the start of an instruction is scoped
// as a string or a comment. Where instructions start is decided by a small tracker that follows Docker's
// parser (parser directives, the escape character, line continuations with the comment and empty lines
// Docker skips inside them, heredoc bodies), independently of the grammar.
//
//   node scripts/grammar-sweep.mjs [corpus-dir]     (default: ../shared/corpus next to the repository)
//
// Prints counts, throughput and examples; exits 1 when a keyword got a string or comment scope.
// Also reported (not failing): keywords without the keyword scope at all.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const oniguruma = require('vscode-oniguruma');
const vsctm = require('vscode-textmate');

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const corpus = resolve(process.argv[2] ?? join(root, '..', 'shared', 'corpus'));
const filesDir = existsSync(join(corpus, 'files')) ? join(corpus, 'files') : corpus;

const KEYWORDS = new Set([
  'ADD',
  'ARG',
  'CMD',
  'COPY',
  'ENTRYPOINT',
  'ENV',
  'EXPOSE',
  'FROM',
  'HEALTHCHECK',
  'LABEL',
  'MAINTAINER',
  'ONBUILD',
  'RUN',
  'SHELL',
  'STOPSIGNAL',
  'USER',
  'VOLUME',
  'WORKDIR',
]);
const KEYWORD_SCOPE = 'keyword.other.special-method.dockerfile';
const DIRECTIVE = /^\s*#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$/;
const HEREDOC = /(?:^|[ \t])\d*<<(-?)(["']?)([^\s<>"'();&|\\]+)\2/g;

/** Where instructions start, as Docker's parser sees the file: [{ line, column, word }]. */
export function instructionStarts(lines) {
  const starts = [];
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
  lines.forEach((line, index) => {
    if (bodies.length) {
      const text = bodies[0].chomp ? line.replace(/^\t+/, '') : line;
      if (text === bodies[0].name) bodies.shift();
      return;
    }
    if (directives) {
      const m = DIRECTIVE.exec(line);
      const key = m?.[1].toLowerCase();
      if (m && (key === 'syntax' || key === 'escape' || key === 'check')) {
        if (key === 'escape' && (m[2] === '`' || m[2] === '\\')) escape = m[2];
        return;
      }
      directives = false;
    }
    if (continued) {
      if (/^\s*#/.test(line) || /^\s*$/.test(line)) return;
      collect(line);
      finish(line);
      return;
    }
    if (/^\s*#/.test(line) || /^\s*$/.test(line)) return;
    const m = /^(\s*)(\S+)(?:\s+(\S+))?/.exec(line);
    const word = m[2].toUpperCase();
    const trigger = word === 'ONBUILD' && m[3] ? m[3].toUpperCase() : word;
    heredocInstruction = trigger === 'RUN' || trigger === 'COPY' || trigger === 'ADD';
    if (KEYWORDS.has(word)) starts.push({ line: index, column: m[1].length, word: m[2] });
    collect(line);
    finish(line);
  });
  return starts;
}

async function loadGrammar() {
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
  const findings = { stringOrComment: [], notKeyword: [] };
  let lineCount = 0;
  let checked = 0;
  const started = performance.now();
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
    for (const start of instructionStarts(lines)) {
      checked++;
      const token = tokens[start.line].find((t) => t.startIndex <= start.column && start.column < t.endIndex);
      const scopes = token?.scopes ?? [];
      const finding = {
        file: name,
        kind: kinds.get(name) ?? '?',
        line: start.line + 1,
        text: lines[start.line],
        scopes,
      };
      if (scopes.some((s) => s.startsWith('string') || s.startsWith('comment'))) findings.stringOrComment.push(finding);
      else if (!scopes.includes(KEYWORD_SCOPE)) findings.notKeyword.push(finding);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const byKind = (list) => {
    const counts = {};
    for (const f of list) counts[f.kind] = (counts[f.kind] ?? 0) + 1;
    return JSON.stringify(counts);
  };
  const show = (list) => {
    for (const f of list.slice(0, 15)) {
      console.log(`    ${f.file}:${f.line} [${f.kind}]  ${f.text.trim().slice(0, 100)}`);
      console.log(`      ${f.scopes.slice(1).join(' ')}`);
    }
  };
  console.log(`corpus: ${filesDir}`);
  console.log(`files: ${names.length}, lines: ${lineCount}, instruction keywords checked: ${checked}`);
  console.log(
    `time: ${seconds.toFixed(2)} s, ${(names.length / seconds).toFixed(0)} files/s, ${(lineCount / seconds).toFixed(0)} lines/s`,
  );
  console.log(
    `keyword scoped as string or comment: ${findings.stringOrComment.length} ${byKind(findings.stringOrComment)}`,
  );
  show(findings.stringOrComment);
  console.log(
    `keyword without ${KEYWORD_SCOPE} (reported only): ${findings.notKeyword.length} ${byKind(findings.notKeyword)}`,
  );
  show(findings.notKeyword);
  if (findings.stringOrComment.length) process.exitCode = 1;
}

await main();
