import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expectFindings, findings, rule } from '../../helpers/rules';

const ID = 'entrypoint-shell-ignores-cmd';

test('a shell-form ENTRYPOINT with a CMD in the stage', async () => {
  await expectFindings(ID, 'FROM a\nENTRYPOINT «/app --serve»\nCMD ["--port", "80"]\n');
  await expectFindings(ID, 'FROM a\nCMD --help\nENTRYPOINT «/app»\n');
  await expectFindings(ID, 'FROM a\nENTRYPOINT «/app \\\n    --serve»\nCMD x\n');
  await expectFindings(ID, '# escape=`\r\nFROM a\r\nENTRYPOINT «/app `\r\n    --serve»\r\nCMD x\r\n');
});

test('only the ENTRYPOINT in effect counts', async () => {
  await expectFindings(ID, 'FROM a\nENTRYPOINT /old\nENTRYPOINT ["/app"]\nCMD x\n');
  await expectFindings(ID, 'FROM a\nENTRYPOINT ["/old"]\nENTRYPOINT «/app»\nCMD x\n');
});

test('a CMD under a shell-form ENTRYPOINT inherited from an earlier stage', async () => {
  await expectFindings(ID, 'FROM a AS base\nENTRYPOINT /app\nFROM base\nCMD «--serve»\n');
  await expectFindings(ID, 'FROM a AS base\nENTRYPOINT /app\nFROM base AS mid\nRUN x\nFROM mid\nCMD a\nCMD «b»\n');
  const { diagnostics } = await findings(ID, 'FROM a AS base\nENTRYPOINT /app\nFROM base\nCMD x\n');
  assert.match(diagnostics[0]!.message, /stage `base`/);
  assert.equal(diagnostics[0]!.relatedInformation?.[0]?.location.range.start.line, 1);
});

test('after ONBUILD', async () => {
  await expectFindings(ID, 'FROM a\nONBUILD ENTRYPOINT «/app»\nONBUILD CMD x\n');
  await expectFindings(ID, 'FROM a\nONBUILD ENTRYPOINT /app\nCMD x\n');
});

test('fine: exec form, no CMD, an empty CMD, a script that reads its arguments', async () => {
  await expectFindings(ID, 'FROM a\nENTRYPOINT ["/app"]\nCMD --serve\n');
  await expectFindings(ID, 'FROM a\nENTRYPOINT /app --serve\n');
  await expectFindings(ID, 'FROM a\nENTRYPOINT /app --serve\nCMD []\n');
  await expectFindings(ID, 'FROM a\nENTRYPOINT exec "$0" "$@"\nCMD ["/app"]\n');
  await expectFindings(ID, 'FROM a\nENTRYPOINT /app "$1"\nCMD x\n');
  await expectFindings(ID, 'FROM a\nENTRYPOINT [ ${#} -gt 0 ] && exec /app\nCMD x\n');
  // The stage's own ENTRYPOINT resets an inherited CMD; a parent's CMD is not this stage's concern.
  await expectFindings(ID, 'FROM a AS base\nCMD x\nFROM base\nENTRYPOINT /app\n');
});

test('fine: Windows (cmd /S /C appends the CMD) and non-POSIX shells', async () => {
  await expectFindings(ID, 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nENTRYPOINT app.exe\nCMD ["--help"]\n');
  await expectFindings(ID, 'FROM a\nSHELL ["pwsh", "-Command"]\nENTRYPOINT app\nCMD x\n');
});

test('message in Chinese', async () => {
  const { diagnostics } = await findings(ID, 'FROM a\nENTRYPOINT /app\nCMD x\n', 'zh-cn');
  assert.match(diagnostics[0]!.message, /会忽略本阶段的 CMD/);
});

test('no fix is offered', () => {
  assert.equal(rule(ID).fix, undefined);
});
