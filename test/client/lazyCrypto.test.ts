// scripts/lazy-crypto.mjs: in the client bundle, vscode-jsonrpc's `require('crypto')` gets a stand-in
// that loads Node's crypto on first use, so that activation does not load it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as nodeCrypto from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInThisContext } from 'node:vm';
import Module, { createRequire } from 'node:module';
import { LAZY_CRYPTO_SOURCE } from '../../scripts/lazy-crypto.mjs';
import { STUB_VSCODE } from '../../scripts/stub-vscode.mjs';
import { REPO } from '../helpers/service';

const load = createRequire(__filename);

/** The stand-in's exports, and the modules it has required so far. */
function standIn(): { crypto: typeof nodeCrypto; required: string[] } {
  const required: string[] = [];
  const wrapper = runInThisContext(Module.wrap(LAZY_CRYPTO_SOURCE)) as (...args: unknown[]) => void;
  const module = { exports: {} as typeof nodeCrypto };
  const fakeRequire = (id: string) => {
    required.push(id);
    return load(id);
  };
  wrapper.call(module.exports, module.exports, fakeRequire, module, 'lazy-crypto.js', '.');
  return { crypto: module.exports, required };
}

test('the stand-in requires crypto on first use, once', () => {
  const { crypto, required } = standIn();
  assert.deepEqual(required, [], 'nothing at load');
  const bytes = crypto.randomBytes(21);
  assert.equal(bytes.toString('hex').length, 42);
  assert.deepEqual(required, ['node:crypto']);
  assert.equal(crypto.randomBytes, nodeCrypto.randomBytes);
  assert.ok('createHash' in crypto);
  assert.ok(Object.keys(crypto).includes('randomBytes'));
  assert.deepEqual(required, ['node:crypto'], 'once');
});

test('loading the built client bundle does not load crypto', () => {
  // `npm test` builds first.
  const script = `${STUB_VSCODE}
    const loaded = () => process.moduleLoadList.includes('NativeModule crypto');
    const before = loaded();
    const ext = require(process.argv[2]);
    process.stdout.write(JSON.stringify({ before, after: loaded(), activate: typeof ext.activate }));
  `;
  // Run from a file: `node -e` loads crypto itself.
  const file = join(mkdtempSync(join(tmpdir(), 'docksmith-crypto-')), 'load.js');
  writeFileSync(file, script);
  const result = spawnSync(process.execPath, [file, join(REPO, 'client', 'out', 'main.js')], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  assert.deepEqual(JSON.parse(result.stdout), { before: false, after: false, activate: 'function' });
});
