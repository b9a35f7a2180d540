import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '../../../server/src/service/rules';
import { REPO } from '../../helpers/service';
import { ruleSettingsProperties, rulesTable, TABLE_END, TABLE_START } from '../../../scripts/sync-manifest';

const CJK = /[\u4e00-\u9fff]/;

test('rule ids are unique kebab-case', () => {
  const ids = RULES.map((r) => r.id);
  assert.equal(new Set(ids).size, ids.length, 'duplicate rule id');
  for (const id of ids) assert.match(id, /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
});

test('every rule file is registered and every rule has its file and its test file', () => {
  const dir = join(REPO, 'server/src/service/rules');
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && f !== 'index.ts' && f !== 'types.ts')
    .map((f) => f.slice(0, -3));
  assert.deepEqual([...files].sort(), RULES.map((r) => r.id).sort());
  for (const rule of RULES) {
    assert.ok(
      existsSync(join(REPO, 'test/unit/rules', `${rule.id}.test.ts`)),
      `missing test/unit/rules/${rule.id}.test.ts`,
    );
  }
});

test('every rule has messages in English and Chinese and a docs page in both', () => {
  for (const rule of RULES) {
    assert.ok(rule.messages['default'], `${rule.id}: no default message`);
    for (const [key, message] of Object.entries(rule.messages)) {
      assert.ok(message.en.trim().length > 10, `${rule.id}.${key}: English message`);
      assert.ok(!CJK.test(message.en), `${rule.id}.${key}: Chinese in the English message`);
      assert.ok(CJK.test(message['zh-cn']), `${rule.id}.${key}: zh-cn message is not Chinese`);
    }
    const en = join(REPO, 'docs/rules', `${rule.id}.md`);
    const zh = join(REPO, 'docs/rules', `${rule.id}.zh-cn.md`);
    assert.ok(existsSync(en), `missing docs/rules/${rule.id}.md`);
    assert.ok(existsSync(zh), `missing docs/rules/${rule.id}.zh-cn.md`);
    assert.ok(readFileSync(en, 'utf8').includes(rule.id), `${rule.id}.md does not name the rule`);
    assert.ok(CJK.test(readFileSync(zh, 'utf8')), `${rule.id}.zh-cn.md is not Chinese`);
  }
});

test('package.json declares every rule in docksmith.rules (run scripts/sync-manifest.ts)', () => {
  const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8'));
  assert.deepEqual(
    pkg.contributes.configuration.properties['docksmith.rules'].properties,
    JSON.parse(JSON.stringify(ruleSettingsProperties())),
  );
});

test('README rules table is current (run scripts/sync-manifest.ts)', () => {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  assert.ok(start >= 0 && end > start, 'README has no rules table markers');
  assert.equal(readme.slice(start + TABLE_START.length, end).trim(), rulesTable());
});
