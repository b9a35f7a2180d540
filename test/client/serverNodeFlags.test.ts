// client/src/serverNodeFlags.json: the Node flags VS Code starts the server with (and `npm run bench`).
// Node refuses to start on a flag it does not know: the built server must start with them and answer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from '../helpers/service';

const FLAGS = JSON.parse(readFileSync(join(REPO, 'client', 'src', 'serverNodeFlags.json'), 'utf8')) as string[];

test('node accepts the server flags, and the server answers --version with them', () => {
  for (const flag of [
    '--max-semi-space-size=4',
    '--v8-pool-size=2',
    '--initial-old-space-size=32',
    '--concurrent-sparkplug',
  ])
    assert.ok(FLAGS.includes(flag), `${flag} not in ${FLAGS.join(' ')}`);
  const result = spawnSync(process.execPath, [...FLAGS, join(REPO, 'server', 'out', 'server.js'), '--version'], {
    encoding: 'utf8',
  });
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /\d+\.\d+\.\d+/);
});
