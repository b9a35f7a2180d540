import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, expectFindings, findings, fixes } from '../../helpers/rules';
import type { DiagnosticData } from '../../../server/src/service/diagnostics';
import type { AptUpdateAloneData } from '../../../server/src/service/rules/apt-update-alone';

const ID = 'apt-update-alone';

async function data(text: string): Promise<AptUpdateAloneData> {
  const { diagnostics } = await findings(ID, text);
  assert.ok(diagnostics[0], 'no finding');
  return (diagnostics[0]!.data as DiagnosticData).data as AptUpdateAloneData;
}

test('an index refresh alone in its RUN is reported on the command', async () => {
  await expectFindings(ID, 'FROM a\nRUN «apt-get update»\nRUN apt-get install -y curl\n');
  await expectFindings(ID, 'FROM a\nRUN «apt update»\n');
  await expectFindings(ID, 'FROM a\nRUN «apk update»\n');
  await expectFindings(ID, 'FROM a\nRUN «yum makecache»\n');
  await expectFindings(ID, 'FROM a\nRUN «dnf makecache»\n');
  await expectFindings(ID, 'FROM a\nRUN «aptitude update»\n');
  await expectFindings(ID, 'FROM a\nRUN «zypper --non-interactive refresh»\n');
  await expectFindings(ID, 'FROM a\nRUN «apt-get -qq update» > /dev/null\n');
  await expectFindings(ID, 'FROM a\nRUN «DEBIAN_FRONTEND=noninteractive apt-get update»\n');
  await expectFindings(ID, 'FROM a\nRUN «sudo -E apt-get update» && echo ok\n');
  await expectFindings(ID, 'FROM a\nRUN «/usr/bin/apt-get -o Acquire::Retries=3 update»\n');
});

test('with harmless commands around it (sources, keys, files)', async () => {
  await expectFindings(
    ID,
    'FROM a\nRUN echo "deb http://x stable main" > /etc/apt/sources.list.d/x.list && \\\n    curl -fsSL https://x/key | gpg --dearmor -o /usr/share/keyrings/x.gpg && \\\n    «apt-get update»\n',
  );
  await expectFindings(ID, 'FROM a\nRUN dpkg --add-architecture i386 && «apt-get update»\n');
});

test('ONBUILD, heredocs and continuation lines', async () => {
  await expectFindings(ID, 'FROM a\nONBUILD RUN «apt-get update»\n');
  await expectFindings(ID, 'FROM a\nRUN <<EOF\nset -e\n«apt-get update»\nEOF\n');
  await expectFindings(ID, 'FROM a\nRUN set -x && \\\n    «apt-get \\\n      update»\n');
});

test('no finding when the same RUN installs or otherwise uses the index', async () => {
  for (const body of [
    'apt-get update && apt-get install -y curl',
    'apt-get update && apt-get -y --no-install-recommends install curl',
    'apt update && apt upgrade -y',
    'apt-get update && apt-get dist-upgrade -y',
    'apk update && apk add curl',
    'apk add --update curl',
    'yum makecache && yum install -y x',
    'dnf makecache && dnf -y update',
    'zypper ref && zypper in -y x',
    'apt-get update && apt-get clean',
    'apt-get install -y curl',
  ]) {
    await expectFindings(ID, `FROM a\nRUN ${body}\n`);
  }
  await expectFindings(ID, 'FROM a\nRUN <<EOF\napt-get update\napt-get install -y x\nEOF\n');
});

test('no finding when another command might install (scripts, xargs, pipes into a shell)', async () => {
  for (const body of [
    'apt-get update && ./install.sh',
    'apt-get update && cat pkgs.txt | xargs apt-get install -y',
    'curl -sL https://deb.nodesource.com/setup_20.x | bash - && apt-get update',
    'apt-get update && $INSTALL',
    'apt-get update && make deps',
  ]) {
    await expectFindings(ID, `FROM a\nRUN ${body}\n`);
  }
  await expectFindings(ID, 'FROM a\nRUN ["apt-get", "update"]\n');
  await expectFindings(ID, 'FROM a\nSHELL ["powershell", "-Command"]\nRUN apt-get update\n');
});

test('messages in English and Chinese name the command', async () => {
  const en = await findings(ID, 'FROM a\nRUN apk update\n');
  assert.match(en.diagnostics[0]!.message, /^`apk update` without an install in the same RUN/);
  const zh = await findings(ID, 'FROM a\nRUN apt-get -y update\n', 'zh-cn');
  assert.match(zh.diagnostics[0]!.message, /^`apt-get update` 所在的 RUN 中没有安装命令/);
});

test('fix: merge with the next RUN when it installs', async () => {
  assert.equal(
    await applyFix(ID, 'FROM a\nRUN apt-get update\nRUN apt-get install -y curl\n'),
    'FROM a\nRUN apt-get update && \\\n    apt-get install -y curl\n',
  );
  assert.equal(
    await applyFix(ID, 'FROM a\nRUN apk update # refresh\n# then install\nRUN apk add \\\n    curl \\\n    git\n'),
    'FROM a\n# refresh\nRUN apk update && \\\n    # then install\n    apk add \\\n        curl \\\n        git\n',
  );
  // only the pair: a third RUN stays as it is
  assert.equal(
    await applyFix(ID, 'FROM a\nRUN apt-get update\nRUN apt-get install -y x\nRUN make\n'),
    'FROM a\nRUN apt-get update && \\\n    apt-get install -y x\nRUN make\n',
  );
  const [proposal] = await fixes(ID, 'FROM a\nRUN apt-get update\nRUN apt-get install -y x\n');
  assert.equal(proposal!.preferred, true);
  assert.equal(proposal!.title['zh-cn'], '与下一条 RUN 合并');
  assert.deepEqual(await data('FROM a\nRUN apt-get update\n\nRUN apt-get install -y x\n'), { next: 3 });
});

test('no fix: the next instruction is not a RUN that installs, or the merge is not safe', async () => {
  const cases: [string, string][] = [
    ['FROM a\nRUN apt-get update\n', 'no-install-next'],
    ['FROM a\nRUN apt-get update\nCOPY . .\nRUN apt-get install -y x\n', 'no-install-next'],
    ['FROM a\nRUN apt-get update\nRUN echo hi\n', 'no-install-next'],
    ['FROM a\nRUN apk update\nRUN --mount=type=cache,target=/var/cache/apk apk add x\n', 'flags'],
    ['FROM a\nRUN apt-get update\nRUN ["apt-get", "install", "-y", "x"]\n', 'no-install-next'],
    ['FROM a\nRUN apt-get update\nRUN <<EOF\napt-get install -y x\nEOF\n', 'heredoc'],
  ];
  for (const [text, code] of cases) {
    assert.deepEqual(await fixes(ID, text), [], text);
    const d = await data(text);
    assert.equal(d.reasonCode, code, text);
    assert.ok(d.reason && /[\u4e00-\u9fff]/.test(d.reason['zh-cn']), text);
  }
});
