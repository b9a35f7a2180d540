// Main-thread instructions of one cold open, counted by valgrind's callgrind: a figure that repeats
// within ~0.5% where the CPU time of a cold open moves by 10-20% from one fresh server to the next
// (docs/performance.md, "Counting a cold open"). For comparing two builds, or the cost of a rule.
//
// Usage: node scripts/cold-instructions.mjs FILE [options]      (after a build; needs valgrind)
//   --runs N          cold opens, each in a fresh server (default 2)
//   --server PATH     the server to count (default server/out/server.js: `npm run build -- --production`)
//   --off a,b         these rules turned off (initializationOptions' settings): what they cost
//   --anchor          count dockerfile-language-server-nodejs instead (no code cache, no flags of ours)
//
// Each server runs with client/src/serverNodeFlags.json and V8's `--single-threaded`, so that what V8's
// worker threads would do in the background (Sparkplug batches, concurrent marking, optimising compiles)
// is done on the main thread at a point that does not depend on timing: the count repeats. The
// optimising compiler (`Runtime_CompileOptimized`, on a worker thread in the real server) is then
// subtracted, and printed apart. First a server opens the file once and writes the V8 code cache
// under these flags, as an editor does 20 s after start; each counted server starts with it.
// Instrumentation is switched on just before `didOpen` and dumped at the file's diagnostics.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { anchorEntry } from './anchor.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(ROOT, 'package.json'));
const rpc = require('vscode-jsonrpc/node');

function usage(message) {
  console.error(
    `${message}\nUsage: node scripts/cold-instructions.mjs FILE [--runs N] [--server PATH] [--off a,b] [--anchor]`,
  );
  process.exit(2);
}

const args = process.argv.slice(2);
const options = { runs: 2, server: join(ROOT, 'server', 'out', 'server.js'), off: [], anchor: false, file: undefined };
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--runs') options.runs = Number(args[++i]);
  else if (a === '--server') options.server = resolve(args[++i] ?? '');
  else if (a === '--off') options.off = (args[++i] ?? '').split(',').filter(Boolean);
  else if (a === '--anchor') options.anchor = true;
  else if (a.startsWith('--')) usage(`unknown option ${a}`);
  else options.file = a;
}
if (!options.file) usage('a file to open is required');
if (!Number.isInteger(options.runs) || options.runs < 1) usage('--runs takes a positive whole number');
for (const tool of ['valgrind', 'callgrind_control', 'callgrind_annotate'])
  if (spawnSync(tool, ['--version']).error) usage(`${tool} not found: apt-get install valgrind`);

const text = readFileSync(options.file, 'utf8');
const entry = options.anchor ? anchorEntry().path : options.server;
const flags = [
  ...(options.anchor ? [] : JSON.parse(readFileSync(join(ROOT, 'client', 'src', 'serverNodeFlags.json'), 'utf8'))),
  '--single-threaded',
];
const settings = { rules: Object.fromEntries(options.off.map((id) => [id, 'off'])) };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** CPU ticks of a process so far (all its threads), from /proc. */
function ticks(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** Resolves once the process has used no CPU for a second (at most a minute). */
async function quiet(pid) {
  let last = ticks(pid);
  let still = 0;
  for (let waited = 0; waited < 60_000 && still < 1000; waited += 250) {
    await sleep(250);
    const now = ticks(pid);
    still = now === last ? still + 250 : 0;
    last = now;
  }
}

/** One server: opens the file once; under callgrind when `out` is given. Resolves with the diagnostics' count. */
async function open(out) {
  const command = [process.execPath, ...flags, entry, '--stdio'];
  const full = out
    ? [
        'valgrind',
        '--tool=callgrind',
        '--separate-threads=yes',
        '--instr-atstart=no',
        `--callgrind-out-file=${out}`,
        ...command,
      ]
    : command;
  const env = {
    ...process.env,
    DOCKSMITH_VALIDATION_DELAY_MS: '0',
    ...(out ? {} : { DOCKSMITH_CODE_CACHE_DELAY_MS: '1500' }),
  };
  const proc = spawn(full[0], full.slice(1), { stdio: ['pipe', 'pipe', 'pipe'], env });
  proc.stderr.resume();
  const exited = new Promise((r) => proc.on('exit', r));
  const conn = rpc.createMessageConnection(
    new rpc.StreamMessageReader(proc.stdout),
    new rpc.StreamMessageWriter(proc.stdin),
  );
  const uri = 'file:///cold/Dockerfile';
  const diagnostics = new Promise((r) =>
    conn.onNotification('textDocument/publishDiagnostics', (p) => p.uri === uri && r(p.diagnostics.length)),
  );
  conn.onRequest(() => null);
  conn.listen();
  await conn.sendRequest('initialize', {
    processId: process.pid,
    rootUri: null,
    capabilities: { textDocument: { publishDiagnostics: {} } },
    initializationOptions: { settings },
  });
  conn.sendNotification('initialized', {});
  // Under valgrind the start takes many seconds: count only once the server has gone quiet.
  if (out) await quiet(proc.pid);
  else await sleep(300);
  if (out) execFileSync('callgrind_control', ['-i', 'on', String(proc.pid)], { stdio: 'ignore' });
  conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'dockerfile', version: 1, text } });
  const count = await diagnostics;
  if (out) execFileSync('callgrind_control', ['-d', String(proc.pid)], { stdio: 'ignore' });
  else if (!options.anchor) await sleep(2500); // the code cache is written
  await conn.sendRequest('shutdown');
  conn.sendNotification('exit');
  await exited;
  conn.dispose();
  return count;
}

/**
 * Instructions of the main thread (thread 1) in the dump taken at the diagnostics (`-01`; the one at
 * exit counts the shutdown) in `dir`: total, and the optimising compiler's inclusive share.
 */
function mainThread(dir) {
  let total = 0;
  let compiler = 0;
  for (const f of readdirSync(dir)) {
    if (!f.endsWith('.1-01')) continue;
    const report = execFileSync('callgrind_annotate', ['--inclusive=yes', join(dir, f)], {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    });
    for (const line of report.split('\n')) {
      const m = /^\s*([\d,]+)\s/.exec(line);
      if (!m) continue;
      const n = Number(m[1].replaceAll(',', ''));
      if (line.includes('PROGRAM TOTALS')) total += n;
      else if (line.includes('Runtime_CompileOptimized(')) compiler += n;
    }
  }
  return { total, compiler };
}

const name = options.anchor ? 'anchor' : entry;
console.log(`${options.file}: cold opens of ${name}${options.off.length ? `, off: ${options.off.join(', ')}` : ''}`);
if (!options.anchor) await open(undefined); // writes the code cache under these flags
const counts = [];
for (let i = 0; i < options.runs; i++) {
  const dir = mkdtempSync(join(tmpdir(), 'cold-instructions-'));
  try {
    const diagnostics = await open(join(dir, 'callgrind.out'));
    const { total, compiler } = mainThread(dir);
    const own = (total - compiler) / 1e6;
    counts.push(own);
    console.log(
      `  run ${i + 1}: ${own.toFixed(1)} M instructions without the optimising compiler (${(total / 1e6).toFixed(1)} M in all, compiler ${(compiler / 1e6).toFixed(1)} M); ${diagnostics} diagnostics`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
counts.sort((a, b) => a - b);
console.log(`median ${counts[Math.floor((counts.length - 1) / 2)].toFixed(1)} M`);
