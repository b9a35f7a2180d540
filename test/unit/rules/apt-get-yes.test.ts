import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, expectFindings, findings } from '../../helpers/rules';

const ID = 'apt-get-yes';

test('apt-get install without -y is reported on `apt-get install`', async () => {
  await expectFindings(ID, 'FROM a\nRUN «apt-get install» python\n');
  await expectFindings(ID, 'FROM a\nRUN apt-get update && «apt-get install» -q python\n');
  await expectFindings(ID, 'FROM a\nRUN «apt-get --quiet install» python\n');
  await expectFindings(ID, 'FROM a\nRUN «apt-get -o Dpkg::Options::=--force-confold install» x\n');
  await expectFindings(ID, 'FROM a\nRUN «apt install» curl\n');
  await expectFindings(ID, 'FROM a\nRUN DEBIAN_FRONTEND=noninteractive «apt-get install» x\n');
  await expectFindings(ID, 'FROM a\nRUN sudo «apt-get install» x\n');
});

test('continuations, heredocs and ONBUILD', async () => {
  await expectFindings(ID, 'FROM a\nRUN apt-get update \\\n  && «apt-get install» \\\n    curl\n');
  await expectFindings(ID, 'FROM a\nRUN <<EOF\napt-get update\n«apt-get install» curl\nEOF\n');
  await expectFindings(ID, 'FROM a\nONBUILD RUN «apt-get install» curl\n');
});

test('-y and its equivalents (as hadolint DL3014)', async () => {
  for (const flags of ['-y', '-yq', '-qq', '-q -q', '-q=2', '--quiet --quiet', '--yes', '--assume-yes']) {
    await expectFindings(ID, `FROM a\nRUN apt-get install ${flags} python\n`);
    await expectFindings(ID, `FROM a\nRUN apt-get ${flags} install python\n`);
  }
  await expectFindings(ID, 'FROM a\nRUN apt-get install python -y\n');
});

test('fine where apt cannot prompt (deliberate extensions of DL3014)', async () => {
  await expectFindings(ID, 'FROM a\nRUN apt-get -o APT::Get::Assume-Yes=true install x\n');
  await expectFindings(ID, 'FROM a\nRUN yes | apt-get install x\n');
  await expectFindings(ID, 'FROM a\nRUN apt-get install -s x && apt-get install --simulate y\n');
  await expectFindings(
    ID,
    'FROM a\nRUN echo \'APT::Get::Assume-Yes "true";\' > /etc/apt/apt.conf.d/90yes\nRUN apt-get install x\n',
  );
  await expectFindings(ID, 'FROM a\nRUN apt-get update && apt-get upgrade && echo install\n');
  await expectFindings(ID, 'FROM a\nRUN ["apt-get", "install", "x"]\n');
  await expectFindings(ID, 'FROM a\nSHELL ["pwsh", "-c"]\nRUN apt-get install x\n');
});

test('messages in both languages', async () => {
  const zh = await findings(ID, 'FROM a\nRUN apt install x\n', 'zh-cn');
  assert.match(zh.diagnostics[0]!.message, /不带 `-y` 的 `apt install`/);
});

test('fix: insert -y after install', async () => {
  assert.equal(await applyFix(ID, 'FROM a\nRUN apt-get install python\n'), 'FROM a\nRUN apt-get install -y python\n');
  assert.equal(
    await applyFix(ID, 'FROM a\nRUN apt-get update && \\\n    apt-get -q install \\\n      curl\n'),
    'FROM a\nRUN apt-get update && \\\n    apt-get -q install -y \\\n      curl\n',
  );
  assert.equal(
    await applyFix(ID, 'FROM a\nRUN apt-get install a && apt-get install b\n', 1),
    'FROM a\nRUN apt-get install a && apt-get install -y b\n',
  );
  assert.equal(
    await applyFix(ID, 'FROM a\nRUN <<EOF\napt-get install curl\nEOF\n'),
    'FROM a\nRUN <<EOF\napt-get install -y curl\nEOF\n',
  );
  assert.equal(await applyFix(ID, 'FROM a\nONBUILD RUN apt install x\n'), 'FROM a\nONBUILD RUN apt install -y x\n');
});
