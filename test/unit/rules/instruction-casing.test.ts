import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, expectFindings, findings, fixes } from '../../helpers/rules';

const ID = 'instruction-casing';

test('the minority casing is reported on the keyword (BuildKit ConsistentInstructionCasing)', async () => {
  await expectFindings(ID, 'FROM a\nRUN x\n«run» y\n');
  await expectFindings(ID, 'from a\nrun x\n«RUN» y\n');
  await expectFindings(ID, 'FROM a\n«Run» x\n«copy» a b\n');
  await expectFindings(ID, 'FROM a\nONBUILD run x\n'); // the trigger's casing is not counted
});

test('consistent files are fine, whatever the casing', async () => {
  await expectFindings(ID, 'FROM a\nRUN x\nCOPY a b\n');
  await expectFindings(ID, 'from a\nrun x\ncopy a b\n');
  await expectFindings(ID, 'FROM a\nFOOBAR x\nfoobar y\n'); // unknown instructions are the syntax rule's
});

test('parser directives should be lowercase', async () => {
  await expectFindings(ID, '# «ESCAPE»=`\nFROM a\n');
  await expectFindings(ID, '# escape=`\n# syntax=docker/dockerfile:1\nFROM a\n');
});

test('fix: changes the keyword to the file casing', async () => {
  assert.equal(await applyFix(ID, 'FROM a\nRUN x\nrun y\n'), 'FROM a\nRUN x\nRUN y\n');
  assert.equal(await applyFix(ID, 'from a\nrun x\nCopy a b\n'), 'from a\nrun x\ncopy a b\n');
  assert.equal(await applyFix(ID, '# ESCAPE=`\nFROM a\n'), '# escape=`\nFROM a\n');
  assert.equal((await fixes(ID, 'FROM a\nRUN x\nrun y\n'))[0]!.preferred, true);
});

test('messages in both languages', async () => {
  const en = await findings(ID, 'FROM a\nRUN x\nrun y\n');
  assert.match(en.diagnostics[0]!.message, /^`run` should be uppercase/);
  const zh = await findings(ID, 'from a\nrun x\nRUN y\n', 'zh-cn');
  assert.match(zh.diagnostics[0]!.message, /`RUN` 应与本文件的其他指令一样使用小写/);
});
