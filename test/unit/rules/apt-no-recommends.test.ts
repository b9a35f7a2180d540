import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, expectFindings, findings, fixes } from '../../helpers/rules';

const ID = 'apt-no-recommends';

test('apt-get install without --no-install-recommends is reported on `apt-get install`', async () => {
  await expectFindings(ID, 'FROM a\nRUN «apt-get install» python\n');
  await expectFindings(ID, 'FROM a\nRUN «apt-get -y install» python\n');
  await expectFindings(ID, 'FROM a\nRUN apt-get update && «apt-get install» -y a \\\n  && «apt install» -y b\n');
  await expectFindings(ID, 'FROM a\nRUN <<EOF\n«apt-get install» -y curl\nEOF\n');
  await expectFindings(ID, 'FROM a\nONBUILD RUN «apt-get install» -y curl\n');
});

test('--no-install-recommends or the option turns it off (as hadolint DL3015)', async () => {
  await expectFindings(ID, 'FROM a\nRUN apt-get install --no-install-recommends python\n');
  await expectFindings(ID, 'FROM a\nRUN apt-get install -y python --no-install-recommends\n');
  await expectFindings(ID, 'FROM a\nRUN apt-get -o APT::Install-Recommends=false install python\n');
  await expectFindings(ID, 'FROM a\nRUN apt-get -o APT::Install-Recommends=0 install python\n');
});

test('an apt configuration written earlier in the image turns it off (a deliberate extension)', async () => {
  await expectFindings(
    ID,
    'FROM a\nRUN echo \'APT::Install-Recommends "false";\' > /etc/apt/apt.conf.d/01norecommend\nRUN apt-get install -y x\n',
  );
  await expectFindings(
    ID,
    'FROM a AS base\nRUN echo \'APT::Install-Recommends "0";\' > /etc/apt/apt.conf.d/01norec\nFROM base\nRUN apt-get install -y x\n',
  );
  // a configuration in another stage does not count
  await expectFindings(
    ID,
    'FROM a\nRUN echo \'APT::Install-Recommends "0";\' > /etc/apt/apt.conf.d/01\nFROM b\nRUN «apt-get install» -y x\n',
  );
  // ... nor one written after the install; an ONBUILD trigger runs after the whole stage
  const later = 'RUN echo \'APT::Install-Recommends "0";\' > /etc/apt/apt.conf.d/01\n';
  await expectFindings(ID, `FROM a\nRUN «apt-get install» -y x\n${later}RUN apt-get install -y y\n`);
  await expectFindings(ID, `FROM a\nONBUILD RUN apt-get install -y x\n${later}`);
  // the first configuring RUN of each stage of the chain counts, wherever it is in a long stage
  const runs = Array.from({ length: 40 }, (_, i) => `RUN echo ${i}\n`).join('');
  await expectFindings(
    ID,
    `FROM a AS base\n${runs}${later}${runs}FROM base\n${runs}RUN apt-get install -y x\nFROM a\n${runs}RUN «apt-get install» -y z\n`,
  );
});

test('other commands, simulations, exec form and non-POSIX shells are fine', async () => {
  await expectFindings(ID, 'FROM a\nRUN apt-get update && apt-get upgrade -y && apt-get remove -y x\n');
  await expectFindings(ID, 'FROM a\nRUN apt-get install -s x\n');
  await expectFindings(ID, 'FROM a\nRUN pip install x && apk add y\n');
  await expectFindings(ID, 'FROM a\nRUN ["apt-get", "install", "-y", "x"]\n');
  await expectFindings(ID, 'FROM a\nSHELL ["powershell", "-Command"]\nRUN apt-get install x\n');
});

test('messages in both languages', async () => {
  const zh = await findings(ID, 'FROM a\nRUN apt-get install -y x\n', 'zh-cn');
  assert.match(zh.diagnostics[0]!.message, /--no-install-recommends/);
  assert.match(zh.diagnostics[0]!.message, /推荐/);
});

test('fix: insert --no-install-recommends after install (not preferred: it may drop a needed package)', async () => {
  assert.equal(
    await applyFix(ID, 'FROM a\nRUN apt-get install -y python\n'),
    'FROM a\nRUN apt-get install --no-install-recommends -y python\n',
  );
  assert.equal(
    await applyFix(ID, 'FROM a\nRUN apt-get update \\\n && apt-get -y install \\\n   curl\n'),
    'FROM a\nRUN apt-get update \\\n && apt-get -y install --no-install-recommends \\\n   curl\n',
  );
  const proposals = await fixes(ID, 'FROM a\nRUN apt-get install -y x\n');
  assert.equal(proposals.length, 1);
  assert.equal(proposals[0]!.preferred, false);
});
