import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expectFindings, findings, rule } from '../../helpers/rules';

const ID = 'pipefail';

test('a pipe without pipefail is reported on the first |, once per RUN', async () => {
  await expectFindings(ID, 'FROM a\nRUN wget -O - https://some.site «|» wc -l > /number\n');
  await expectFindings(ID, 'FROM a\nRUN curl -fsSL https://x/key.gpg «|» gpg --dearmor | tee k > /dev/null\n');
  await expectFindings(ID, 'FROM a\nRUN curl -fsSL https://x «|» sh && ls | wc -l\n');
  await expectFindings(ID, 'FROM a\nRUN X="$(curl -fsSL https://x «|» jq -r .v)" && echo "$X"\n');
  await expectFindings(ID, 'FROM a\nRUN make 2>&1 «|&» tee build.log\n');
});

test('continuations, heredocs and ONBUILD', async () => {
  await expectFindings(ID, 'FROM a\nRUN apt-get update \\\n  && curl -L https://x \\\n    «|» tar xz\n');
  await expectFindings(ID, 'FROM a\nRUN <<EOF\ncurl -L https://x «|» tar xz\nEOF\n');
  await expectFindings(ID, 'FROM a\nONBUILD RUN curl -L https://x «|» tar xz\n');
});

test('SHELL with -o pipefail (bash, zsh, ash), as hadolint DL4006', async () => {
  await expectFindings(ID, 'FROM a\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN curl -L x | tar xz\n');
  await expectFindings(ID, 'FROM a\nSHELL ["/bin/bash", "-eo", "pipefail", "-c"]\nRUN curl -L x | tar xz\n');
  await expectFindings(ID, 'FROM a\nSHELL ["/usr/local/bin/zsh", "-o", "pipefail", "-c"]\nRUN curl -L x | tar xz\n');
  await expectFindings(ID, 'FROM a\nSHELL ["/bin/ash", "-euo", "pipefail", "-c"]\nRUN curl -L x | tar xz\n');
  // plain sh may be dash, which has no pipefail: still reported
  await expectFindings(ID, 'FROM a\nSHELL ["/bin/sh", "-o", "pipefail", "-c"]\nRUN curl -L x «|» tar xz\n');
  // the SHELL ends with its stage, and a later SHELL replaces it
  await expectFindings(ID, 'FROM a\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN a | b\nFROM c\nRUN a «|» b\n');
  await expectFindings(
    ID,
    'FROM a\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN a | b\nSHELL ["/bin/sh", "-c"]\nRUN a «|» b\n',
  );
});

test('set -o pipefail earlier in the same RUN (unlike hadolint, which ignores it)', async () => {
  await expectFindings(ID, 'FROM a\nRUN set -o pipefail && curl -L x | tar xz\n');
  await expectFindings(ID, 'FROM a\nRUN set -euxo pipefail; curl -L x | tar xz\n');
  await expectFindings(ID, 'FROM a\nRUN set -o errexit -o pipefail; curl -L x | tar xz\n');
  await expectFindings(ID, 'FROM a\nRUN curl -L x «|» tar xz; set -o pipefail\n');
});

test('pipes pipefail cannot change are fine (a deliberate difference from hadolint)', async () => {
  await expectFindings(ID, 'FROM a\nRUN echo "$SHA256 *go.tgz" | sha256sum -c -\n');
  await expectFindings(ID, 'FROM a\nRUN printf "%s\\n" a b | sort\n');
  await expectFindings(ID, 'FROM a\nRUN yes | ./configure\n');
  await expectFindings(ID, 'FROM a\nRUN cp x "/out/$(echo $P | sed s,/,-,g)" && ls "$(find . | head -1)"\n');
  await expectFindings(ID, 'FROM a\nRUN export V="$(cat /v | tr -d .)" && [ "$(uname -m | tr A-Z a-z)" = x86_64 ]\n');
});

test('no pipe, ||, exec form and non-POSIX shells are fine', async () => {
  await expectFindings(ID, 'FROM a\nRUN wget -O - https://some.site && wc -l file > /number\n');
  await expectFindings(ID, 'FROM a\nRUN a || b\n');
  await expectFindings(ID, 'FROM a\nRUN case "$x" in a|b) echo ab ;; esac\n');
  await expectFindings(ID, 'FROM a\nRUN ["sh", "-c", "a | b"]\n');
  await expectFindings(
    ID,
    'FROM a\nSHELL ["pwsh", "-c"]\nRUN Get-Variable PSVersionTable | Select-Object -ExpandProperty Value\n',
  );
  await expectFindings(ID, 'FROM a\nSHELL ["cmd.exe", "/c"]\nRUN type x | find "y"\n');
});

test('Windows base images run cmd, not /bin/sh, unless a SHELL says otherwise', async () => {
  await expectFindings(ID, 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN type x | find "y"\n');
  await expectFindings(ID, 'FROM mcr.microsoft.com/dotnet/runtime:8.0-nanoserver-ltsc2022\nRUN type x | find "y"\n');
  await expectFindings(
    ID,
    'ARG BASE=mcr.microsoft.com/windows/nanoserver\nFROM ${BASE}:ltsc2022 AS build\nRUN a | b\nFROM build\nRUN c | d\n',
  );
  await expectFindings(ID, 'FROM mcr.microsoft.com/windows/servercore\nSHELL ["bash", "-c"]\nRUN a «|» b\n');
  await expectFindings(ID, 'FROM mcr.microsoft.com/windows/servercore AS w\nFROM debian\nRUN a «|» b\n');
});

test('messages in both languages; no fix', async () => {
  const zh = await findings(ID, 'FROM a\nRUN a | b\n', 'zh-cn');
  assert.match(zh.diagnostics[0]!.message, /set -o pipefail/);
  assert.match(zh.diagnostics[0]!.message, /管道只在最后一个命令失败时才算失败/);
  assert.equal(rule(ID).fix, undefined);
});
