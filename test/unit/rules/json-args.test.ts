import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, expectFindings, fixes, findings } from '../../helpers/rules';

const ID = 'json-args';

test('shell-form CMD and ENTRYPOINT are reported on their command text', async () => {
  await expectFindings(ID, 'FROM a\nCMD «nginx -g "daemon off;"»\n');
  await expectFindings(ID, 'FROM a\nENTRYPOINT «/app --serve»\n');
  await expectFindings(ID, 'FROM a\nONBUILD CMD «run me»\n');
  await expectFindings(ID, 'FROM a\ncmd «echo \\\n  hi»\n');
});

test('exec form and empty instructions are fine', async () => {
  await expectFindings(ID, 'FROM a\nCMD ["nginx", "-g", "daemon off;"]\nENTRYPOINT ["/app"]\n');
  await expectFindings(ID, 'FROM a\nCMD []\n');
  await expectFindings(ID, 'FROM a\nCMD\n');
  await expectFindings(ID, 'FROM a\nRUN echo hi\n');
});

test('messages in both languages name the instruction', async () => {
  const en = await findings(ID, 'FROM a\nENTRYPOINT run\n');
  assert.match(en.diagnostics[0]!.message, /^ENTRYPOINT in shell form/);
  const zh = await findings(ID, 'FROM a\nENTRYPOINT run\n', 'zh-cn');
  assert.match(zh.diagnostics[0]!.message, /shell 格式的 ENTRYPOINT/);
});

test('fix: exec form with words split and unquoted as the shell would', async () => {
  assert.equal(
    await applyFix(ID, 'FROM a\nCMD nginx -g "daemon off;"\n'),
    'FROM a\nCMD ["nginx", "-g", "daemon off;"]\n',
  );
  assert.equal(await applyFix(ID, 'FROM a\nCMD echo \'a "b"\' c\\ d\n'), 'FROM a\nCMD ["echo", "a \\"b\\"", "c d"]\n');
  assert.equal(
    await applyFix(ID, 'FROM a\nENTRYPOINT /app \\\n  --port 80\n'),
    'FROM a\nENTRYPOINT ["/app", "--port", "80"]\n',
  );
});

test('no fix when the command needs a shell', async () => {
  for (const body of ['echo $HOME', 'a && b', 'a | b', 'a > log', 'X=1 run', 'ls *.txt', 'echo "$(date)"', 'a; b']) {
    assert.deepEqual(await fixes(ID, `FROM a\nCMD ${body}\n`), [], body);
  }
});
