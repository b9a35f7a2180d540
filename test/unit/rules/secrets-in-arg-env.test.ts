import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expectFindings, findings } from '../../helpers/rules';
import { looksLikeSecret } from '../../../server/src/service/rules/secrets-in-arg-env';

const ID = 'secrets-in-arg-env';

test("BuildKit's name heuristic: secret words between underscores, allow-listed words", () => {
  for (const name of [
    'password',
    'DB_PASSWORD',
    'GITHUB_TOKEN',
    'api_key',
    'APIKEY',
    'secret_MESSAGE',
    'AUTH',
    'AWS_SECRET_ACCESS_KEY',
    'MY_CREDENTIALS',
    'USER_PASSWD',
  ])
    assert.ok(looksLikeSecret(name), name);
  for (const name of [
    'PUBLIC_KEY',
    'KEY_FILE',
    'TOKEN_VERSION',
    'GPG_KEY',
    'GPG_KEYS',
    'PASSWORDS',
    'AUTHOR',
    'MONKEY',
    'TOKENIZER',
    'keyboard',
    'Filters__0__Key',
  ])
    assert.ok(!looksLikeSecret(name), name);
});

test('ARG and ENV names that look like secrets are reported on the name', async () => {
  await expectFindings(ID, 'FROM a:1\nARG «GITHUB_TOKEN»\n');
  await expectFindings(ID, 'FROM a:1\nENV «DB_PASSWORD»=hunter2 USER=app\n');
  await expectFindings(ID, 'FROM a:1\nENV «API_KEY» abc123\n');
  await expectFindings(ID, 'ARG «NPM_TOKEN»\nFROM a:1\n');
  await expectFindings(ID, 'FROM a:1\nARG USER «AUTH_TOKEN» «SECRET»=x\n');
  await expectFindings(ID, 'FROM a:1\nENV A=1 \\\n    «ADMIN_PASSWORD»="${ADMIN_PASSWORD:-welcome1}"\n');
  await expectFindings(ID, 'FROM a:1\nONBUILD ENV «SECRET_KEY»=abc\n');
  await expectFindings(ID, 'FROM a:1\nARG «TOKEN»\nENV «TOKEN»=$TOKEN\n');
});

test('values that cannot be secrets: empty ENV, booleans, numbers, paths, file names, signing fingerprints', async () => {
  await expectFindings(ID, 'FROM a:1\nENV DB_PASSWORD=\nENV AUTH_ENABLED=true\nENV TOKEN_TTL=3600\n');
  await expectFindings(
    ID,
    'FROM a:1\nENV KEY_DIR /certs\nENV CREDENTIALS_PATH=./creds\nENV RESET_PASSWORD="reset.sh"\n',
  );
  await expectFindings(ID, 'FROM a:1\nENV sa_password_path="C:\\ProgramData\\Docker\\secrets\\sa-password"\n');
  await expectFindings(
    ID,
    'FROM a:1\nARG SWIFT_SIGNING_KEY=A62AE125BBBFBB96A6E042EC925CC1CCED3D1561\nENV SWIFT_SIGNING_KEY=$SWIFT_SIGNING_KEY\n',
  );
  await expectFindings(ID, 'FROM a:1\nENV DB_PASSWORD=${DB_PASSWORD:-}\n');
  await expectFindings(ID, 'FROM a:1\nENV GPG_KEY=0x1234 PUBLIC_KEY=abc\n');
});

test('messages in both languages', async () => {
  const en = await findings(ID, 'FROM a:1\nARG NPM_TOKEN\n');
  assert.match(en.diagnostics[0]!.message, /^`NPM_TOKEN` looks like a secret: ARG values/);
  const zh = await findings(ID, 'FROM a:1\nENV NPM_TOKEN=x\n', 'zh-cn');
  assert.match(zh.diagnostics[0]!.message, /`NPM_TOKEN` 看起来是机密信息：ENV 的值/);
});
