import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expectFindings, findings } from '../../helpers/rules';

const ID = 'duplicate-stage-name';

test('the later of two stages with the same name is reported, with the first as related information', async () => {
  const [d] = await expectFindings(ID, 'FROM a:1 AS build\nRUN x\nFROM b:1 AS «build»\n');
  assert.equal(d!.relatedInformation?.[0]?.location.range.start.line, 0);
  assert.equal(d!.relatedInformation?.[0]?.location.range.start.character, 12);
  await expectFindings(ID, 'FROM a:1 AS build\nFROM b:1 AS «Build»\nFROM c:1 as «BUILD»\n');
});

test('distinct names and unnamed stages are fine', async () => {
  await expectFindings(ID, 'FROM a:1 AS build\nFROM a:1 AS test\nFROM a:1\nFROM a:1\n');
  await expectFindings(ID, 'FROM a:1 AS build\nFROM build AS build-2\n');
});

test('messages in both languages name the first line', async () => {
  const en = await findings(ID, 'FROM a:1 AS x\nFROM a:1 AS x\n');
  assert.match(en.diagnostics[0]!.message, /`x` is already used on line 1/);
  const zh = await findings(ID, 'FROM a:1 AS x\nFROM a:1 AS x\n', 'zh-cn');
  assert.match(zh.diagnostics[0]!.message, /已在第 1 行使用/);
});
