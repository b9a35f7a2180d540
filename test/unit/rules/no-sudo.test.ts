import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expectFindings, findings, rule } from '../../helpers/rules';

const ID = 'no-sudo';

test('sudo as a command is reported on the word sudo', async () => {
  await expectFindings(ID, 'FROM a\nRUN «sudo» apt-get update\n');
  await expectFindings(ID, 'FROM a\nRUN apt-get update && «sudo» -E apt-get install -y x\n');
  await expectFindings(ID, 'FROM a\nRUN «/usr/bin/sudo» -u app make\n');
  await expectFindings(ID, 'FROM a\nRUN curl -sL https://x/setup | «sudo» -E bash -\n');
  await expectFindings(ID, 'FROM a\nRUN env DEBIAN_FRONTEND=noninteractive «sudo» make install\n');
  await expectFindings(ID, 'FROM a\nRUN echo "$(«sudo» cat /etc/shadow)"\n');
});

test('continuations, heredocs and ONBUILD', async () => {
  await expectFindings(ID, 'FROM a\nRUN apt-get update \\\n    && «sudo» make install\n');
  await expectFindings(ID, 'FROM a\nRUN <<EOF\nset -e\n«sudo» make install\nEOF\n');
  await expectFindings(ID, 'FROM a\nONBUILD RUN «sudo» make install\n');
  await expectFindings(ID, '# escape=`\nFROM a\nRUN make && `\n    «sudo» make install\n');
});

test('sudo as a word, a package or outside RUN is fine', async () => {
  await expectFindings(ID, 'FROM a\nRUN apt-get install -y sudo\n');
  await expectFindings(ID, 'FROM a\nRUN echo "sudo make me a sandwich" && echo sudo\n');
  await expectFindings(ID, 'FROM a\nRUN echo "%wheel ALL=(ALL) NOPASSWD: ALL" >> /etc/sudoers\n');
  await expectFindings(ID, 'FROM a\nCMD sudo -u app run\n');
  await expectFindings(ID, 'FROM a\nRUN ["sudo", "make"]\n');
});

test('a PowerShell SHELL turns the rule off', async () => {
  await expectFindings(ID, 'FROM a\nSHELL ["pwsh", "-c"]\nRUN sudo make\n');
  await expectFindings(ID, 'FROM a\nSHELL ["pwsh", "-c"]\nRUN sudo make\nSHELL ["/bin/bash", "-c"]\nRUN «sudo» make\n');
});

test('messages in both languages; no fix', async () => {
  const zh = await findings(ID, 'FROM a\nRUN sudo make\n', 'zh-cn');
  assert.match(zh.diagnostics[0]!.message, /不要使用 `sudo`/);
  assert.equal(rule(ID).fix, undefined);
});
