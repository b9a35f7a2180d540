import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, expectFindings, fixes, findings } from '../../helpers/rules';

const ID = 'prefer-copy';

test('ADD of local files and folders is reported on the keyword', async () => {
  await expectFindings(ID, 'FROM a\n«ADD» file /usr/src/app/\n');
  await expectFindings(ID, 'FROM a\n«ADD» file.zip /usr/src/app/\n');
  await expectFindings(ID, 'FROM a\n«ADD» "file.zip" /usr/src/app/\n');
  await expectFindings(ID, 'FROM a\n«ADD» . /app\n«add» --chown=app:app conf/ /etc/app/\n');
  await expectFindings(ID, 'FROM a\n«ADD» ["my file.txt", "/app/"]\n');
  await expectFindings(ID, 'FROM a\n«ADD» a \\\n    b \\\n    /app/\n');
});

test('after ONBUILD', async () => {
  await expectFindings(ID, 'FROM a\nONBUILD «ADD» . /app\nONBUILD ADD app.tar.gz /app\n');
});

test('a variable is judged by its value when the file sets it', async () => {
  await expectFindings(ID, 'FROM a\nENV PKG=jdk/\n«ADD» $PKG /opt/\n');
  await expectFindings(ID, 'FROM a\nENV PKG=jdk.tar.gz\nADD $PKG /opt/\n');
  await expectFindings(ID, 'FROM a\nADD ${URL} /opt/\n');
});

test('archives, URLs, Git, --checksum and heredocs keep ADD', async () => {
  for (const src of [
    'file.tar',
    'file.gz',
    'file.bz2',
    'file.xz',
    'file.tgz',
    'rootfs.tar.xz',
    'a.tar.zst',
    'B.TAR.GZ',
  ]) {
    await expectFindings(ID, `FROM a\nADD ${src} /usr/src/app/\n`);
  }
  await expectFindings(ID, 'FROM a\nADD "file.tgz" /usr/src/app/\nADD http://file.com /usr/src/app/\n');
  await expectFindings(ID, 'FROM a\nADD "http://file.com" /usr/src/app/\nADD https://x.org/a.sh /a.sh\n');
  await expectFindings(ID, 'FROM a\nADD git@github.com:moby/buildkit.git /src\n');
  await expectFindings(ID, 'FROM a\nADD --keep-git-dir=true https://github.com/moby/buildkit.git#v0.10.1 /src\n');
  await expectFindings(
    ID,
    'FROM a\nADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d file /x\n',
  );
  await expectFindings(ID, 'FROM a\nADD <<EOF /etc/motd\nhello\nEOF\n');
  await expectFindings(ID, 'FROM a\nADD ["a.tar.gz", "/x/"]\nCOPY file /x\n');
});

test('mixed sources: the message names the plain files, no fix', async () => {
  const [d] = await expectFindings(ID, 'FROM a\n«ADD» rootfs.tar.gz conf /\n');
  assert.match(d!.message, /`conf`/);
  assert.deepEqual(await fixes(ID, 'FROM a\nADD rootfs.tar.gz conf /\n'), []);
});

test('message in Chinese', async () => {
  const { diagnostics } = await findings(ID, 'FROM a\nADD x /x\n', 'zh-cn');
  assert.match(diagnostics[0]!.message, /COPY/);
  assert.match(diagnostics[0]!.message, /复制本地文件/);
});

test('fix: the keyword only, flags COPY supports kept', async () => {
  assert.equal(await applyFix(ID, 'FROM a\nADD x /y\n'), 'FROM a\nCOPY x /y\n');
  assert.equal(
    await applyFix(ID, 'FROM a\nADD --chown=1:1 --chmod=644 --link x /y\n'),
    'FROM a\nCOPY --chown=1:1 --chmod=644 --link x /y\n',
  );
  assert.equal(await applyFix(ID, 'FROM a\nadd x /y\n'), 'FROM a\ncopy x /y\n');
  assert.equal(await applyFix(ID, 'FROM a\nONBUILD ADD . /app\n'), 'FROM a\nONBUILD COPY . /app\n');
  assert.equal(await applyFix(ID, 'FROM a\r\nADD ["a b", "/c/"]\r\n'), 'FROM a\r\nCOPY ["a b", "/c/"]\r\n');
  assert.equal(await applyFix(ID, '# escape=`\nFROM a\nADD x `\n  /y\n'), '# escape=`\nFROM a\nCOPY x `\n  /y\n');
});

test('fix: not preferred when a glob may match an archive', async () => {
  const [proposal] = await fixes(ID, 'FROM a\nADD *.rpm /tmp/\n');
  assert.equal(proposal?.preferred, false);
});

test('no fix with a flag only ADD has', async () => {
  assert.deepEqual(await fixes(ID, 'FROM a\nADD --unpack=false x /y\n'), []);
  assert.deepEqual(await fixes(ID, 'FROM a\nADD --keep-git-dir x /y\n'), []);
});
