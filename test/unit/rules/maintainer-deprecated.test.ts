import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DiagnosticTag } from 'vscode-languageserver-types';
import { applyFix, expectFindings, fixes, findings } from '../../helpers/rules';

const ID = 'maintainer-deprecated';

test('MAINTAINER is reported on the keyword, with the Deprecated tag', async () => {
  const [d] = await expectFindings(ID, 'FROM a\n«MAINTAINER» Jane Doe <jane@example.com>\n');
  assert.deepEqual(d!.tags, [DiagnosticTag.Deprecated]);
  await expectFindings(ID, 'FROM a\n«maintainer» jane\n');
  await expectFindings(ID, 'FROM a\nONBUILD «MAINTAINER» jane\n');
});

test('LABEL is fine', async () => {
  await expectFindings(ID, 'FROM a\nLABEL org.opencontainers.image.authors="Jane Doe"\nLABEL maintainer=jane\n');
});

test('message in Chinese', async () => {
  const { diagnostics } = await findings(ID, 'FROM a\nMAINTAINER jane\n', 'zh-cn');
  assert.match(diagnostics[0]!.message, /MAINTAINER 已被弃用/);
});

test('fix: LABEL org.opencontainers.image.authors with the value quoted', async () => {
  assert.equal(
    await applyFix(ID, 'FROM a\nMAINTAINER Jane Doe <jane@example.com>\nRUN x\n'),
    'FROM a\nLABEL org.opencontainers.image.authors="Jane Doe <jane@example.com>"\nRUN x\n',
  );
  // Wholly quoted: the quotes go; otherwise `"`, `$` and the escape character are escaped (MAINTAINER is literal).
  assert.equal(
    await applyFix(ID, 'FROM a\nMAINTAINER "Jane Doe"\n'),
    'FROM a\nLABEL org.opencontainers.image.authors="Jane Doe"\n',
  );
  assert.equal(
    await applyFix(ID, 'FROM a\nMAINTAINER "Jane" <j@x.org> $5 C:\\x\n'),
    'FROM a\nLABEL org.opencontainers.image.authors="\\"Jane\\" <j@x.org> \\$5 C:\\\\x"\n',
  );
  assert.equal(
    await applyFix(ID, 'FROM a\n  maintainer jane\n'),
    'FROM a\n  label org.opencontainers.image.authors="jane"\n',
  );
  assert.equal(
    await applyFix(ID, 'FROM a\nONBUILD MAINTAINER jane\n'),
    'FROM a\nONBUILD LABEL org.opencontainers.image.authors="jane"\n',
  );
});

test('fix: # escape=` and CRLF', async () => {
  assert.equal(
    await applyFix(ID, '# escape=`\r\nFROM a\r\nMAINTAINER "J" C:\\x\r\nRUN x\r\n'),
    '# escape=`\r\nFROM a\r\nLABEL org.opencontainers.image.authors="`"J`" C:\\x"\r\nRUN x\r\n',
  );
});

test('no fix when there is no value or a comment line would be lost', async () => {
  assert.deepEqual(await fixes(ID, 'FROM a\nMAINTAINER\n'), []);
  assert.deepEqual(await fixes(ID, 'FROM a\nMAINTAINER jane \\\n# the boss\n  doe\n'), []);
});
