import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DiagnosticTag } from 'vscode-languageserver-types';
import { applyFix, expectFindings, findings } from '../../helpers/rules';

const ID = 'empty-continuation';

test('empty lines inside a continued instruction are reported, whole lines, tagged deprecated', async () => {
  const [d] = await expectFindings(ID, 'FROM a\nRUN a \\\n«\n»  && b\n');
  assert.deepEqual(d!.tags, [DiagnosticTag.Deprecated]);
  await expectFindings(ID, 'FROM a\nRUN a \\\n«  \n\t\n»  && b\n');
  await expectFindings(ID, 'FROM a\r\nRUN a \\\r\n«\r\n»  && b\r\n');
  await expectFindings(ID, '# escape=`\nFROM a\nRUN a `\n«\n»  b\n');
  await expectFindings(ID, 'FROM a\nLABEL a=1 \\\n«\n»      b=2\n');
});

test('blank lines between instructions, in heredocs, after an escaped escape are fine', async () => {
  await expectFindings(ID, 'FROM a\n\nRUN a\n\nRUN b\n');
  await expectFindings(ID, 'FROM a\nRUN <<EOF\necho a\n\necho b\nEOF\n');
  await expectFindings(ID, 'FROM a\nCOPY a \\\n  C:\\\\dir\\\\\n\nENV V 1.0\n');
});

test('fix: removes the empty lines (Docker skips them: the build is unchanged)', async () => {
  assert.equal(await applyFix(ID, 'FROM a\nRUN a \\\n\n  && b\n'), 'FROM a\nRUN a \\\n  && b\n');
  assert.equal(
    await applyFix(ID, 'FROM a\nRUN a \\\n  \n\n  && b \\\n  # note\n  && c\n'),
    'FROM a\nRUN a \\\n  && b \\\n  # note\n  && c\n',
  );
});

test('messages in both languages', async () => {
  const en = await findings(ID, 'FROM a\nRUN a \\\n\n b\n');
  assert.match(en.diagnostics[0]!.message, /^Empty line inside a continued instruction/);
  const zh = await findings(ID, 'FROM a\nRUN a \\\n\n b\n', 'zh-cn');
  assert.match(zh.diagnostics[0]!.message, /续行指令中间有空行/);
});
