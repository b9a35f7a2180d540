import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expectFindings, findings, rule } from '../../helpers/rules';

const ID = 'cd-in-run';

test('every cd command in a RUN is reported, as hadolint DL3003 does', async () => {
  await expectFindings(ID, 'FROM a\nRUN «cd /opt»\n');
  await expectFindings(ID, 'FROM a\nRUN «cd /usr/src/app» && make && «cd ..»\n');
  await expectFindings(ID, 'FROM a\nRUN make -C src && («cd docs» && make html)\n');
  await expectFindings(ID, 'FROM a\nRUN set -eux; «cd "$HOME"»; ls\n');
  await expectFindings(ID, 'FROM a\nRUN if [ -d x ]; then «cd x»; fi\n');
});

test('continuations, heredocs and ONBUILD', async () => {
  await expectFindings(ID, 'FROM a\nRUN curl -O https://x/y.tgz \\\n  && «cd /tmp» \\\n  && tar xf y.tgz\n');
  await expectFindings(ID, 'FROM a\nRUN <<EOF\n«cd /src»\nmake\nEOF\n');
  await expectFindings(ID, 'FROM a\nONBUILD RUN «cd /app» && npm ci\n');
});

test('WORKDIR, cd as a word, exec form and other instructions are fine', async () => {
  await expectFindings(ID, 'FROM a\nWORKDIR /opt\nRUN make\n');
  await expectFindings(ID, 'FROM a\nRUN echo cd /opt && git clone https://x/cd\n');
  await expectFindings(ID, 'FROM a\nRUN ["cd", "/opt"]\n');
  await expectFindings(ID, 'FROM a\nCMD cd /app && ./run\n');
  await expectFindings(ID, 'FROM a\nSHELL ["cmd", "/S", "/C"]\nRUN cd C:\\app\n');
});

test('messages in both languages; no fix', async () => {
  const zh = await findings(ID, 'FROM a\nRUN cd /x\n', 'zh-cn');
  assert.match(zh.diagnostics[0]!.message, /WORKDIR/);
  assert.match(zh.diagnostics[0]!.message, /只在这一条 RUN 内有效/);
  assert.equal(rule(ID).fix, undefined);
});
