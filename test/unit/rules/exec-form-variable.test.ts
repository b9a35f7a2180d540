import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expectFindings, findings, rule } from '../../helpers/rules';

const ID = 'exec-form-variable';

test('each variable inside an exec-form string is reported', async () => {
  await expectFindings(ID, 'FROM a\nCMD ["echo", "«$HOME»"]\n');
  await expectFindings(ID, 'FROM a\nENTRYPOINT ["java", "-jar", "«${APP_DIR}»/app.jar", "--port=«$PORT»"]\n');
  await expectFindings(ID, 'FROM a\nRUN ["/bin/app", "«${MODE:-prod}»"]\n');
  await expectFindings(ID, 'FROM a\nCMD ["exec", "«$SCRIPT_DIR»/«$RUN_FILE»"]\n');
  await expectFindings(ID, 'FROM a\nCMD ["app", \\\n     "«$X»"]\n');
  await expectFindings(ID, 'FROM a\r\nCMD ["app", \\\r\n     "«$X»"]\r\n');
  await expectFindings(ID, '# escape=`\r\nFROM a\r\nCMD ["C:\\\\app.exe", "«$X»"]\r\n');
});

test('HEALTHCHECK CMD in exec form, and after ONBUILD', async () => {
  await expectFindings(ID, 'FROM a\nHEALTHCHECK --interval=5s CMD ["curl", "-f", "http://localhost:«$PORT»/"]\n');
  await expectFindings(ID, 'FROM a\nONBUILD CMD ["app", "«$X»"]\n');
});

test('fine: shell form, a shell that expands the script, no variable', async () => {
  await expectFindings(ID, 'FROM a\nCMD echo $HOME\nRUN echo ${X}\nHEALTHCHECK CMD curl localhost:$PORT\n');
  await expectFindings(ID, 'FROM a\nCMD ["sh", "-c", "echo $HOME"]\n');
  await expectFindings(ID, 'FROM a\nRUN ["/bin/bash", "-o", "pipefail", "-ec", "curl $URL | sh"]\n');
  await expectFindings(ID, 'FROM a\nENTRYPOINT ["/sbin/tini", "--", "/bin/sh", "-c", "exec app $OPTS"]\n');
  await expectFindings(
    ID,
    'FROM a\nSHELL ["powershell", "-Command"]\nRUN ["powershell", "-Command", "$ErrorActionPreference = \'Stop\'"]\n',
  );
  await expectFindings(ID, 'FROM a\nCMD ["app", "price: 5$", "\\\\$HOME", "$$"]\n');
  await expectFindings(ID, 'FROM a\nCMD []\nENTRYPOINT ["app"]\n');
});

test('a shell without -c runs a script file: its arguments are not expanded', async () => {
  await expectFindings(ID, 'FROM a\nCMD ["bash", "/run.sh", "«$X»"]\n');
});

test('message in Chinese', async () => {
  const { diagnostics } = await findings(ID, 'FROM a\nCMD ["echo", "$HOME"]\n', 'zh-cn');
  assert.match(diagnostics[0]!.message, /`\$HOME` 不会被展开/);
});

test('no fix is offered', () => {
  assert.equal(rule(ID).fix, undefined);
});
