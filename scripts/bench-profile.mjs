// Summarises a V8 .cpuprofile (node --cpu-prof): self time per function and per module, and the inclusive
// time of the project's own functions, optionally within a time window, with bundle positions mapped back
// to the sources through the bundle's source map.
//
// Usage: node scripts/bench-profile.mjs <file.cpuprofile> [--map server/out/langserver.js.map] [--top N]
//          [--phases <profile>-phases.json]   (written by `bench.mjs --profile`: one summary per phase)
// `node scripts/bench.mjs --profile DIR` uses it per phase (open, hover, code action, edit).
import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';

const SPECIAL = new Set(['(idle)', '(program)', '(garbage collector)', '(root)']);

/** Where a bundle position comes from: `{ source, line }` (1-based line), or undefined. */
function mapper(sourceMapPath) {
  if (!sourceMapPath) return () => undefined;
  const map = new SourceMap(JSON.parse(readFileSync(sourceMapPath, 'utf8')));
  const cache = new Map();
  return (line, column) => {
    const key = `${line}:${column}`;
    if (!cache.has(key)) {
      const entry = map.findEntry(line, column);
      cache.set(
        key,
        entry && entry.originalSource
          ? { source: normalise(entry.originalSource), line: entry.originalLine + 1 }
          : undefined,
      );
    }
    return cache.get(key);
  };
}

/** `../../node_modules/dockerfile-ast/lib/parser.js` -> `dockerfile-ast/lib/parser.js`; `../src/x.ts` -> `server/src/x.ts`. */
function normalise(source) {
  const s = source.replace(/^webpack:\/\/|^file:\/\//, '');
  const nm = s.lastIndexOf('node_modules/');
  if (nm >= 0) return s.slice(nm + 'node_modules/'.length);
  const src = s.indexOf('src/');
  if (s.includes('server/src/') || s.startsWith('../src/')) return `server/${s.slice(src)}`;
  return s.replace(/^(\.\.\/)+/, '');
}

function moduleOf(source) {
  if (!source) return '(unknown)';
  if (source.startsWith('server/src/') || source.startsWith('client/src/')) return source;
  if (source.startsWith('node:') || !source.includes('/')) return source;
  const parts = source.split('/');
  return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
}

/**
 * @param {object} profile a parsed .cpuprofile
 * @param {{ window?: [number, number], sourceMap?: string }} options window in profile microseconds; the source
 *   map of the bundle (`langserver.js.map` maps the frames of any script named `langserver.js`)
 */
export function summarizeProfile(profile, options = {}) {
  const map = mapper(options.sourceMap);
  // Frames of the bundle the map belongs to: a script whose URL ends with `/<name>.js` for `<name>.js.map`.
  const bundle = options.sourceMap ? `/${basename(options.sourceMap).replace(/\.map$/, '')}` : undefined;
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  const info = new Map();
  const describe = (node) => {
    let d = info.get(node.id);
    if (d) return d;
    const cf = node.callFrame;
    const name = cf.functionName || (SPECIAL.has(cf.functionName) ? cf.functionName : '(anonymous)');
    let source;
    let line = cf.lineNumber + 1;
    if (bundle && cf.url && cf.url.endsWith(bundle)) {
      const m = map(cf.lineNumber, cf.columnNumber);
      if (m) ({ source, line } = m);
    }
    if (!source) source = cf.url ? normalise(cf.url.replace(/^file:\/\//, '')) : '';
    const special = SPECIAL.has(cf.functionName);
    d = {
      key: special ? cf.functionName : `${name} ${source}:${line}`,
      name,
      source,
      line,
      module: special ? cf.functionName : moduleOf(source),
      special,
    };
    info.set(node.id, d);
    return d;
  };

  const samples = profile.samples;
  const deltas = profile.timeDeltas;
  const times = new Array(samples.length);
  let t = profile.startTime;
  for (let i = 0; i < samples.length; i++) times[i] = t += deltas[i];
  const self = new Map();
  const modules = new Map();
  const inclusive = new Map();
  /** leaf key -> (nearest project frame -> time): who in the project leads to the hot library code. */
  const callers = new Map();
  let total = 0;
  let idle = 0;
  let gc = 0;
  const [lo, hi] = options.window ?? [-Infinity, Infinity];
  for (let i = 0; i < samples.length; i++) {
    if (times[i] < lo || times[i] > hi) continue;
    const dt = i + 1 < samples.length ? times[i + 1] - times[i] : deltas[i];
    const node = nodes.get(samples[i]);
    const d = describe(node);
    if (d.key === '(idle)') {
      idle += dt;
      continue;
    }
    if (d.key === '(garbage collector)') gc += dt;
    total += dt;
    self.set(d.key, (self.get(d.key) ?? 0) + dt);
    modules.set(d.module, (modules.get(d.module) ?? 0) + dt);
    const seen = new Set();
    let nearest;
    for (let id = node.id; id !== undefined; id = parent.get(id)) {
      const p = describe(nodes.get(id));
      if (p.special || seen.has(p.key) || !p.source.startsWith('server/src/')) continue;
      nearest ??= p.key;
      seen.add(p.key);
      inclusive.set(p.key, (inclusive.get(p.key) ?? 0) + dt);
    }
    if (nearest && nearest !== d.key) {
      const m = callers.get(d.key) ?? new Map();
      m.set(nearest, (m.get(nearest) ?? 0) + dt);
      callers.set(d.key, m);
    }
  }
  const sorted = (m) => [...m.entries()].sort((a, b) => b[1] - a[1]).map(([key, us]) => ({ key, ms: us / 1000 }));
  return {
    busyMs: total / 1000,
    idleMs: idle / 1000,
    gcMs: gc / 1000,
    self: sorted(self),
    modules: sorted(modules),
    inclusive: sorted(inclusive),
    callers: new Map([...callers].map(([key, m]) => [key, sorted(m)])),
  };
}

export function formatSummary(summary, top = 15) {
  const pct = (ms) => `${((100 * ms) / (summary.busyMs || 1)).toFixed(1)}%`;
  const out = [
    `busy ${summary.busyMs.toFixed(0)} ms (GC ${summary.gcMs.toFixed(0)} ms, ${pct(summary.gcMs)}), idle ${summary.idleMs.toFixed(0)} ms`,
    '',
    'self time by function:',
    ...summary.self.slice(0, top).flatMap((e) => [
      `  ${e.ms.toFixed(1).padStart(8)} ms ${pct(e.ms).padStart(6)}  ${e.key}`,
      ...(summary.callers.get(e.key) ?? [])
        .slice(0, 3)
        .filter((c) => c.ms >= e.ms * 0.05)
        .map((c) => `                       <- ${c.ms.toFixed(0)} ms via ${c.key}`),
    ]),
    '',
    'self time by module:',
    ...summary.modules
      .slice(0, 10)
      .map((e) => `  ${e.ms.toFixed(1).padStart(8)} ms ${pct(e.ms).padStart(6)}  ${e.key}`),
    '',
    'inclusive time, project functions:',
    ...summary.inclusive
      .slice(0, top)
      .map((e) => `  ${e.ms.toFixed(1).padStart(8)} ms ${pct(e.ms).padStart(6)}  ${e.key}`),
  ];
  return out.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  let file;
  let map;
  let top = 25;
  let phases;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--map') map = args[++i];
    else if (args[i] === '--phases') phases = JSON.parse(readFileSync(args[++i], 'utf8'));
    else if (args[i] === '--top') top = Number(args[++i]);
    else file = args[i];
  }
  if (!file) {
    console.error(
      'usage: node scripts/bench-profile.mjs <file.cpuprofile> [--map server/out/langserver.js.map] [--top N] [--phases f.json]',
    );
    process.exit(2);
  }
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  for (const phase of phases ?? [{ name: 'whole profile' }]) {
    const window = phase.start === undefined ? undefined : [phase.start, phase.end];
    const each = phase.count ? `, ${phase.count} request(s), ${(phase.ms / phase.count).toFixed(1)} ms each` : '';
    console.log(`\n## ${phase.name}${each}`);
    console.log(formatSummary(summarizeProfile(profile, { sourceMap: map, window }), top));
  }
}
