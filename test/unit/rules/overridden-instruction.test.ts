import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DiagnosticTag } from 'vscode-languageserver-types';
import { applyFix, expectFindings, findings } from '../../helpers/rules';

const ID = 'overridden-instruction';

test('earlier CMD, ENTRYPOINT and HEALTHCHECK of a stage are reported whole', async () => {
  await expectFindings(ID, 'FROM debian\n«CMD bash»\nRUN foo\nCMD another\n');
  await expectFindings(ID, 'FROM debian\n«ENTRYPOINT bash»\nRUN foo\nENTRYPOINT another\n');
  await expectFindings(ID, 'FROM a\n«HEALTHCHECK CMD curl -f http://localhost/»\nHEALTHCHECK NONE\n');
  await expectFindings(ID, 'FROM a\n«CMD ["a"]»\n«CMD ["b"]»\nCMD ["c"]\n');
  await expectFindings(ID, 'FROM a\n«CMD a \\\n    b»\nCMD c\n');
});

test('each stage counts on its own', async () => {
  await expectFindings(ID, 'FROM debian as distro1\nCMD bash\nRUN foo\nFROM debian as distro2\nCMD another\n');
  await expectFindings(
    ID,
    'FROM debian as distro1\n«CMD bash»\nRUN foo\nCMD another\nFROM debian as distro2\nCMD another\n',
  );
  await expectFindings(ID, 'FROM a AS base\nCMD a\nFROM base\nCMD b\n');
});

test('one of each, or none, is fine', async () => {
  await expectFindings(ID, 'CMD /bin/true\n');
  await expectFindings(ID, 'FROM busybox\n');
  await expectFindings(ID, 'FROM a\nENTRYPOINT ["a"]\nCMD ["b"]\nHEALTHCHECK CMD c\n');
});

test('ONBUILD triggers are their own group', async () => {
  await expectFindings(ID, 'FROM a\n«ONBUILD CMD a»\nONBUILD CMD b\nCMD c\n');
  await expectFindings(ID, 'FROM a\nONBUILD CMD a\nCMD b\n');
});

test('Unnecessary tag, related information to the one that counts, message in Chinese', async () => {
  const { diagnostics } = await findings(ID, 'FROM a\nCMD a\nCMD b\n', 'zh-cn');
  const d = diagnostics[0]!;
  assert.deepEqual(d.tags, [DiagnosticTag.Unnecessary]);
  assert.equal(d.relatedInformation?.[0]?.location.range.start.line, 2);
  assert.match(d.message, /这条 CMD 不起作用/);
});

test('fix: removes the earlier instruction, continuation lines included, comments above kept', async () => {
  assert.equal(await applyFix(ID, 'FROM a\nCMD a\nCMD b\n'), 'FROM a\nCMD b\n');
  assert.equal(
    await applyFix(ID, 'FROM a\n# start the app\nCMD a \\\n    --flag\nRUN x\nCMD b\n'),
    'FROM a\n# start the app\nRUN x\nCMD b\n',
  );
  assert.equal(await applyFix(ID, 'FROM a\r\nHEALTHCHECK CMD x\r\nHEALTHCHECK NONE'), 'FROM a\r\nHEALTHCHECK NONE');
  assert.equal(
    await applyFix(ID, '# escape=`\nFROM a\n  ENTRYPOINT a `\n    b\n  ENTRYPOINT c\n'),
    '# escape=`\nFROM a\n  ENTRYPOINT c\n',
  );
  assert.equal(await applyFix(ID, 'FROM a\nONBUILD CMD a\nONBUILD CMD b\n'), 'FROM a\nONBUILD CMD b\n');
});
