// Runs the project's node:test suites (TypeScript through tsx).
// Usage: node scripts/run-tests.mjs [dir-or-file ...]   (default: test/unit test/server test/cli test/client test/grammar)
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const roots = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const extra = process.argv.slice(2).filter((a) => a.startsWith('-'));
const targets = roots.length ? roots : ['test/unit', 'test/server', 'test/cli', 'test/client', 'test/grammar'];

function collect(path, out) {
  if (!existsSync(path)) return;
  if (statSync(path).isFile()) {
    out.push(path);
    return;
  }
  for (const name of readdirSync(path).sort()) {
    const child = join(path, name);
    if (statSync(child).isDirectory()) collect(child, out);
    else if (name.endsWith('.test.ts') || name.endsWith('.test.mjs')) out.push(child);
  }
}

// fast-check's fixed seed for every test file (FC_SEED overrides it).
const fixedSeed = pathToFileURL(
  join(dirname(fileURLToPath(import.meta.url)), '..', 'test', 'helpers', 'fixedSeed.mjs'),
).href;

const files = [];
for (const t of targets) collect(t, files);
if (files.length === 0) {
  console.error('run-tests: no test files found under ' + targets.join(', '));
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--import', fixedSeed, '--test', '--test-reporter=spec', ...extra, ...files],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
