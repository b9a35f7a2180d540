import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, expectFindings, findings } from '../../helpers/rules';

const ID = 'inline-comment';

test('a # after the arguments is reported to the end of the line', async () => {
  await expectFindings(ID, 'FROM a\nEXPOSE 80 «# web»\n');
  await expectFindings(ID, 'FROM node:20 «# the runtime»\n');
  await expectFindings(ID, 'FROM a\nENV A=1 «# one»   \nARG B=2 «# two»\nWORKDIR /app «# here»\n');
  await expectFindings(ID, 'FROM a\nENV CYGWIN winsymlinks:lnk «# thanks!»\n');
  await expectFindings(ID, 'FROM a\nCOPY a b /dst/ «# config»\nUSER app «# not root»\nVOLUME /data «# db»\n');
  await expectFindings(ID, 'FROM a\nHEALTHCHECK NONE «# off»\nSTOPSIGNAL SIGTERM «# graceful»\n');
});

test('continuation lines: each line, comment lines Docker drops are fine', async () => {
  await expectFindings(ID, 'FROM a\nCOPY a \\\n  # a real comment line\n  b «# the b file» \\\n  /dst/\n');
  await expectFindings(ID, 'FROM a\nEXPOSE 80 \\\n  443 «# tls»\n');
});

test('exec form with a trailing # is no longer exec form', async () => {
  const [d] = await expectFindings(ID, 'FROM a\nCMD ["app"] «# start»\n');
  assert.match(d!.message, /shell form/);
  await expectFindings(ID, 'FROM a\nENTRYPOINT ["app", "--x"] «# go»\nRUN ["a"] «# b»\nHEALTHCHECK CMD ["c"] «# d»\n');
});

test('after ONBUILD', async () => {
  await expectFindings(ID, 'FROM a\nONBUILD COPY . /app «# sources»\nONBUILD RUN make # fine: the shell reads it\n');
});

test('fine: shell bodies, quotes, # inside a word, values starting with #, heredoc bodies', async () => {
  await expectFindings(ID, 'FROM a\nRUN make # build\nCMD app # shell form\nENTRYPOINT x # y\nHEALTHCHECK CMD c # d\n');
  await expectFindings(ID, 'FROM a\nLABEL description="a # b" other=\'c # d\'\nENV X=a\\ #b\n');
  await expectFindings(
    ID,
    'FROM a\nADD https://example.com/page#frag /x\nENV COLOR #fff\nLABEL issue=#12\nCOPY ["a # b", "/c"]\n',
  );
  await expectFindings(ID, 'FROM a\nCOPY <<EOF /etc/app.conf\n# a comment in the file\nkey = 1 # value\nEOF\n');
  await expectFindings(ID, '# a comment\nFROM a\n  # indented comment\nEXPOSE 80\n');
});

test('# escape=` and CRLF', async () => {
  await expectFindings(ID, '# escape=`\r\nFROM a\r\nWORKDIR C:\\app «# here»\r\nCOPY a `\r\n  b «# c» `\r\n  /d/\r\n');
});

test('message in Chinese', async () => {
  const { diagnostics } = await findings(ID, 'FROM a\nEXPOSE 80 # web\n', 'zh-cn');
  assert.match(diagnostics[0]!.message, /这不是注释/);
  assert.match(diagnostics[0]!.message, /`# web` 会作为参数传给 EXPOSE/);
});

test('fix: the comment moves to its own line above, same indentation', async () => {
  assert.equal(await applyFix(ID, 'FROM a\nEXPOSE 80 # web\n'), 'FROM a\n# web\nEXPOSE 80\n');
  assert.equal(await applyFix(ID, 'FROM a\n  ENV A=1   # one  \n'), 'FROM a\n  # one\n  ENV A=1\n');
  assert.equal(await applyFix(ID, 'FROM a\nCMD ["app"] # start\n'), 'FROM a\n# start\nCMD ["app"]\n');
  assert.equal(
    await applyFix(ID, 'FROM a\nONBUILD COPY . /app # sources\n'),
    'FROM a\n# sources\nONBUILD COPY . /app\n',
  );
});

test('fix: on a continuation line the continuation stays', async () => {
  assert.equal(
    await applyFix(ID, 'FROM a\nCOPY a \\\n  b # the b file \\\n  /dst/\n'),
    'FROM a\n# the b file\nCOPY a \\\n  b \\\n  /dst/\n',
  );
});

test('fix: # escape=` and CRLF', async () => {
  assert.equal(
    await applyFix(ID, '# escape=`\r\nFROM a\r\nCOPY a `\r\n  b # c `\r\n  /d/\r\n'),
    '# escape=`\r\nFROM a\r\n# c\r\nCOPY a `\r\n  b `\r\n  /d/\r\n',
  );
  assert.equal(await applyFix(ID, 'FROM a\r\nEXPOSE 80 # web'), 'FROM a\r\n# web\r\nEXPOSE 80');
});
