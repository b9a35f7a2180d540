import { test } from 'node:test';
import assert from 'node:assert/strict';
import { literalWord, ShellParser } from '../../server/src/service/shell';
import {
  ANY_ENTRY,
  aptGetInstalls,
  aptGetUpdates,
  commandChain,
  effectiveCommands,
  removes,
  resolvePath,
} from '../../server/src/service/shellFacts';
import { shellParser } from '../helpers/service';

test('effective commands look through sudo, env, exec, nohup, tini and gosu', async () => {
  const parser = await shellParser();
  const root = parser.parse(
    'sudo -E -u app apt-get install -y x; env A=1 B=2 make; exec nohup ./run; tini -- gosu app cron -f; $X y',
  );
  assert.deepEqual(
    effectiveCommands(root).map((c) => [c.base, c.args.map((a) => literalWord(a))]),
    [
      ['apt-get', ['install', '-y', 'x']],
      ['make', []],
      ['run', []],
      ['cron', ['-f']],
    ],
  );
  const chain = commandChain(parser.parse('sudo $CMD').children[0]!);
  assert.deepEqual(
    chain.chain.map((c) => c.base),
    ['sudo'],
  );
  assert.equal(chain.index, 0); // what sudo runs is unknown: sudo is the program as far as we can tell
});

test('apt commands: the sub-command after options (and -o values); simulations are not installs', async () => {
  const parser = await shellParser();
  const root = parser.parse(
    'apt-get -o Dpkg::Options::=--force-confold install -y a && apt update && aptitude -y install b && apt-get install -s c && apt-get -q update',
  );
  assert.deepEqual(
    aptGetInstalls(root).map((c) => [c.tool, c.verb.text]),
    [
      ['apt-get', 'install'],
      ['aptitude', 'install'],
    ],
  );
  assert.deepEqual(
    aptGetUpdates(root).map((c) => c.tool),
    ['apt', 'apt-get'],
  );
});

test('paths: resolution against a working directory and home, and what an rm pattern removes', () => {
  assert.equal(resolvePath('x/../y/./z/', '/a'), '/a/y/z');
  assert.equal(resolvePath('~/.cache', '/a', '/root'), '/root/.cache');
  assert.equal(resolvePath('x', undefined), undefined);
  assert.equal(resolvePath('~other/x', '/a', '/root'), undefined);
  assert.ok(removes('/tmp/*', '/tmp/app.tgz'));
  assert.ok(removes('/tmp', '/tmp/a/b'));
  assert.ok(removes('/var/lib/apt/lists/*', `/var/lib/apt/lists/${ANY_ENTRY}`));
  assert.ok(!removes('/var/lib/apt/lists/partial', `/var/lib/apt/lists/${ANY_ENTRY}`));
  assert.ok(removes('/opt/app-[0-9]*', '/opt/app-1.2/bin'));
  assert.ok(!removes('/tmp/*', '/tmp/.hidden'));
  assert.ok(!removes('/tmp/a', '/tmp/ab'));
});

test('the parse cache is bounded by the length of the cached texts, least recently used out', async () => {
  const parser = await shellParser();
  const keep = 'echo kept-in-use';
  const kept = parser.parse(keep);
  const chunk = 'echo ' + 'x'.repeat(99_995); // 100,000 characters
  for (let i = 0; i < 40; i++) {
    parser.parse(`${chunk}${i}`);
    // A text in use (looked up again) stays.
    assert.equal(parser.parse(keep), kept);
  }
  const { chars } = parser.cacheStats;
  assert.ok(chars <= ShellParser.CACHE_CHARS, `${chars} characters cached`);
  assert.equal(parser.parse(keep), kept);
});
