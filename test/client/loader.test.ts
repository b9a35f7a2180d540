// The client's entry point (client/src/loader.ts) loads main.js through a V8 code cache: written
// after the first activation, used by the next ones, written again when V8 rejects it. Runs the
// built bundles (`npm test` builds first) in fresh processes, on a copy of client/out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STUB_VSCODE } from '../../scripts/stub-vscode.mjs';
import { REPO } from '../helpers/service';

/** Loads the entry point with a stub `vscode` (the extension host provides the real one). */
const LOAD = `${STUB_VSCODE}
  const ext = require(process.argv[1]);
  process.stdout.write(typeof ext.activate + ' ' + typeof ext.deactivate);
`;

function copyOfClientOut(): string {
  const dir = mkdtempSync(join(tmpdir(), 'docksmith-client-'));
  for (const name of ['extension.js', 'main.js']) copyFileSync(join(REPO, 'client', 'out', name), join(dir, name));
  return dir;
}

/** Loads the entry point in a fresh process that exits once the cache write (if any) is done. */
function load(dir: string): string {
  const result = spawnSync(process.execPath, ['-e', LOAD, join(dir, 'extension.js')], {
    encoding: 'utf8',
    env: { ...process.env, DOCKSMITH_CODE_CACHE_DELAY_MS: '0' },
  });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout;
}

const cacheFiles = (dir: string) => readdirSync(dir).filter((name) => name.endsWith('.cache'));

test('the first load writes a code cache, the next loads use it unchanged', () => {
  const dir = copyOfClientOut();
  assert.deepEqual(cacheFiles(dir), []);
  assert.equal(load(dir), 'function function');
  const [cache] = cacheFiles(dir);
  assert.ok(cache, 'a cache file was written');
  assert.match(
    cache,
    new RegExp(`^main\\.${process.versions.v8.replace(/[^\w.-]/g, '_').replace(/\./g, '\\.')}\\.cache$`),
  );
  const written = readFileSync(join(dir, cache));
  assert.ok(written.length > 10_000, `the cache holds compiled code (${written.length} bytes)`);
  // Accepted by V8: not written again (a rejected cache is replaced).
  assert.equal(load(dir), 'function function');
  assert.deepEqual(readFileSync(join(dir, cache)), written);
  assert.deepEqual(cacheFiles(dir), [cache]);
});

test('a damaged cache is rejected, the extension still loads, and a good cache replaces it', () => {
  const dir = copyOfClientOut();
  load(dir);
  const [cache] = cacheFiles(dir);
  assert.ok(cache);
  const damaged = Buffer.from('not a V8 code cache');
  writeFileSync(join(dir, cache), damaged);
  assert.equal(load(dir), 'function function');
  const rewritten = readFileSync(join(dir, cache));
  assert.ok(rewritten.length > 10_000, `a new cache was written (${rewritten.length} bytes)`);
  // ... and V8 accepts it.
  load(dir);
  assert.deepEqual(readFileSync(join(dir, cache)), rewritten);
});
