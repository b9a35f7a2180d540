import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expectFindings, findings, rule } from '../../helpers/rules';

const ID = 'workdir-absolute';

test('a relative WORKDIR with no absolute one before it is reported on the path', async () => {
  await expectFindings(ID, 'FROM a\nWORKDIR «app»\n');
  await expectFindings(ID, 'FROM a\nWORKDIR «./src/app»\n');
  await expectFindings(ID, 'FROM a\nworkdir «~/app»\n');
  await expectFindings(ID, 'FROM a\nWORKDIR «"my app"»\n');
  await expectFindings(ID, 'FROM a\nWORKDIR «usr/share/nginx/html»\nWORKDIR /app\nWORKDIR src\n');
  await expectFindings(ID, 'FROM a\r\nWORKDIR «app»\r\n');
  await expectFindings(ID, '# escape=`\nFROM a\nWORKDIR «a`\n  pp»\n');
});

test('absolute paths, variables and Windows paths are fine', async () => {
  await expectFindings(ID, 'FROM a\nWORKDIR /app\nWORKDIR "/my app"\nWORKDIR $HOME/app\nWORKDIR ${APP_DIR}\n');
  await expectFindings(ID, 'FROM a\nWORKDIR C:\\app\nWORKDIR c:/app\nWORKDIR \\\\server\\share\n');
  await expectFindings(ID, 'FROM a\nWORKDIR\n');
});

test('relative after an absolute WORKDIR in the stage or a stage it is built on is fine', async () => {
  await expectFindings(ID, 'FROM a\nWORKDIR /src\nWORKDIR app\n');
  await expectFindings(ID, 'FROM a AS base\nWORKDIR /src\nFROM base\nWORKDIR app\n');
  await expectFindings(ID, 'FROM a AS base\nWORKDIR /src\nFROM other\nWORKDIR «app»\n');
});

test('after ONBUILD: judged against the whole stage', async () => {
  await expectFindings(ID, 'FROM a\nONBUILD WORKDIR «app»\n');
  await expectFindings(ID, 'FROM a\nONBUILD WORKDIR app\nWORKDIR /srv\n');
});

test('messages in both languages name the path', async () => {
  const en = await findings(ID, 'FROM a\nWORKDIR app\n');
  assert.match(en.diagnostics[0]!.message, /^Relative WORKDIR `app`/);
  const zh = await findings(ID, 'FROM a\nWORKDIR app\n', 'zh-cn');
  assert.match(zh.diagnostics[0]!.message, /相对路径的 WORKDIR `app`/);
});

test('no fix is offered', () => {
  assert.equal(rule(ID).fix, undefined);
});
