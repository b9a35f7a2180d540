import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, expectFindings, fixes, findings } from '../../helpers/rules';

const ID = 'env-key-value';

test('legacy ENV and LABEL are reported on the key and value', async () => {
  await expectFindings(ID, 'FROM a\nENV «PATH /usr/local/bin:$PATH»\n');
  await expectFindings(ID, 'FROM a\nENV «GREETING hello world»\nLABEL «maintainer Jane Doe»\n');
  await expectFindings(ID, 'FROM a\nENV «D B=C»\n');
  await expectFindings(ID, 'FROM a\nENV «DEPS \\\n\t\tgcc \\\n\t\tmake»\n');
  await expectFindings(ID, 'FROM a\nONBUILD ENV «A b»\n');
});

test('key=value, ARG and instructions without a value are fine', async () => {
  await expectFindings(ID, 'FROM a\nENV A=1 B="x y"\nLABEL a=b "c d"=e\nENV C=\nARG D 1\n');
  await expectFindings(ID, 'FROM a\nENV E\nENV\nONBUILD ENV F=1\n');
});

test('message in Chinese names the instruction', async () => {
  const { diagnostics } = await findings(ID, 'FROM a\nLABEL a b\n', 'zh-cn');
  assert.match(diagnostics[0]!.message, /旧的 `LABEL key value` 写法/);
});

test('fix: only the separator when the value is one word', async () => {
  assert.equal(
    await applyFix(ID, 'FROM a\nENV PATH /usr/local/bin:$PATH\n'),
    'FROM a\nENV PATH=/usr/local/bin:$PATH\n',
  );
  assert.equal(await applyFix(ID, 'FROM a\nENV A "x y"\n'), 'FROM a\nENV A="x y"\n');
  assert.equal(await applyFix(ID, 'FROM a\nENV A a\\ b\n'), 'FROM a\nENV A=a\\ b\n');
  assert.equal(await applyFix(ID, 'FROM a\nENV D B=C\n'), 'FROM a\nENV D=B=C\n');
  assert.equal(await applyFix(ID, 'FROM a\nONBUILD ENV A b\n'), 'FROM a\nONBUILD ENV A=b\n');
});

test('fix: the rest of the line quoted as one value', async () => {
  assert.equal(await applyFix(ID, 'FROM a\nENV A hello world\n'), 'FROM a\nENV A="hello world"\n');
  assert.equal(await applyFix(ID, 'FROM a\nLABEL maintainer Jane Doe\n'), 'FROM a\nLABEL maintainer="Jane Doe"\n');
  // Variables still expand inside double quotes; escaped characters stay literal.
  assert.equal(await applyFix(ID, 'FROM a\nENV D $X ${Y:-a b}\n'), 'FROM a\nENV D="$X ${Y:-a b}"\n');
  assert.equal(await applyFix(ID, 'FROM a\nENV E a\\"b \\$c \\d\n'), 'FROM a\nENV E="a\\"b \\$c d"\n');
  // Quoted parts join the double-quoted value; single-quoted parts stay single-quoted.
  assert.equal(await applyFix(ID, 'FROM a\nENV F "x y" z\n'), 'FROM a\nENV F="x y z"\n');
  assert.equal(await applyFix(ID, "FROM a\nENV C '$x y' z\n"), 'FROM a\nENV C=\'$x y\'" z"\n');
});

test('fix: continuations kept, in place', async () => {
  assert.equal(
    await applyFix(ID, 'FROM a\nENV DEPS \\\n\t\tgcc \\\n\t\tmake\nRUN x\n'),
    'FROM a\nENV DEPS="gcc \\\n\t\tmake"\nRUN x\n',
  );
  assert.equal(
    await applyFix(ID, 'FROM a\nENV A a \\\n  # dropped by Docker\n  b\n'),
    'FROM a\nENV A="a \\\n  # dropped by Docker\n  b"\n',
  );
});

test('fix: # escape=` and CRLF', async () => {
  assert.equal(
    await applyFix(ID, '# escape=`\r\nFROM a\r\nENV P C:\\Program Files\\x `\r\n    "y"\r\n'),
    '# escape=`\r\nFROM a\r\nENV P="C:\\Program Files\\x `\r\n    y"\r\n',
  );
  assert.equal(await applyFix(ID, '# escape=`\nFROM a\nENV Q a`"b c\n'), '# escape=`\nFROM a\nENV Q="a`"b c"\n');
});

test('no fix when it would lose a comment or cannot be read', async () => {
  assert.deepEqual(await fixes(ID, 'FROM a\nENV A \\\n# note\n  b\n'), []);
  assert.deepEqual(await fixes(ID, 'FROM a\nENV A "b c\n'), []);
  assert.deepEqual(await fixes(ID, 'FROM a\nLABEL "a b" c\n'), []);
});
