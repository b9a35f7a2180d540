// The language server's entry point (server/src/loader.ts) runs the server bundle through a V8 code
// cache (server/src/codeCache.ts): written after start, then accepted by later starts, which V8 does
// only under the same flags. Runs the built server (`npm test` builds first) from a copy of server/out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SERVER, TestClient } from '../helpers/lsp';
import { REPO } from '../helpers/service';

function copyOfServerOut(): string {
  const dir = mkdtempSync(join(tmpdir(), 'docksmith-server-'));
  const out = join(REPO, 'server', 'out');
  for (const name of readdirSync(out))
    if (/^(lang)?server\.js$|\.wasm$/.test(name)) copyFileSync(join(out, name), join(dir, name));
  return dir;
}

const cacheFiles = (dir: string) => readdirSync(dir).filter((name) => name.endsWith('.cache'));

/** Resolves once a `.cache` file has been renamed into place in `dir`. */
function cacheWritten(dir: string): Promise<string> {
  return new Promise((resolve) => {
    const watcher = watch(dir, () => {
      const [cache] = cacheFiles(dir);
      if (cache) {
        watcher.close();
        resolve(cache);
      }
    });
    const [cache] = cacheFiles(dir);
    if (cache) {
      watcher.close();
      resolve(cache);
    }
  });
}

async function analyse(dir: string): Promise<void> {
  const client = new TestClient({ server: join(dir, 'server.js'), env: { DOCKSMITH_CODE_CACHE_DELAY_MS: '0' } });
  try {
    await client.initialize();
    const diagnostics = await client.open('file:///cache/Dockerfile', 'FROM alpine:latest\nRUN cd /src && make\n');
    assert.ok(
      diagnostics.some((d) => d.code === 'cd-in-run'),
      'the server runs, with its shell parser',
    );
  } finally {
    await client.shutdown();
  }
}

test('the server writes a code cache, and the next start accepts it', async () => {
  assert.ok(statSync(SERVER).size < 10_000, 'server.js is the small loader');
  const dir = copyOfServerOut();
  try {
    const written = cacheWritten(dir);
    await analyse(dir);
    const cache = await written;
    assert.match(cache, /^langserver\..+\.cache$/);
    const bytes = readFileSync(join(dir, cache));
    assert.ok(bytes.length > 100_000, `the cache holds compiled code (${bytes.length} bytes)`);
    // A rejected cache is written again at once (the delay is 0 here), before the server reads any
    // message: it would differ by the time the server has answered.
    await analyse(dir);
    assert.deepEqual(readFileSync(join(dir, cache)), bytes, 'accepted, so not written again');
    assert.deepEqual(cacheFiles(dir), [cache]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a damaged cache is replaced, and the server still starts', async () => {
  const dir = copyOfServerOut();
  try {
    const written = cacheWritten(dir);
    await analyse(dir);
    const cache = await written;
    const damaged = Buffer.from('not a V8 code cache');
    writeFileSync(join(dir, cache), damaged);
    await analyse(dir);
    const rewritten = readFileSync(join(dir, cache));
    assert.ok(rewritten.length > 100_000, `a new cache was written (${rewritten.length} bytes)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
