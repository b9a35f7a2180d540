// `npm run bench`: Docksmith's language server against dockerfile-language-server-nodejs (the anchor),
// through the same LSP client over stdio, in one run, alternating request by request.
//
// Usage: node scripts/bench.mjs [options]          (after a build; `npm run bench` makes the production build,
//                                                   what the .vsix ships; --profile needs `npm run build`'s source maps)
//   --quick               smoke run: the largest corpus file and generated files of 1k and 5k lines, fewer samples
//   --sizes 1000,5000,20000   generated file sizes (lines)
//   --files A,B           also these files (compared after the others; the option may be repeated)
//   --corpus N            the N largest real files of ../shared/corpus (default 3; 0 = none; skipped when absent)
//   --hovers N --actions N --completions N --edits N --reopens N --hover-after-edit N --document-requests N
//                         samples per file (document requests: documentSymbol and foldingRange, each)
//   --cold-opens N        cold opens per file and server, each in a fresh server, the anchor's and Docksmith's
//                         in turn: the table shows their median (default 9, 1 with --quick; one cold open
//                         moves by a third from run to run, the anchor's own too)
//   --warmup N            unmeasured requests before each series (default 5; re-opens: at most 2; edits: N/2 typed and deleted)
//   --edit-pause MS       a pause in the typing before each measured edit, every server idle (default 0: the
//                         edits back to back, each server right after the others' turn; a server woken up from
//                         idle spends more CPU on the same work, the anchor too)
//   --equal-idle          before each measured edit of a server without a debounce (the anchor, Docksmith with
//                         DOCKSMITH_VALIDATION_DELAY_MS=0), a pause of 150 ms, Docksmith's longest debounce (its
//                         fixed one until the twentieth session): every server's work then starts after the same
//                         idle (on this machine the same work costs 13-35% more CPU after 150 ms of idle)
//   --burst N             at the end of each file, N more re-opens back to back, then 5 s idle: the peak
//                         RSS after them is a row of its own (default 3, 0 with --quick; 0 = skip)
//   --budget S            seconds one server may spend on one series of one file before it gets no more
//                         samples (default 20; at least 3 samples are always taken)
//   --slow S              a server whose first open takes longer gets one edit, no re-open and no hover
//                         after an edit on that file (each costs it a full analysis; default 20)
//   --timeout MS          per request / per diagnostics wait (default 300000); a server that times out is
//                         stopped and gets no more samples on that file
//   --lint-files N        corpus files for the `docksmith lint` timing, spread over the corpus (default 300; 0 = skip)
//   --no-lint --no-client --no-vsix --no-servers   skip parts
//   --no-code-cache       Docksmith's servers start without a V8 code cache, as the first start after an
//                         install (by default one server writes it first, as every later start has it)
//   --json FILE           raw results;  --markdown FILE   the tables as Markdown
//   --profile DIR         instead of the comparison: CPU-profile Docksmith on the largest generated file
//   --profile-file FILE   ... or on this file
//                         (open, hover, code action, edit; the server starts with the code cache an earlier
//                         one wrote, as every start after the first, unless --no-code-cache: without it the
//                         cold open's profile is mostly V8 compiling) and print the top self-time functions per phase,
//                         then the time of an open by part (parse, dockerfile-utils, shell parser, rules)
//                         cold and over re-opens under other URIs
//   --profile-reopens N   re-opens profiled (default 10)
//   --fresh N             instead of the comparison: N rounds of fresh servers, Docksmith and the anchor in turn
//                         (and the server build in --against DIR, a copy of another commit's server/out; every
//                         other round in reverse order), each
//                         opening --profile-file (default: the generated 5k file) cold, then again under other
//                         URIs 300 ms apart, each closed (--fresh-reopens, default 5); prints the CPU medians of
//                         the cold and the warm opens (the first re-open left out), of the main thread and of
//                         all the server's threads, and VmHWM at the end
//   --fresh-wait MS       with --fresh: how long after `initialized` the cold open is sent (default 300; 0 sends
//                         it at once, as the comparison and an editor do)
//   --gc                  with --fresh: also the main thread's garbage collection inside each cold open, its
//                         pauses summed (every server preloads scripts/gc-observer.mjs: `--import` keeps the
//                         code cache valid, where --trace-gc would make V8 reject it)
//   --against-flags FLAGS with --fresh: the Node flags the --against build starts with (one string, instead of
//                         client/src/serverNodeFlags.json; its code cache is primed under them): compares a flag
//                         change with --against set to this build's own server/out
//
// Every wait is bounded by --timeout; a timed-out sample is counted and shown, never waited on forever.
// The generated files come from scripts/bench-generate.mjs (deterministic: same sizes, same files).
import { spawn, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { anchorEntry } from './anchor.mjs';
import { generateDockerfile } from './bench-generate.mjs';
import { summarizeProfile, formatSummary } from './bench-profile.mjs';
import { STUB_VSCODE } from './stub-vscode.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const rpc = require('vscode-jsonrpc/node');

// ---------------------------------------------------------------------------------------------
// Options

function parseArgs(argv) {
  const quick = argv.includes('--quick');
  const o = {
    quick,
    sizes: quick ? [1000, 5000] : [1000, 5000, 20000],
    corpus: quick ? 1 : 3,
    hovers: quick ? 30 : 120,
    actions: quick ? 10 : 30,
    completions: quick ? 10 : 30,
    edits: quick ? 6 : 20,
    reopens: quick ? 1 : 3,
    coldOpens: quick ? 1 : 9,
    burst: quick ? 0 : 3,
    profileReopens: 10,
    documentRequests: quick ? 3 : 10,
    hoverAfterEdit: quick ? 2 : 6,
    warmup: quick ? 2 : 5,
    budget: quick ? 6 : 20,
    slow: 20,
    timeout: 300000,
    lintFiles: quick ? 50 : 300,
    codeCache: true,
    lint: true,
    client: true,
    vsix: true,
    servers: true,
    json: undefined,
    markdown: undefined,
    profile: undefined,
    profileFile: undefined,
    files: [],
    fresh: 0,
    freshReopens: 5,
    freshWait: 300,
    gc: false,
    against: undefined,
    againstFlags: undefined,
    editPause: 0,
    equalIdle: false,
  };
  const numeric = {
    '--corpus': 'corpus',
    '--hovers': 'hovers',
    '--actions': 'actions',
    '--completions': 'completions',
    '--edits': 'edits',
    '--reopens': 'reopens',
    '--cold-opens': 'coldOpens',
    '--burst': 'burst',
    '--profile-reopens': 'profileReopens',
    '--fresh': 'fresh',
    '--fresh-reopens': 'freshReopens',
    '--fresh-wait': 'freshWait',
    '--document-requests': 'documentRequests',
    '--hover-after-edit': 'hoverAfterEdit',
    '--warmup': 'warmup',
    '--budget': 'budget',
    '--slow': 'slow',
    '--timeout': 'timeout',
    '--lint-files': 'lintFiles',
    '--edit-pause': 'editPause',
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].includes('=') ? argv[i].split(/=(.*)/s, 2) : [argv[i], undefined];
    const value = () => inline ?? argv[++i];
    if (flag === '--quick') continue;
    else if (flag in numeric) {
      const n = Number(value());
      if (!Number.isFinite(n) || n < 0) usage(`${flag} needs a non-negative number`);
      o[numeric[flag]] = n;
    } else if (flag === '--sizes')
      o.sizes = value()
        .split(',')
        .filter(Boolean)
        .map((s) => Number(s));
    else if (flag === '--no-lint') o.lint = false;
    else if (flag === '--no-client') o.client = false;
    else if (flag === '--no-vsix') o.vsix = false;
    else if (flag === '--no-servers') o.servers = false;
    else if (flag === '--no-code-cache') o.codeCache = false;
    else if (flag === '--gc') o.gc = true;
    else if (flag === '--equal-idle') o.equalIdle = true;
    else if (flag === '--json') o.json = value();
    else if (flag === '--markdown') o.markdown = value();
    else if (flag === '--profile') o.profile = value();
    else if (flag === '--profile-file') o.profileFile = value();
    else if (flag === '--files') o.files.push(...value().split(',').filter(Boolean));
    else if (flag === '--against') o.against = value();
    else if (flag === '--against-flags') o.againstFlags = value().split(/\s+/).filter(Boolean);
    else if (flag === '-h' || flag === '--help') usage();
    else usage(`unknown option ${flag}`);
  }
  if (o.sizes.some((n) => !Number.isInteger(n) || n < 50)) usage('--sizes: integers >= 50');
  return o;
}

function usage(message) {
  const head = readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n');
  const end = head.findIndex((l) => !l.startsWith('//'));
  if (message) console.error(`bench: ${message}`);
  console.error(
    head
      .slice(0, end)
      .map((l) => l.replace(/^\/\/ ?/, ''))
      .join('\n'),
  );
  process.exit(message ? 2 : 0);
}

// ---------------------------------------------------------------------------------------------
// The servers

const BUILT = join(ROOT, 'server', 'out');
/** Idle time after the back-to-back re-opens (--burst) before the peak RSS is read. */
const BURST_IDLE_MS = 5000;
/** The server bundle the bench runs: a private copy of server/out, so a rebuild during the run changes nothing. */
let DOCKSMITH = join(BUILT, 'server.js');

/** Every server process this bench started and has not stopped yet (killed on Ctrl-C). */
const LIVE = new Set();
for (const signal of ['SIGINT', 'SIGTERM'])
  process.on(signal, () => {
    for (const proc of LIVE) proc.kill('SIGKILL');
    process.exit(130); // runs the 'exit' handlers (snapshot clean-up)
  });

/** Copies the server build in `from` to a private folder; the path of its server.js. */
function snapshotServer(from = BUILT, name = 'server') {
  const dir = join(tmpdir(), `docksmith-bench-${name}-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const file of readdirSync(from))
    if (/^(lang)?server\.js(\.map)?$|\.wasm$/.test(file)) copyFileSync(join(from, file), join(dir, file));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'server.js');
}

/** Whether the built server reads DOCKSMITH_VALIDATION_DELAY_MS (to measure compute without the debounce). */
function supportsDelayOverride() {
  const bundle = join(dirname(DOCKSMITH), 'langserver.js');
  return existsSync(bundle) && readFileSync(bundle, 'utf8').includes('DOCKSMITH_VALIDATION_DELAY_MS');
}

const CAPABILITIES = {
  workspace: {
    applyEdit: true,
    configuration: true,
    didChangeConfiguration: { dynamicRegistration: true },
    workspaceEdit: { documentChanges: true },
  },
  textDocument: {
    synchronization: { didSave: true, dynamicRegistration: false },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    completion: {
      completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'], deprecatedSupport: true },
    },
    publishDiagnostics: {
      relatedInformation: true,
      versionSupport: true,
      codeDescriptionSupport: true,
      dataSupport: true,
    },
    codeAction: {
      codeActionLiteralSupport: {
        codeActionKind: { valueSet: ['quickfix', 'refactor', 'source', 'source.fixAll'] },
      },
      disabledSupport: true,
      isPreferredSupport: true,
      dataSupport: true,
    },
  },
};

class TimeoutError extends Error {}

function withTimeout(promise, ms, what, onTimeout) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => {
        onTimeout?.();
        reject(new TimeoutError(`${what}: no answer in ${ms} ms`));
      }, ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** One language server process and the LSP client that talks to it. */
/** The CPU time a /proc `sched` file reports for its thread (or process' main thread), in ms; NaN if absent. */
function schedRuntimeMs(path) {
  const m = /se\.sum_exec_runtime\s*:\s*([\d.]+)/.exec(readFileSync(path, 'utf8'));
  return m ? Number(m[1]) : NaN;
}

class Server {
  constructor(id, label, args, { env = {}, timeout }) {
    this.id = id;
    this.label = label;
    this.timeout = timeout;
    this.stderr = '';
    /** Garbage collections the server reported (scripts/gc-observer.mjs, with --gc): { kind, forced, ms, at }. */
    this.collections = [];
    this.waiters = [];
    this.spawnedAt = process.hrtime.bigint();
    this.spawnedMs = performance.now();
    this.proc = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let partial = '';
    this.proc.stderr.on('data', (chunk) => {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop();
      for (const line of lines) {
        const gc = /^docksmith-bench-gc (\S+) ([01]) ([\d.]+) ([\d.]+)$/.exec(line);
        if (gc) this.collections.push({ kind: gc[1], forced: gc[2] === '1', ms: Number(gc[3]), at: Number(gc[4]) });
        else if (this.stderr.length < 20000) this.stderr += line + '\n';
      }
    });
    this.proc.stderr.on('end', () => {
      if (partial !== '' && this.stderr.length < 20000) this.stderr += partial;
    });
    LIVE.add(this.proc);
    this.exited = new Promise((resolve) =>
      this.proc.once('exit', (code, signal) => {
        LIVE.delete(this.proc);
        resolve({ code, signal });
      }),
    );
    this.conn = rpc.createMessageConnection(
      new rpc.StreamMessageReader(this.proc.stdout),
      new rpc.StreamMessageWriter(this.proc.stdin),
    );
    this.conn.onRequest('workspace/configuration', (params) =>
      params.items.map((item) => (item.section === 'docksmith' ? {} : null)),
    );
    this.conn.onRequest('client/registerCapability', () => null);
    this.conn.onRequest('client/unregisterCapability', () => null);
    this.conn.onRequest('window/workDoneProgress/create', () => null);
    this.conn.onRequest('workspace/applyEdit', () => ({ applied: false }));
    this.conn.onNotification(() => {});
    this.conn.onNotification('textDocument/publishDiagnostics', (params) => {
      const at = performance.now();
      for (const waiter of [...this.waiters]) {
        if (
          waiter.uri === params.uri &&
          (waiter.version === undefined || params.version === undefined || params.version === waiter.version)
        ) {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          waiter.resolve({ at, params });
        }
      }
    });
    this.conn.onError(() => {});
    this.conn.listen();
  }

  get pid() {
    return this.proc.pid;
  }

  /** The next diagnostics for `uri` (for `version` when the server sends versions). Register BEFORE sending. */
  nextDiagnostics(uri, version) {
    let waiter;
    const promise = new Promise((resolve) => {
      waiter = { uri, version, resolve };
      this.waiters.push(waiter);
    });
    return withTimeout(promise, this.timeout, `${this.label}: diagnostics for ${uri} v${version}`, () =>
      this.waiters.splice(this.waiters.indexOf(waiter), 1),
    );
  }

  async request(method, params) {
    const source = new rpc.CancellationTokenSource();
    const cpu0 = this.cpuMs();
    const t0 = performance.now();
    const result = await withTimeout(
      this.conn.sendRequest(method, params, source.token),
      this.timeout,
      `${this.label}: ${method}`,
      () => source.cancel(),
    );
    const ms = performance.now() - t0;
    return { ms, cpu: this.cpuMs() - cpu0, result };
  }

  notify(method, params) {
    return this.conn.sendNotification(method, params);
  }

  async initialize() {
    const { result } = await this.request('initialize', {
      processId: process.pid,
      rootUri: null,
      locale: 'en',
      capabilities: CAPABILITIES,
      workspaceFolders: null,
    });
    await this.notify('initialized', {});
    this.capabilities = result.capabilities;
    // From the process start: loading the bundle counts (the server is started when a Dockerfile is opened).
    return { ms: performance.now() - this.spawnedMs, cpu: this.cpuMs() };
  }

  /** didOpen -> first diagnostics, in ms; `from` and `to`: the same interval in ms since the epoch. */
  async open(uri, text, version = 1) {
    const diagnostics = this.nextDiagnostics(uri, version);
    const threads0 = this.threadsCpuMs();
    const cpu0 = this.cpuMs();
    const t0 = performance.now();
    await this.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'dockerfile', version, text } });
    const { at, params } = await diagnostics;
    const cpu = this.cpuMs() - cpu0;
    const threadsCpu = this.threadsCpuMs() - threads0;
    const epoch = performance.timeOrigin;
    return { ms: at - t0, cpu, threadsCpu, diagnostics: params.diagnostics, from: epoch + t0, to: epoch + at };
  }

  /** The garbage collections the server reported that started between `from` and `to` (ms since the epoch). */
  collectionsBetween(from, to) {
    return this.collections.filter((c) => c.at >= from && c.at <= to);
  }

  close(uri) {
    return this.notify('textDocument/didClose', { textDocument: { uri } });
  }

  /**
   * CPU time of all the server's threads so far, in ms (Linux /proc; NaN elsewhere): the main thread
   * and V8's workers (optimising compiles, parts of the collections), which run on the other cores.
   */
  threadsCpuMs() {
    try {
      let sum = 0;
      for (const tid of readdirSync(`/proc/${this.pid}/task`)) {
        const ms = schedRuntimeMs(`/proc/${this.pid}/task/${tid}/sched`);
        if (!Number.isNaN(ms)) sum += ms;
      }
      return sum;
    } catch {
      return NaN;
    }
  }

  /** CPU time of the server's main (JavaScript) thread so far, in ms (Linux /proc; NaN elsewhere). */
  cpuMs() {
    try {
      return schedRuntimeMs(`/proc/${this.pid}/sched`);
    } catch {
      return NaN;
    }
  }

  /** Peak resident set size (VmHWM) in MB, or undefined off Linux. */
  peakRssMb() {
    try {
      const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
      const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
      return match ? Number(match[1]) / 1024 : undefined;
    } catch {
      return undefined;
    }
  }

  async shutdown() {
    if (this.dead) {
      this.conn.dispose();
      return;
    }
    try {
      await withTimeout(this.conn.sendRequest('shutdown'), 5000, `${this.label}: shutdown`);
      await this.notify('exit');
      await withTimeout(this.exited, 5000, `${this.label}: exit`);
    } catch {
      // fall through to the kill below
    } finally {
      this.conn.dispose();
      if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill('SIGKILL');
    }
  }
}

/** The V8 flags the VS Code client starts Docksmith's server with (client/src/extension.ts). */
const SERVER_NODE_FLAGS = JSON.parse(readFileSync(join(ROOT, 'client', 'src', 'serverNodeFlags.json'), 'utf8'));

/** The Node flags Docksmith's server starts with: SERVER_NODE_FLAGS unless --against-flags sets others. */
let serverFlags = SERVER_NODE_FLAGS;

function startServer(id, timeout, extra = {}) {
  if (id === 'anchor')
    return new Server(id, 'anchor', [...(extra.execArgv ?? []), anchorEntry().path, '--stdio'], { timeout });
  const env = id === 'ours0' ? { DOCKSMITH_VALIDATION_DELAY_MS: '0' } : {};
  return new Server(
    id,
    id === 'ours0' ? 'Docksmith (no debounce)' : 'Docksmith',
    [...serverFlags, ...(extra.execArgv ?? []), DOCKSMITH, '--stdio'],
    {
      timeout,
      env: { ...env, ...extra.env },
    },
  );
}

// ---------------------------------------------------------------------------------------------
// Positions in a file

const INSTRUCTIONS = new Set(
  'FROM RUN CMD LABEL MAINTAINER EXPOSE ENV ADD COPY ENTRYPOINT VOLUME USER WORKDIR ARG ONBUILD STOPSIGNAL HEALTHCHECK SHELL'.split(
    ' ',
  ),
);

/** Evenly spaced picks of `n` items from `list` (deterministic, spread over the whole list). */
function spread(list, n) {
  if (n <= 0 || list.length === 0) return [];
  if (list.length <= n) return [...list];
  return Array.from({ length: n }, (_, i) => list[Math.floor(((i + 0.5) * list.length) / n)]);
}

/**
 * Hover/completion positions: instruction keywords, variables (`$X`, `${X}`) and instruction flags
 * (`--from=`, `--mount=` ...), classified from the text. `at` is the middle of the token (hover), `end` its end.
 */
function tokenPositions(lines) {
  const keywords = [];
  const variables = [];
  const flags = [];
  let continued = false;
  let heredoc;
  lines.forEach((line, n) => {
    const wasContinued = continued;
    continued = /[\\`]\s*$/.test(line) && !line.trimStart().startsWith('#');
    if (heredoc) {
      if (line.trim() === heredoc) heredoc = undefined;
      for (const m of line.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)) {
        const start = m.index + (m[0][1] === '{' ? 2 : 1);
        variables.push({ line: n, at: start + (m[1].length >> 1), end: start + m[1].length, kind: 'variable' });
      }
      return;
    }
    const trimmed = line.trimStart();
    if (trimmed.startsWith('#')) return;
    const indent = line.length - trimmed.length;
    const word = /^[A-Za-z]+/.exec(trimmed)?.[0];
    if (!wasContinued && word && INSTRUCTIONS.has(word.toUpperCase())) {
      keywords.push({ line: n, at: indent + (word.length >> 1), end: indent + word.length, kind: 'keyword' });
      const heredocStart = /<<-?\s*["']?([A-Za-z_]+)["']?/.exec(trimmed);
      if (heredocStart && /^(RUN|COPY|ADD)$/i.test(word)) heredoc = heredocStart[1];
    }
    if (!wasContinued && word && /^(FROM|COPY|ADD|RUN|HEALTHCHECK)$/i.test(word)) {
      const rest = trimmed.slice(word.length);
      const flagRun = /^(\s+--[a-z-]+(=\S*)?)+/.exec(rest);
      if (flagRun)
        for (const m of flagRun[0].matchAll(/--([a-z-]+)/g)) {
          const start = indent + word.length + m.index + 2;
          flags.push({ line: n, at: start + (m[1].length >> 1), end: start + m[1].length, kind: 'flag' });
        }
    }
    for (const m of line.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)) {
      const start = m.index + (m[0][1] === '{' ? 2 : 1);
      variables.push({ line: n, at: start + (m[1].length >> 1), end: start + m[1].length, kind: 'variable' });
    }
  });
  return { keywords, variables, flags };
}

/** `n` positions: ~40% keywords, ~35% variables, ~25% flags, each spread over the file, in file order. */
function pickPositions(tokens, n) {
  const want = { keywords: Math.round(n * 0.4), variables: Math.round(n * 0.35) };
  want.flags = n - want.keywords - want.variables;
  let chosen = [
    ...spread(tokens.keywords, want.keywords),
    ...spread(tokens.variables, want.variables),
    ...spread(tokens.flags, want.flags),
  ];
  if (chosen.length < n) {
    const taken = new Set(chosen);
    const rest = [...tokens.keywords, ...tokens.variables, ...tokens.flags].filter((t) => !taken.has(t));
    chosen = chosen.concat(spread(rest, n - chosen.length));
  }
  return chosen.sort((a, b) => a.line - b.line || a.at - b.at);
}

/** Places for single-character edits in the middle of the file: after a word of an argument, not a comment. */
function editPositions(lines, n) {
  const candidates = [];
  for (const [lo, hi] of [
    [0.4, 0.6],
    [0.25, 0.75],
    [0, 1],
  ]) {
    for (let i = Math.floor(lines.length * lo); i < Math.floor(lines.length * hi); i++) {
      const line = lines[i];
      const trimmed = line.trimStart();
      if (!trimmed || trimmed.startsWith('#')) continue;
      const keyword = /^[A-Za-z]+/.exec(trimmed)?.[0];
      const from =
        line.length - trimmed.length + (keyword && INSTRUCTIONS.has(keyword.toUpperCase()) ? keyword.length : 0);
      const m = /[A-Za-z0-9_]{3,}/.exec(line.slice(from));
      if (m) candidates.push({ line: i, character: from + m.index + m[0].length });
    }
    if (candidates.length >= n) break;
  }
  return spread(candidates, n);
}

// ---------------------------------------------------------------------------------------------
// Statistics

const median = (xs) => quantile(xs, 0.5);
const p95 = (xs) => quantile(xs, 0.95);
function quantile(xs, q) {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return undefined;
  if (q === 0.5) return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
}

// ---------------------------------------------------------------------------------------------
// One file: all servers alive at once, every series alternating between them sample by sample

/**
 * Docksmith's longest debounce of a validation after an edit (server/src/debounce.ts; until the
 * twentieth session every edit waited this long): what --equal-idle has the other servers wait.
 */
const DEBOUNCE_MS = 150;

/** After the last edit of a series, how long its servers' CPU still counts towards the series (ms). */
const EDIT_SERIES_SETTLE_MS = 300;

/** Unmeasured re-opens before the measured ones (see benchFile). */
const reopenWarmup = (o) => Math.min(o.warmup, 2);
/** Unmeasured edits (each typed, then deleted) before the measured ones (see benchFile). */
const editWarmup = (o) => Math.ceil(o.warmup / 2);

/**
 * Runs `fn(server, i)` for i in 0..count-1, alternating the order of the servers each round. A server
 * that has spent more than `budgetMs` in the series (and has `minSamples`) is not asked again: a slow
 * server cannot make the bench run for hours; the table shows how many samples each figure has.
 */
async function alternate(servers, count, fn, { budgetMs = Infinity, minSamples = 3, heavy = false } = {}) {
  const spent = new Map(servers.map((s) => [s, 0]));
  for (let i = 0; i < count; i++) {
    const order = i % 2 ? [...servers].reverse() : servers;
    for (const server of order) {
      if (server.dead) continue;
      // A server whose first open was very slow gets one sample of each series that re-analyses the file.
      const slow = heavy && server.slow;
      if (i >= (slow ? 1 : minSamples) && spent.get(server) > (slow ? 0 : budgetMs)) continue;
      const t0 = performance.now();
      await fn(server, i);
      spent.set(server, spent.get(server) + performance.now() - t0);
    }
  }
}

async function safe(errors, server, what, fn) {
  try {
    return await fn();
  } catch (error) {
    errors.push(`${server.label}: ${what}: ${error.message}`);
    if (error instanceof TimeoutError && !server.dead) {
      // Requests queue behind the one that timed out: this server is done for this file.
      server.dead = true;
      server.proc.kill('SIGKILL');
    }
    return { ms: NaN, cpu: NaN, timeout: error instanceof TimeoutError };
  }
}

async function benchFile(file, o, fileIndex, withCompute) {
  const lines = file.text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const uri = `file:///bench/${file.name}/Dockerfile`;
  const ids = fileIndex % 2 ? ['anchor', 'ours'] : ['ours', 'anchor'];
  // Whether Docksmith starts with the V8 code cache an earlier server of this run wrote (20 s after
  // its start, server/src/loader.ts), as every start after the first does in an editor.
  const codeCache = serverCodeCacheWritten();
  const main = ids.map((id) => startServer(id, o.timeout));
  const servers = [...main]; // plus the no-debounce Docksmith, started for the edits
  const results = Object.fromEntries(['ours', 'anchor', 'ours0'].map((id) => [id, { errors: [], samples: {} }]));
  const sample = (server, figure, r) =>
    (results[server.id].samples[figure] ??= []).push({ ms: r.ms, cpu: r.cpu, threadsCpu: r.threadsCpu });
  const errors = (server) => results[server.id].errors;
  const series = { budgetMs: o.budget * 1000 };

  try {
    for (const s of main) {
      sample(s, 'initialize', await s.initialize());
      results[s.id].startRssMb = s.peakRssMb();
    }
    // open -> first diagnostics (cold: the first document of a fresh server)
    const diagnostics = {};
    for (const s of main) {
      const r = await safe(errors(s), s, 'open', () => s.open(uri, file.text));
      sample(s, 'open', r);
      diagnostics[s.id] = r.diagnostics ?? [];
      results[s.id].diagnostics = r.diagnostics?.length;
      if (r.ms > o.slow * 1000) {
        s.slow = true;
        results[s.id].slow =
          `open took ${(r.ms / 1000).toFixed(0)} s (> --slow ${o.slow} s): one edit, no re-open, no hover after an edit`;
      }
    }
    // open again under other URIs (warm JIT), closing each; not for a server that is very slow to open.
    // The first re-opens are not measured, as the first requests of every other series are not: a
    // server still compiles the code of its analysis then (both do; Docksmith has more of it).
    const reopening = main.filter((s) => !s.slow);
    const reopen = async (s, name, measured) => {
      const other = `file:///bench/${file.name}/${name}/Dockerfile`;
      const r = await safe(measured ? errors(s) : [], s, name, () => s.open(other, file.text));
      if (measured) sample(s, 'reopen', r);
      await s.close(other);
    };
    await alternate(reopening, reopenWarmup(o), (s, i) => reopen(s, `reopen-warmup-${i}`, false), {
      ...series,
      minSamples: 1,
    });
    await alternate(reopening, o.reopens, (s, i) => reopen(s, `reopen-${i}`, true), { ...series, minSamples: 1 });

    // hover
    const tokens = tokenPositions(lines);
    const hoverAt = pickPositions(tokens, o.hovers);
    const hover = (s, p) =>
      s.request('textDocument/hover', { textDocument: { uri }, position: { line: p.line, character: p.at } });
    for (const s of main)
      for (const p of pickPositions(tokens, o.warmup)) await safe([], s, 'warmup', () => hover(s, p));
    await alternate(
      main,
      hoverAt.length,
      async (s, i) => {
        const r = await safe(errors(s), s, 'hover', () => hover(s, hoverAt[i]));
        sample(s, 'hover', r);
        sample(s, `hover:${hoverAt[i].kind}`, r);
        if (r.result) results[s.id].hoverAnswered = (results[s.id].hoverAnswered ?? 0) + 1;
      },
      series,
    );

    // code actions at each server's own diagnostics
    const actionAt = Object.fromEntries(main.map((s) => [s.id, spread(diagnostics[s.id], o.actions)]));
    const codeAction = (s, d) =>
      s.request('textDocument/codeAction', {
        textDocument: { uri },
        range: d.range,
        context: { diagnostics: [d], triggerKind: 1 },
      });
    for (const s of main)
      for (const d of spread(actionAt[s.id], o.warmup)) await safe([], s, 'warmup', () => codeAction(s, d));
    await alternate(
      main,
      o.actions,
      async (s, i) => {
        const d = actionAt[s.id][i];
        if (!d) return;
        const r = await safe(errors(s), s, 'codeAction', () => codeAction(s, d));
        sample(s, 'codeAction', r);
        results[s.id].actionsReturned = (results[s.id].actionsReturned ?? 0) + (r.result?.length ?? 0);
      },
      series,
    );

    // completion (only where the server offers it)
    const completing = main.filter((s) => s.capabilities?.completionProvider);
    const completeAt = pickPositions(tokens, o.completions);
    const complete = (s, p) =>
      s.request('textDocument/completion', { textDocument: { uri }, position: { line: p.line, character: p.end } });
    for (const s of completing)
      for (const p of pickPositions(tokens, o.warmup)) await safe([], s, 'warmup', () => complete(s, p));
    await alternate(
      completing,
      completeAt.length,
      async (s, i) => sample(s, 'completion', await safe(errors(s), s, 'completion', () => complete(s, completeAt[i]))),
      series,
    );

    // whole-document requests an editor sends after every change (outline, folding)
    for (const [method, capability, figure] of [
      ['textDocument/documentSymbol', 'documentSymbolProvider', 'documentSymbol'],
      ['textDocument/foldingRange', 'foldingRangeProvider', 'foldingRange'],
    ]) {
      const offering = main.filter((s) => s.capabilities?.[capability]);
      const call = (s) => s.request(method, { textDocument: { uri } });
      for (const s of offering)
        for (let i = 0; i < Math.min(o.warmup, 2); i++) await safe([], s, 'warmup', () => call(s));
      await alternate(
        offering,
        o.documentRequests,
        async (s) => sample(s, figure, await safe(errors(s), s, figure, () => call(s))),
        series,
      );
    }

    // edit -> diagnostics: insert a character, then delete it, in the middle of the file
    const editAt = editPositions(lines, Math.ceil(o.edits / 2));
    const ours = main.find((s) => s.id === 'ours');
    const editing = [...main];
    if (!withCompute) results.ours.computeSkipped = 'this build does not read DOCKSMITH_VALIDATION_DELAY_MS';
    else if (ours.dead || ours.slow) results.ours.computeSkipped = 'Docksmith was too slow on this file';
    else {
      const ours0 = startServer('ours0', o.timeout);
      servers.push(ours0);
      await ours0.initialize();
      await safe(errors(ours0), ours0, 'open', () => ours0.open(uri, file.text));
      editing.push(ours0);
    }
    const version = Object.fromEntries(servers.map((s) => [s.id, 1]));
    const edit = async (s, at, insert, character = 'x') => {
      const v = ++version[s.id];
      const range = insert
        ? { start: at, end: at }
        : { start: at, end: { line: at.line, character: at.character + 1 } };
      const diags = s.nextDiagnostics(uri, v);
      diags.catch(() => {});
      const cpu0 = s.cpuMs();
      const t0 = performance.now();
      await s.notify('textDocument/didChange', {
        textDocument: { uri, version: v },
        contentChanges: [{ range, rangeLength: insert ? 0 : 1, text: insert ? character : '' }],
      });
      return { t0, cpu0, diags };
    };
    // Unmeasured edits first, as every other series has its warm-up requests: a server's first edits
    // still compile the code an edit runs (Docksmith's incremental path is other code than the
    // open's). A `y` where the measured edits type an `x`, so that no measured version's text is one
    // a cache has already seen.
    for (const s of editing.filter((s) => !s.dead && !s.slow)) {
      for (const at of editAt.slice(0, editWarmup(o))) {
        for (const insert of [true, false]) {
          await safe([], s, 'warmup', async () => (await edit(s, at, insert, 'y')).diags);
        }
      }
    }
    /** Where a server's edit samples go: the no-debounce Docksmith's are the compute rows. */
    const editFigure = (s) => (s.id === 'ours0' ? 'editCompute' : 'edit');
    const measuredEdit = async (s, at, insert) => {
      // --edit-pause: the keystroke comes after a pause in the typing, every server idle, as in an
      // editor. Back to back, a server starts right after the others' turn, with the machine busy,
      // and does the same work for less CPU than one woken up from idle (Docksmith's debounce is a
      // wait inside its own interval either way).
      if (o.editPause > 0) await sleep(o.editPause);
      // --equal-idle: a server without a debounce waits as long before its edit as Docksmith's waits
      // inside its own interval, so that every server's work starts after the same idle.
      if (o.equalIdle && s.id !== 'ours') await sleep(DEBOUNCE_MS);
      const r = await safe(errors(s), s, 'edit', async () => {
        const { t0, cpu0, diags } = await edit(s, at, insert);
        const { at: received } = await diags;
        return { ms: received - t0, cpu: s.cpuMs() - cpu0 };
      });
      sample(s, editFigure(s), r);
      if (s.id === 'anchor') sample(s, 'editCompute', r); // no debounce: what users see is the compute
    };
    // The whole series' CPU as well: a sample's interval holds only what runs during it, and what a
    // server leaves for later (a timer, V8's own tasks) falls into its next interval or into none.
    // Over the series, every server's CPU counts, wherever it falls.
    const seriesStart = new Map(editing.map((s) => [s, s.cpuMs()]));
    await alternate(
      editing,
      editAt.length,
      async (s, i) => {
        await measuredEdit(s, editAt[i], true);
        // A very slow server gets one edit and no revert (each version costs it a full validation).
        if (!s.slow) await measuredEdit(s, editAt[i], false);
      },
      { ...series, minSamples: 2, heavy: true },
    );
    await sleep(EDIT_SERIES_SETTLE_MS);
    for (const s of editing) {
      const taken = results[s.id].samples[editFigure(s)]?.filter((x) => !Number.isNaN(x.cpu));
      if (!s.dead && taken?.length) results[s.id].editSeriesCpu = (s.cpuMs() - seriesStart.get(s)) / taken.length;
    }

    // a hover sent right after an edit, before that version's diagnostics
    const farHover = spread(tokens.keywords, Math.max(1, o.hoverAfterEdit));
    await alternate(
      main.filter((s) => !s.slow),
      Math.min(o.hoverAfterEdit, editAt.length),
      async (s, i) => {
        const at = editAt[i % editAt.length];
        const r = await safe(errors(s), s, 'hover after edit', async () => {
          const { diags } = await edit(s, at, true);
          const h = await hover(s, farHover[i % farHover.length]);
          await diags;
          await (
            await edit(s, at, false)
          ).diags;
          return h;
        });
        sample(s, 'hoverAfterEdit', r);
      },
      { ...series, minSamples: 1 },
    );

    for (const s of servers) results[s.id].peakRssMb = s.peakRssMb();

    // Memory when the file is opened again back to back, each copy closed as soon as its diagnostics
    // are in (the series above alternates servers, which leaves each one a quiet moment between two
    // re-opens), then idle: what a server keeps, and how soon it lets go of what it no longer needs.
    if (o.burst > 0) {
      for (const s of main.filter((s) => !s.dead && !s.slow)) {
        for (let i = 0; i < o.burst; i++) {
          const other = `file:///bench/${file.name}/burst-${i}/Dockerfile`;
          await safe(errors(s), s, 'back-to-back re-open', () => s.open(other, file.text));
          await s.close(other);
        }
      }
      await sleep(BURST_IDLE_MS);
      for (const s of main) if (!s.dead && !s.slow) results[s.id].burstPeakRssMb = s.peakRssMb();
    }
  } finally {
    await Promise.all(servers.map((s) => s.shutdown()));
  }
  // More cold opens, each in a fresh server, the two servers in turn (after the series above, so that
  // nothing else runs meanwhile): the table shows the median of all of them.
  for (let round = 1; round < o.coldOpens; round++) {
    for (const id of round % 2 ? [...ids].reverse() : ids) {
      if (results[id].slow || main.find((s) => s.id === id).dead) continue;
      const s = startServer(id, o.timeout);
      try {
        sample(s, 'initialize', await safe(errors(s), s, 'initialize', () => s.initialize()));
        sample(s, 'open', await safe(errors(s), s, 'open', () => s.open(uri, file.text)));
      } finally {
        await s.shutdown();
      }
    }
  }
  for (const s of servers) if (s.stderr.trim()) results[s.id].stderr = s.stderr.slice(0, 2000);
  if (results.ours0.samples.editCompute) results.ours.samples.editCompute = results.ours0.samples.editCompute;
  if (results.ours0.editSeriesCpu !== undefined) results.ours.editSeriesCpuNoDebounce = results.ours0.editSeriesCpu;
  results.ours.errors.push(...results.ours0.errors);
  delete results.ours0;
  return { name: file.name, lines: lines.length, kind: file.kind, codeCache, results };
}

// ---------------------------------------------------------------------------------------------
// Files

function corpusFiles(count) {
  const dir = join(ROOT, '..', 'shared', 'corpus');
  const manifest = join(dir, 'manifest.tsv');
  if (count <= 0 || !existsSync(manifest)) return [];
  const rows = readFileSync(manifest, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split('\t'))
    .filter((r) => r[8] !== 'test' && existsSync(join(dir, 'files', r[0])))
    .sort((a, b) => Number(b[6]) - Number(a[6]) || a[0].localeCompare(b[0]));
  return rows.slice(0, count).map((r) => ({
    name: r[0].replace(/__/g, '/').slice(0, 60),
    kind: 'corpus',
    text: readFileSync(join(dir, 'files', r[0]), 'utf8'),
  }));
}

/** Files given with --files, compared after the others. */
const givenFiles = (paths) =>
  paths.map((path) => ({ name: basename(path), kind: 'given', text: readFileSync(path, 'utf8') }));

const generatedFiles = (sizes) =>
  sizes.map((n) => ({ name: `generated-${n / 1000}k`, kind: 'generated', text: generateDockerfile(n) }));

// ---------------------------------------------------------------------------------------------
// docksmith lint, client load, .vsix

function timeLint(o) {
  const dir = join(ROOT, '..', 'shared', 'corpus', 'files');
  const cli = join(ROOT, 'server', 'out', 'cli.js');
  const out = {};
  const tmp = join(tmpdir(), `docksmith-bench-lint-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));
  // The CLI's own CPU time (user + system), written at exit by a preloaded hook.
  const hook = join(tmp, 'cpu-at-exit.cjs');
  const cpuFile = join(tmp, 'cpu.json');
  writeFileSync(
    hook,
    `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(cpuFile)}, JSON.stringify(process.cpuUsage())));\n`,
  );
  const run = (target) => {
    rmSync(cpuFile, { force: true });
    const t0 = performance.now();
    const r = spawnSync(process.execPath, ['--require', hook, cli, 'lint', '--format', 'json', target], {
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 1 << 30,
      timeout: o.timeout,
    });
    const ms = performance.now() - t0;
    let findings;
    try {
      const json = JSON.parse(r.stdout.toString());
      findings = Array.isArray(json) ? json.length : undefined;
    } catch {
      findings = undefined;
    }
    let cpu;
    try {
      const u = JSON.parse(readFileSync(cpuFile, 'utf8'));
      cpu = (u.user + u.system) / 1000;
    } catch {
      cpu = undefined;
    }
    return { ms, cpu, status: r.status, signal: r.signal, stderr: r.stderr.toString().slice(0, 500), findings };
  };
  try {
    if (existsSync(dir) && o.lintFiles > 0) {
      // The corpus names files `owner__repo__path__Dockerfile`: give them a name the CLI recognises.
      const names = readdirSync(dir).sort();
      const chosen = Number.isFinite(o.lintFiles) ? spread(names, o.lintFiles) : names;
      const corpus = join(tmp, 'corpus');
      mkdirSync(corpus);
      let lineCount = 0;
      for (const name of chosen) {
        copyFileSync(join(dir, name), join(corpus, `${name}.dockerfile`));
        lineCount += readFileSync(join(dir, name), 'utf8').split('\n').length;
      }
      out.corpus = { files: chosen.length, lines: lineCount, ...run(corpus) };
    }
    const big = Math.max(...o.sizes);
    const one = join(tmp, `generated-${big}.dockerfile`);
    writeFileSync(one, generateDockerfile(big));
    out.generated = { files: 1, lines: big, ...run(one) };
    const empty = join(tmp, 'empty.dockerfile');
    writeFileSync(empty, 'FROM alpine:3.20\n');
    out.startup = { files: 1, lines: 1, ...run(empty) };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return out;
}

function timeClientLoad(runs = 6, coldRuns = 7) {
  const bundle = join(ROOT, 'client', 'out', 'extension.js');
  if (!existsSync(bundle)) return { error: 'client/out/extension.js is missing' };
  const script = `${STUB_VSCODE}
    // The extension host has Node's own modules loaded already: load them before the clock starts.
    // These are the ones VS Code 1.100's extension host imports itself (out/vs/workbench/api/node/
    // extensionHostProcess.js); anything else the bundle requires counts.
    for (const m of ['child_process', 'events', 'fs', 'fs/promises', 'http', 'net', 'module', 'os', 'stream',
      'string_decoder', 'url', 'util', 'zlib'])
      require(m);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const ext = require(${JSON.stringify(bundle)});
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    process.stdout.write(JSON.stringify({ ms, cpu: (cpu.user + cpu.system) / 1000, activate: typeof ext.activate }));
    if (process.env.BENCH_EXIT_NOW === '1') process.exit(0);
  `;
  // The entry point loads main.js through a V8 code cache it writes after the first activation
  // (client/src/loader.ts). First activations (after an install or update): fresh processes with no
  // cache, several of them, since one load swings by +-30%. The last of them writes the cache (the
  // process waits for it); later activations read it, as every later one in the same VS Code does.
  const dir = dirname(bundle);
  const dropCache = () => {
    for (const name of readdirSync(dir)) if (name.endsWith('.cache')) rmSync(join(dir, name), { force: true });
  };
  const once = (env) => {
    const r = spawnSync(process.execPath, ['-e', script], {
      encoding: 'utf8',
      timeout: 30000,
      env: { ...process.env, ...env },
    });
    try {
      return JSON.parse(r.stdout);
    } catch {
      return { error: (r.stderr || r.stdout || 'no output').slice(0, 500) };
    }
  };
  const series = (n, before, env) => {
    const out = [];
    for (let i = 0; i < n; i++) {
      before();
      const r = once(env);
      if (r.error) return r;
      out.push(r);
    }
    return out;
  };
  // These exit before the loader writes a cache.
  const cold = series(coldRuns - 1, dropCache, { BENCH_EXIT_NOW: '1' });
  if (cold.error) return { error: cold.error };
  // This one writes it (at once) before it exits.
  const writer = series(1, dropCache, { DOCKSMITH_CODE_CACHE_DELAY_MS: '0' });
  if (writer.error) return { error: writer.error };
  cold.push(...writer);
  const cached = readdirSync(dir).some((name) => name.endsWith('.cache'));
  const warm = series(runs, () => {}, {});
  if (warm.error) return { error: warm.error };
  return {
    runs,
    cached,
    coldRuns,
    first: {
      ms: median(cold.map((r) => r.ms)),
      cpu: median(cold.map((r) => r.cpu)),
      minCpu: Math.min(...cold.map((r) => r.cpu)),
      maxCpu: Math.max(...cold.map((r) => r.cpu)),
    },
    median: median(warm.map((r) => r.ms)),
    min: Math.min(...warm.map((r) => r.ms)),
    cpu: median(warm.map((r) => r.cpu)),
    activate: warm.at(-1).activate,
    bytes: statSync(bundle).size + (existsSync(join(dir, 'main.js')) ? statSync(join(dir, 'main.js')).size : 0),
  };
}

function packageVsix(o) {
  const out = join(tmpdir(), 'docksmith.vsix');
  const vsce = join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
  const pack = (extra) => {
    rmSync(out, { force: true });
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', ...extra, '-o', out], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: Math.max(120000, o.timeout),
      input: 'y\n',
    });
    const log = `${r.stdout}\n${r.stderr}`.trim();
    const ok = r.status === 0 && existsSync(out);
    return { ok, ms: performance.now() - t0, log, bytes: ok ? statSync(out).size : undefined };
  };
  const result = { command: 'vsce package --no-dependencies', path: out };
  let r = pack([]);
  if (!r.ok) {
    // Report why, then package with what it asked for, to still know the size.
    result.error = (r.log.match(/ERROR.*$/gm) ?? [r.log.slice(-800) || 'failed']).join(' ');
    const workaround = [
      '--allow-missing-repository',
      '--baseContentUrl',
      'https://example.invalid/docksmith',
      '--baseImagesUrl',
      'https://example.invalid/docksmith',
    ];
    r = pack(workaround);
    result.retriedWith = workaround.join(' ');
    if (!r.ok) result.retryError = (r.log.match(/ERROR.*$/gm) ?? [r.log.slice(-800)]).join(' ');
  }
  result.warnings = [...new Set((r.log.match(/WARNING.*$/gm) ?? []).map((w) => w.replace(/\s+/g, ' ')))];
  if (!r.ok) return result;
  result.bytes = r.bytes;
  const listing = spawnSync(process.execPath, [vsce, 'ls', '--no-dependencies'], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120000,
  });
  const files = listing.status === 0 ? listing.stdout.trim().split('\n').filter(Boolean) : [];
  result.files = files.length;
  result.byTop = {};
  for (const f of files) {
    const top = f.split('/')[0];
    result.byTop[top] = (result.byTop[top] ?? 0) + (existsSync(join(ROOT, f)) ? statSync(join(ROOT, f)).size : 0);
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Report

/**
 * [sample key, label, statistic, CPU field]; latencies are client-observed wall time plus the server's
 * main-thread CPU, or (field `threadsCpu`, no wall time) the CPU of all its threads.
 */
const FIGURES = [
  ['initialize', 'process start -> initialize answered', 'median'],
  ['open', 'open -> diagnostics (cold)', 'median'],
  ['open', '  CPU of all the server threads', 'median', 'threadsCpu'],
  ['reopen', 'open -> diagnostics (warm)', 'median'],
  ['reopen', '  CPU of all the server threads', 'median', 'threadsCpu'],
  ['hover', 'hover median', 'median'],
  ['hover', 'hover p95', 'p95'],
  ['hover:keyword', '  hover on keywords, median', 'median'],
  ['hover:variable', '  hover on variables, median', 'median'],
  ['hover:flag', '  hover on flags, median', 'median'],
  ['hoverAfterEdit', 'hover right after an edit, median', 'median'],
  ['codeAction', 'code action median', 'median'],
  ['codeAction', 'code action p95', 'p95'],
  ['completion', 'completion median', 'median'],
  ['completion', 'completion p95', 'p95'],
  ['documentSymbol', 'document symbols, median', 'median'],
  ['foldingRange', 'folding ranges, median', 'median'],
  ['edit', 'edit -> diagnostics median, as users see it', 'median'],
  ['edit', 'edit -> diagnostics p95, as users see it', 'p95'],
  ['editCompute', 'edit -> diagnostics median, no debounce', 'median'],
  ['editCompute', 'edit -> diagnostics p95, no debounce', 'p95'],
];

function stat(result, key, statistic, field) {
  const xs = result.samples[key]?.map((x) => x[field]);
  if (!xs || xs.length === 0) return undefined;
  return statistic === 'p95' ? p95(xs) : median(xs);
}

const fmt = (x) =>
  x === undefined || Number.isNaN(x) ? 'n/a' : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2);
const ratio = (a, b) =>
  a === undefined || b === undefined || !b || Number.isNaN(a) || Number.isNaN(b)
    ? ''
    : (a / b).toFixed(a / b < 0.1 ? 3 : 2);

function report(files, extras, o, meta) {
  const out = [];
  out.push(
    `- Docksmith ${meta.commit}, ${meta.build}. Machine: ${meta.cpu}, ${meta.cores} cores, load average ${meta.load}; ` +
      `Node ${process.version}; ${meta.date}.`,
  );
  out.push(
    `- Anchor: dockerfile-language-server-nodejs ${meta.anchorVersion}. Docksmith debounce: a few times its last validation of the document, 20-${DEBOUNCE_MS} ms` +
      (meta.delayOverride
        ? '; the "no debounce" rows come from a second Docksmith server run with DOCKSMITH_VALIDATION_DELAY_MS=0.'
        : '; this build does not read DOCKSMITH_VALIDATION_DELAY_MS: no "no debounce" rows.') +
      ` Both servers run on \`node --stdio\`; Docksmith with the V8 flags its VS Code client passes (${SERVER_NODE_FLAGS.join(' ') || 'none'}), the anchor as its extensions start it (none).`,
  );
  out.push(
    `- Per file: up to ${o.hovers} hovers, ${o.actions} code actions, ${o.completions} completions, ${o.edits} edits (after ${2 * editWarmup(o)} unmeasured)${o.editPause ? ` (each after a pause of ${o.editPause} ms with every server idle)` : ''}` +
      `${o.equalIdle ? ` (the servers without a debounce wait ${DEBOUNCE_MS} ms before each: --equal-idle)` : ''}, ` +
      `${o.reopens} re-opens (after ${reopenWarmup(o)} unmeasured), ${o.hoverAfterEdit} hovers after an edit, ${o.documentRequests} document symbol and folding ` +
      `requests, ${o.warmup} unmeasured warm-up requests per series, ` +
      `at most ${o.budget} s per server per series (n = samples taken, Docksmith/anchor).`,
  );
  out.push(
    '- wall = client-observed latency (request sent -> answer or diagnostics received); CPU = CPU time of the server main ' +
      'thread over the same interval (/proc/<pid>/sched), which does not depend on what else the machine is doing.',
  );
  out.push('');
  for (const f of files) {
    const { ours, anchor } = f.results;
    out.push(`### ${f.name} (${f.lines} lines, ${f.kind})`);
    out.push('');
    if (f.codeCache !== undefined)
      out.push(
        f.codeCache
          ? 'Docksmith started with the V8 code cache an earlier server of this run wrote (as every start after the first).'
          : 'Docksmith started without a V8 code cache (as the first start after an install or update).',
        '',
      );
    out.push(
      '| figure (ms) | n | Docksmith wall | anchor wall | ours/anchor | Docksmith CPU | anchor CPU | ours/anchor |',
    );
    out.push('|---|---:|---:|---:|---:|---:|---:|---:|');
    for (const [key, label, statistic, field = 'cpu'] of FIGURES) {
      const n = `${ours.samples[key]?.length ?? 0}/${anchor.samples[key]?.length ?? 0}`;
      if (n === '0/0') continue;
      const [ac, bc] = [stat(ours, key, statistic, field), stat(anchor, key, statistic, field)];
      if (field !== 'cpu' && ac === undefined && bc === undefined) continue;
      const [aw, bw] = field === 'cpu' ? [stat(ours, key, statistic, 'ms'), stat(anchor, key, statistic, 'ms')] : [];
      const wall = field === 'cpu' ? [fmt(aw), fmt(bw), ratio(aw, bw)] : ['', '', ''];
      const cells = [...wall, fmt(ac), fmt(bc), ratio(ac, bc)];
      out.push(`| ${label.replace(/^ {2}/, '&nbsp;&nbsp;')} | ${n} | ${cells.join(' | ')} |`);
    }
    if (ours.editSeriesCpu !== undefined && anchor.editSeriesCpu !== undefined) {
      const row = (label, a) =>
        `| ${label} | | | | | ${fmt(a)} | ${fmt(anchor.editSeriesCpu)} | ${ratio(a, anchor.editSeriesCpu)} |`;
      out.push(
        row('edit -> diagnostics, CPU per edit over the whole series (mean), as users see it', ours.editSeriesCpu),
      );
      if (ours.editSeriesCpuNoDebounce !== undefined)
        out.push(
          row(
            'edit -> diagnostics, CPU per edit over the whole series (mean), no debounce',
            ours.editSeriesCpuNoDebounce,
          ),
        );
    }
    out.push(
      `| peak RSS (VmHWM), MB | | ${fmt(ours.peakRssMb)} | ${fmt(anchor.peakRssMb)} | ${ratio(ours.peakRssMb, anchor.peakRssMb)} | | | |`,
    );
    if (ours.burstPeakRssMb !== undefined || anchor.burstPeakRssMb !== undefined)
      out.push(
        `| peak RSS with ${o.burst} more re-opens back to back, then ${BURST_IDLE_MS / 1000} s idle, MB | | ` +
          `${fmt(ours.burstPeakRssMb)} | ${fmt(anchor.burstPeakRssMb)} | ${ratio(ours.burstPeakRssMb, anchor.burstPeakRssMb)} | | | |`,
      );
    out.push(
      `| peak RSS after initialize (no document), MB | | ${fmt(ours.startRssMb)} | ${fmt(anchor.startRssMb)} | ` +
        `${ratio(ours.startRssMb, anchor.startRssMb)} | | | |`,
    );
    out.push(`| diagnostics on open | | ${ours.diagnostics ?? 'n/a'} | ${anchor.diagnostics ?? 'n/a'} | | | | |`);
    out.push(
      `| hovers answered | | ${ours.hoverAnswered ?? 0}/${ours.samples.hover?.length ?? 0} | ` +
        `${anchor.hoverAnswered ?? 0}/${anchor.samples.hover?.length ?? 0} | | | | |`,
    );
    out.push(`| code actions returned | | ${ours.actionsReturned ?? 0} | ${anchor.actionsReturned ?? 0} | | | | |`);
    for (const [who, r] of [
      ['Docksmith', ours],
      ['anchor', anchor],
    ])
      if (r.errors.length) out.push(`\n${who}: ${r.errors.length} failed samples; first: ${r.errors[0]}`);
    if (ours.slow) out.push(`\nDocksmith: ${ours.slow}.`);
    if (anchor.slow) out.push(`\nanchor: ${anchor.slow}.`);
    if (ours.computeSkipped) out.push(`\nNo "no debounce" rows: ${ours.computeSkipped}.`);
    if (!ours.samples.completion?.length) out.push('\nDocksmith offers no completion yet (no completionProvider).');
    out.push('');
  }

  const gen = files.filter((f) => f.kind === 'generated').sort((a, b) => a.lines - b.lines);
  const small = gen.find((f) => f.lines === 5000) ?? gen.at(-2);
  const large = gen.find((f) => f.lines === 20000) ?? gen.at(-1);
  if (small && large && small !== large) {
    const ideal = large.lines / small.lines;
    out.push(`### Growth from ${small.lines} to ${large.lines} lines (linear = ${ideal.toFixed(1)}x)`);
    out.push('');
    out.push('| figure | Docksmith wall | anchor wall | Docksmith CPU | anchor CPU |');
    out.push('|---|---:|---:|---:|---:|');
    const growth = (who, key, statistic, field) => {
      const a = stat(small.results[who], key, statistic, field);
      const b = stat(large.results[who], key, statistic, field);
      return a && b ? `${(b / a).toFixed(1)}x` : 'n/a';
    };
    for (const [key, label, statistic, field] of FIGURES) {
      if (key === 'initialize' || field) continue;
      const cells = ['ms', 'cpu'].flatMap((field) =>
        ['ours', 'anchor'].map((who) => growth(who, key, statistic, field)),
      );
      if (cells.every((c) => c === 'n/a')) continue;
      out.push(`| ${label.trim()} | ${cells.join(' | ')} |`);
    }
    const rss = (who) => {
      const a = small.results[who].peakRssMb;
      const b = large.results[who].peakRssMb;
      return a && b ? `${(b / a).toFixed(1)}x` : 'n/a';
    };
    out.push(`| peak RSS | ${rss('ours')} | ${rss('anchor')} | | |`);
    out.push('');
  }

  if (extras.lint) {
    out.push('### `docksmith lint` (one process per run, `--format json`; the anchor has no CLI)');
    out.push('');
    out.push('| input | files | lines | wall | CPU | files/s (wall) | lines/s (wall) | findings | exit |');
    out.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const [label, r] of Object.entries(extras.lint)) {
      const s = r.ms / 1000;
      out.push(
        `| ${label} | ${r.files} | ${r.lines} | ${r.ms.toFixed(0)} ms | ${r.cpu === undefined ? 'n/a' : `${r.cpu.toFixed(0)} ms`} | ` +
          `${(r.files / s).toFixed(1)} | ${(r.lines / s).toFixed(0)} | ${r.findings ?? 'n/a'} | ${r.status ?? r.signal} |`,
      );
    }
    for (const [label, r] of Object.entries(extras.lint))
      if (r.status !== 0 && r.status !== 1) out.push(`\nlint ${label} failed: ${r.stderr}`);
    out.push('');
  }
  if (extras.client) {
    const c = extras.client;
    out.push('### Client bundle');
    out.push('');
    out.push(
      c.error
        ? `client/out/extension.js did not load with a stub vscode: ${c.error}`
        : `\`require('client/out/extension.js')\` with a stub \`vscode\` (the Node built-ins VS Code 1.100's extension host imports preloaded), ` +
            `fresh processes. First activation (no code cache yet), median of ${c.coldRuns}: ${c.first.ms.toFixed(1)} ms wall, ` +
            `${c.first.cpu.toFixed(1)} ms CPU (${c.first.minCpu.toFixed(1)}-${c.first.maxCpu.toFixed(1)}). ` +
            `Later activations (${c.cached ? 'with the code cache the first one wrote' : 'no code cache was written'}), ` +
            `${c.runs} runs: median ${c.median.toFixed(1)} ms wall (min ${c.min.toFixed(1)} ms), ${c.cpu.toFixed(1)} ms CPU; ` +
            `target < 50 ms. Bundle ${(c.bytes / 1024).toFixed(0)} KiB; exports activate: ${c.activate}.`,
    );
    out.push('');
  }
  if (extras.vsix) {
    const v = extras.vsix;
    out.push('### Packaged extension');
    out.push('');
    if (v.error) out.push(`\`${v.command}\` failed: ${v.error}`);
    if (v.retriedWith)
      out.push(
        v.bytes
          ? `Packaged again with \`${v.retriedWith}\`:`
          : `Retry with \`${v.retriedWith}\` failed too: ${v.retryError}`,
      );
    if (v.bytes) {
      out.push(`.vsix: **${(v.bytes / 1024).toFixed(0)} KiB**, ${v.files} files.`);
      const tops = Object.entries(v.byTop).sort((a, b) => b[1] - a[1]);
      out.push(
        `Uncompressed, by top-level entry: ${tops.map(([k, n]) => `${k} ${(n / 1024).toFixed(0)} KiB`).join(', ')}.`,
      );
    }
    if (v.warnings.length) out.push(`vsce warnings: ${v.warnings.join(' | ')}`);
    out.push('');
  }
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Profile mode: where Docksmith's time goes on the largest generated file

async function profile(o) {
  if (!existsSync(join(BUILT, 'langserver.js.map')))
    usage('--profile maps the profile through the source map of the development build: run `npm run build` first');
  const dir = o.profile;
  mkdirSync(dir, { recursive: true });
  const size = Math.max(...o.sizes);
  const text = o.profileFile ? readFileSync(o.profileFile, 'utf8') : generateDockerfile(size);
  const lines = text.split('\n').slice(0, -1);
  const uri = o.profileFile
    ? 'file:///bench/profiled/Dockerfile'
    : `file:///bench/generated-${size / 1000}k/Dockerfile`;
  const before = new Set(readdirSync(dir));
  // As every start after the first: without the cache, the cold open's profile is mostly V8 compiling.
  if (o.codeCache) await primeCodeCache(o);
  const server = startServer('ours', o.timeout, {
    execArgv: ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval=250'],
    env: { DOCKSMITH_VALIDATION_DELAY_MS: '0' },
  });
  const windows = [];
  const mark = async (name, fn) => {
    const start = process.hrtime.bigint();
    const t0 = performance.now();
    const count = await fn();
    windows.push({
      name,
      start: Number(start / 1000n),
      end: Number(process.hrtime.bigint() / 1000n),
      count,
      ms: performance.now() - t0,
    });
  };
  let diagnostics = [];
  try {
    await server.initialize();
    await mark('open', async () => {
      diagnostics = (await server.open(uri, text)).diagnostics;
      return 1;
    });
    // Re-opens under other URIs, one window each (the close and the idle work after it stay out).
    for (let i = 0; i < o.profileReopens; i++) {
      const other = `${uri.replace(/\/Dockerfile$/, '')}/reopen-${i}/Dockerfile`;
      await mark('reopen', async () => {
        await server.open(other, text);
        return 1;
      });
      await server.close(other);
    }
    const tokens = tokenPositions(lines);
    const hovers = pickPositions(tokens, o.hovers);
    await mark('hover', async () => {
      for (const p of hovers)
        await server.request('textDocument/hover', {
          textDocument: { uri },
          position: { line: p.line, character: p.at },
        });
      return hovers.length;
    });
    const actions = spread(diagnostics, o.actions);
    await mark('codeAction', async () => {
      for (const d of actions)
        await server.request('textDocument/codeAction', {
          textDocument: { uri },
          range: d.range,
          context: { diagnostics: [d], triggerKind: 1 },
        });
      return actions.length;
    });
    const edits = editPositions(lines, Math.ceil(o.edits / 2)).flatMap((at) => [
      { at, insert: true },
      { at, insert: false },
    ]);
    edits.length = Math.min(edits.length, o.edits);
    let version = 1;
    await mark('edit', async () => {
      for (const { at, insert } of edits) {
        const v = ++version;
        const diags = server.nextDiagnostics(uri, v);
        await server.notify('textDocument/didChange', {
          textDocument: { uri, version: v },
          contentChanges: [
            {
              range: insert
                ? { start: at, end: at }
                : { start: at, end: { line: at.line, character: at.character + 1 } },
              text: insert ? 'x' : '',
            },
          ],
        });
        await diags;
      }
      return edits.length;
    });
  } finally {
    await server.shutdown();
  }
  const written = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile') && !before.has(f));
  if (written.length !== 1)
    throw new Error(`expected one new .cpuprofile in ${dir}, found ${written.join(', ') || 'none'}`);
  const path = join(dir, written[0]);
  const prof = JSON.parse(readFileSync(path, 'utf8'));
  const spawnedUs = Number(server.spawnedAt / 1000n);
  const clockOk = prof.startTime >= spawnedUs - 1e6 && prof.startTime <= spawnedUs + 30e6;
  writeFileSync(join(dir, `${basename(path, '.cpuprofile')}-phases.json`), JSON.stringify(windows, null, 2));
  console.log(`Profile: ${path} (${lines.length} lines, ${diagnostics.length} diagnostics on open)`);
  if (!clockOk)
    console.log('warning: the profile clock does not match this process clock: phase windows are approximate');
  // Keep the bundle's source map next to the profile: `node scripts/bench-profile.mjs <profile> --map <it>` later.
  // server.js only loads langserver.js, the bundle the frames are in.
  const mapPath = join(dir, `${basename(path, '.cpuprofile')}-map`, 'langserver.js.map');
  const bundleMap = join(dirname(DOCKSMITH), 'langserver.js.map');
  if (existsSync(bundleMap)) {
    mkdirSync(dirname(mapPath), { recursive: true });
    copyFileSync(bundleMap, mapPath);
  }
  const summarize = (w) =>
    summarizeProfile(prof, {
      window: [w.start, w.end],
      sourceMap: existsSync(mapPath) ? mapPath : undefined,
      root: ROOT,
    });
  const reopens = windows.filter((w) => w.name === 'reopen');
  for (const w of windows.filter((w) => w.name !== 'reopen')) {
    console.log(
      `\n## ${w.name}: ${w.count} request(s), ${w.ms.toFixed(0)} ms wall, ${(w.ms / Math.max(1, w.count)).toFixed(1)} ms each`,
    );
    console.log(formatSummary(summarize(w), 18));
  }
  // Where an open's time goes, by part: what the anchor also does (dockerfile-ast's parse and
  // dockerfile-utils' validation), the shell parser, Docksmith's rules and model; cold and after re-opens.
  const opens = [
    ['open (cold)', windows.filter((w) => w.name === 'open')],
    [
      `re-opens ${reopens.length >= 4 ? '4' : '1'}-${reopens.length} (warm)`,
      reopens.slice(reopens.length >= 4 ? 3 : 0),
    ],
  ];
  console.log(
    '\n## open -> diagnostics by part, CPU ms of the server main thread per open (profile self + inclusive times)',
  );
  for (const [name, ws] of opens)
    if (ws.length > 0) console.log(`${name.padEnd(24)} ${formatSplit(ws.map(summarize))}`);
}

/** The project functions an analysis's parts run under (inclusive time), by their names in the development build. */
const PARTS = [
  ['dockerfile-ast parse', /^fullParse /],
  ['dockerfile-utils', /^validateWith /],
  ['shell parser', /^(treeSitterTree|parseSimpleScript) /],
];
const ANALYSIS = /^validateSteps /;

/** One line: busy, each part, the rest of the analysis (rules, model), GC and the rest, averaged over the summaries. */
function formatSplit(summaries) {
  const mean = (f) => summaries.reduce((a, s) => a + f(s), 0) / summaries.length;
  // Summed over the functions a pattern names (none of them calls another).
  const inclusive = (s, re) => s.inclusive.filter((e) => re.test(e.key)).reduce((a, e) => a + e.ms, 0);
  const parts = PARTS.map(([name, re]) => [name, mean((s) => inclusive(s, re))]);
  const analysis = mean((s) => inclusive(s, ANALYSIS));
  const cells = [
    ['busy', mean((s) => s.busyMs)],
    ...parts,
    ['rules and model', analysis - parts.reduce((a, [, ms]) => a + ms, 0)],
    // A profile shows the collector's samples at its root, outside every JavaScript frame.
    ['garbage collection', mean((s) => s.gcMs)],
    ['the rest (LSP, documents)', mean((s) => s.busyMs - s.gcMs) - analysis],
  ];
  return cells.map(([name, ms]) => `${name} ${ms.toFixed(1)}`).join(' | ');
}

// ---------------------------------------------------------------------------------------------

/** `abc1234` or `abc1234 + uncommitted changes`: what the measured build was made from. */
function gitCommit() {
  const run = (args) => spawnSync('git', args, { cwd: ROOT, encoding: 'utf8', timeout: 10000 });
  const head = run(['rev-parse', '--short', 'HEAD']);
  if (head.status !== 0) return 'unknown commit';
  const dirty = run(['status', '--porcelain', '--untracked-files=no']).stdout.trim() !== '';
  return head.stdout.trim() + (dirty ? ' + uncommitted changes' : '');
}

/**
 * `--fresh N`: what one cold open per file and run cannot tell apart (the anchor's own cold open of
 * moby moves by a third from run to run). Each round starts a fresh server of each build and of the
 * anchor in turn, so the machine's slow moments fall on all of them.
 */
async function fresh(o) {
  const text = o.profileFile ? readFileSync(o.profileFile, 'utf8') : generateDockerfile(5000);
  const builds = [{ name: `Docksmith ${gitCommit()}`, entry: DOCKSMITH, flags: SERVER_NODE_FLAGS }];
  if (o.against) {
    if (!existsSync(join(o.against, 'server.js'))) usage(`--against: no server.js in ${o.against}`);
    const flags = o.againstFlags ?? SERVER_NODE_FLAGS;
    const named = o.againstFlags ? ` (${flags.join(' ')})` : '';
    builds.push({ name: `Docksmith ${o.against}${named}`, entry: snapshotServer(o.against, 'against'), flags });
  } else if (o.againstFlags) usage('--against-flags needs --against DIR');
  for (const build of builds) {
    DOCKSMITH = build.entry;
    serverFlags = build.flags;
    if (o.codeCache) await primeCodeCache(o);
  }
  const runs = [...builds, { name: 'anchor' }].map((build) => ({
    ...build,
    cold: [],
    warm: [],
    coldThreads: [],
    warmThreads: [],
    peak: [],
    gc: [],
  }));
  const observe = o.gc ? { execArgv: ['--import', pathToFileURL(join(ROOT, 'scripts', 'gc-observer.mjs')).href] } : {};
  for (let round = 0; round < o.fresh; round++) {
    process.stderr.write(`bench: fresh servers, round ${round + 1} of ${o.fresh}\n`);
    // ABBA: every other round in reverse, so that no server always follows the same one.
    for (const run of round % 2 ? [...runs].reverse() : runs) {
      if (run.entry) [DOCKSMITH, serverFlags] = [run.entry, run.flags];
      const server = startServer(run.entry ? 'ours' : 'anchor', o.timeout, observe);
      try {
        await server.initialize();
        if (o.freshWait > 0) await sleep(o.freshWait);
        const cold = await server.open('file:///fresh/Dockerfile', text);
        run.cold.push(cold.cpu);
        run.coldThreads.push(cold.threadsCpu);
        if (o.gc) {
          await sleep(100); // the observer reports a collection once the server's event loop turns
          const inside = server.collectionsBetween(cold.from, cold.to);
          run.gc.push({ ms: inside.reduce((sum, c) => sum + c.ms, 0), count: inside.length });
        }
        for (let i = 0; i < o.freshReopens; i++) {
          const uri = `file:///fresh/reopen-${i}/Dockerfile`;
          const warm = await server.open(uri, text);
          await server.close(uri);
          if (i > 0) {
            run.warm.push(warm.cpu);
            run.warmThreads.push(warm.threadsCpu);
          }
          await sleep(300);
        }
        run.peak.push(server.peakRssMb());
      } finally {
        await server.shutdown();
      }
    }
  }
  const lines = text.split('\n').length - 1;
  console.log(
    `${o.profileFile ?? 'generated 5k file'} (${lines} lines), ${o.fresh} rounds, cold open ${o.freshWait} ms ` +
      `after initialized; CPU ms of the main thread`,
  );
  const gcHead = o.gc ? ' GC pauses in the cold open, median ms (collections) | ... without them, median |' : '';
  console.log(
    `| server | cold open, median | all | warm re-open, median | all threads: cold, warm, median | ` +
      `VmHWM at the end, MB |${gcHead}`,
  );
  console.log(`|---|---:|---|---:|---:|---|${o.gc ? '---:|---:|' : ''}`);
  for (const run of runs) {
    const gc = o.gc
      ? ` ${fmt(median(run.gc.map((g) => g.ms)))} (${run.gc.map((g) => g.count).join(' ')}) | ` +
        `${fmt(median(run.cold.map((cpu, i) => cpu - run.gc[i].ms)))} |`
      : '';
    console.log(
      `| ${run.name} | ${fmt(median(run.cold))} | ${run.cold.map((x) => x.toFixed(0)).join(' ')} | ` +
        `${fmt(median(run.warm))} | ${fmt(median(run.coldThreads))}, ${fmt(median(run.warmThreads))} | ` +
        `${run.peak.map((x) => x?.toFixed(0) ?? '?').join(' ')} |${gc}`,
    );
  }
}

/** Whether the snapshot of the server has a code cache next to it (server/src/codeCache.ts names it). */
function serverCodeCacheWritten() {
  return readdirSync(dirname(DOCKSMITH)).some((name) => /^langserver\..*\.cache$/.test(name));
}

/**
 * Has a Docksmith server write its V8 code cache (server/src/loader.ts) before the files are measured,
 * as an editor has it on every start after the first: one open and a few edits of a generated file,
 * then the cache is written (2.5 s after start here, 20 s in an editor).
 */
async function primeCodeCache(o) {
  const present = serverCodeCacheWritten;
  if (present()) return true;
  const server = startServer('ours', o.timeout, { env: { DOCKSMITH_CODE_CACHE_DELAY_MS: '2500' } });
  try {
    await server.initialize();
    const uri = 'file:///bench/prime/Dockerfile';
    const lines = generateDockerfile(1000).split('\n');
    await server.open(uri, lines.join('\n'));
    for (let version = 2; version <= 5; version++) {
      const line = 300 + version * 7;
      const diagnostics = server.nextDiagnostics(uri, version);
      await server.notify('textDocument/didChange', {
        textDocument: { uri, version },
        contentChanges: [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: '#' }],
      });
      await diagnostics;
    }
    const deadline = performance.now() + 15000;
    while (!present() && performance.now() < deadline) await sleep(100);
  } finally {
    await server.shutdown();
  }
  return present();
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  for (const [what, path] of [
    ['server', join(BUILT, 'server.js')],
    ['cli', join(ROOT, 'server', 'out', 'cli.js')],
  ])
    if (!existsSync(path)) usage(`${what} bundle ${path} is missing: run npm run build first`);
  DOCKSMITH = snapshotServer();
  if (o.profile) return profile(o);
  if (o.gc && !(o.fresh > 0)) usage('--gc needs --fresh N');
  if (o.fresh > 0) return fresh(o);

  const meta = {
    cpu: cpus()[0]?.model?.trim() ?? 'unknown CPU',
    cores: cpus().length,
    date: new Date().toISOString().slice(0, 10),
    load: loadavg()
      .map((x) => x.toFixed(1))
      .join(' '),
    anchorVersion: anchorEntry().version,
    commit: gitCommit(),
    delayOverride: supportsDelayOverride(),
    build: existsSync(join(BUILT, 'langserver.js.map'))
      ? 'development build (`npm run build`: not minified, with source maps)'
      : 'production build (`npm run build -- --production`, what the .vsix ships)',
  };
  if (!meta.delayOverride)
    console.error(
      'bench: server/out/server.js does not read DOCKSMITH_VALIDATION_DELAY_MS: no-debounce rows are skipped',
    );
  const started = performance.now();
  const files = [];
  if (o.servers && o.codeCache) {
    process.stderr.write('bench: Docksmith writes its code cache ... ');
    process.stderr.write((await primeCodeCache(o)) ? 'done\n' : 'not written\n');
  }
  if (o.servers) {
    const inputs = [...corpusFiles(o.corpus), ...generatedFiles(o.sizes), ...givenFiles(o.files)];
    for (const [i, file] of inputs.entries()) {
      const t0 = performance.now();
      process.stderr.write(`bench: ${file.name} (${file.text.split('\n').length - 1} lines) ... `);
      files.push(await benchFile(file, o, i, meta.delayOverride));
      process.stderr.write(`${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
    }
  }
  const extras = {};
  if (o.lint) {
    process.stderr.write('bench: docksmith lint ... ');
    extras.lint = timeLint(o);
    process.stderr.write('done\n');
  }
  if (o.client) extras.client = timeClientLoad();
  if (o.vsix) {
    process.stderr.write('bench: vsce package ... ');
    extras.vsix = packageVsix(o);
    process.stderr.write('done\n');
  }
  const text = report(files, extras, o, meta);
  console.log(text);
  console.log(`\nTotal bench time: ${((performance.now() - started) / 1000).toFixed(0)} s`);
  if (o.markdown) writeFileSync(o.markdown, text + '\n');
  if (o.json) writeFileSync(o.json, JSON.stringify({ meta, options: o, files, extras }, null, 2));
}

main().catch((error) => {
  console.error(error.stack ?? String(error));
  process.exit(1);
});
