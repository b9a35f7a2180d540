import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, expectFindings, findings, fixes } from '../../helpers/rules';

const ID = 'apt-lists-cleanup';

test('apt-get update + install without removing the lists is reported on `apt-get update`', async () => {
  await expectFindings(ID, 'FROM a\nRUN «apt-get update» && apt-get install -y python\n');
  await expectFindings(ID, 'FROM a\nRUN «apt update» && apt install -y python\n');
  await expectFindings(ID, 'FROM a\nRUN «aptitude update» && aptitude install python\n');
  await expectFindings(ID, 'FROM a\nRUN «apt-get -q update» && apt-get -y upgrade\n');
  await expectFindings(ID, 'FROM a\nRUN «apt-get update» && apt-get install -y x && apt-get clean\n');
  // a typo in the path is still a finding
  await expectFindings(ID, 'FROM a\nRUN «apt-get update» && apt-get install -y x && rm -rf /var/lib/apt-lists/*\n');
});

test('continuations, heredocs and ONBUILD', async () => {
  await expectFindings(ID, 'FROM a\nRUN set -eux; \\\n\t«apt-get update»; \\\n\tapt-get install -y x\n');
  await expectFindings(ID, 'FROM a\nRUN <<EOF\n«apt-get update»\napt-get install -y git\nEOF\n');
  await expectFindings(ID, 'FROM a\nONBUILD RUN «apt-get update» && apt-get install -y x\n');
});

test('the lists removed, cleaned or kept out of the layer are fine', async () => {
  await expectFindings(ID, 'FROM a\nRUN apt-get update && apt-get install -y x && rm -rf /var/lib/apt/lists/*\n');
  await expectFindings(ID, 'FROM a\nRUN apt-get update && apt-get install -y x && rm -rf /var/lib/apt/lists\n');
  await expectFindings(ID, 'FROM a\nRUN apt-get update && apt-get install -y x; rm -rf /var/lib/apt/lists/* /tmp/*\n');
  await expectFindings(ID, 'FROM a\nRUN apt-get update && apt-get install -y x && find /var/lib/apt/lists -delete\n');
  await expectFindings(ID, 'FROM a\nRUN set -eux; apt-get update; apt-get install -y x; apt-get dist-clean\n');
  await expectFindings(ID, 'FROM a\nRUN apt-get update && apt-get install -y x && /usr/bin/clean-layer.sh\n');
  await expectFindings(
    ID,
    'FROM a\nRUN <<EOF\napt-get update\napt-get install -y git\nrm -rf /var/lib/apt/lists/*\nEOF\n',
  );
  await expectFindings(
    ID,
    'FROM a\nRUN --mount=type=cache,target=/var/lib/apt/lists \\\n    apt-get update && apt-get install -y python\n',
  );
  await expectFindings(
    ID,
    'FROM a\nRUN --mount=type=cache,target=/var/cache/apt --mount=type=cache,target=/var/lib/apt \\\n    apt-get update && apt-get install -y x\n',
  );
  await expectFindings(
    ID,
    'FROM a\nRUN --mount=type=tmpfs,target=/var/lib/apt apt-get update && apt-get install -y x\n',
  );
});

test('a cache mount on /var/cache/apt only keeps the lists in the layer (as hadolint)', async () => {
  await expectFindings(
    ID,
    'FROM a\nRUN --mount=type=cache,target=/var/cache/apt \\\n    «apt-get update» && apt-get install -y python\n',
  );
});

test('update alone is apt-update-alone, not this rule; exec form and PowerShell are fine', async () => {
  await expectFindings(ID, 'FROM a\nRUN apt-get update\n');
  await expectFindings(ID, 'FROM a\nRUN apt-get install -y x\n');
  await expectFindings(ID, 'FROM a\nRUN ["apt-get", "update"]\n');
  await expectFindings(ID, 'FROM a\nSHELL ["pwsh", "-c"]\nRUN apt-get update; apt-get install -y x\n');
});

test('only stages that end up in an image (as hadolint DL3009)', async () => {
  // a build stage nobody builds on: its lists never ship
  await expectFindings(
    ID,
    'FROM ubuntu AS build\nRUN apt-get update && apt-get install -y gcc\nFROM scratch\nCOPY --from=build /x /x\n',
  );
  // the last stage, and a stage another one builds FROM
  await expectFindings(
    ID,
    'FROM ubuntu AS base\nRUN «apt-get update» && apt-get install -y x\nFROM base\nRUN echo hi\n',
  );
  await expectFindings(
    ID,
    'FROM ubuntu AS build\nRUN make\nFROM debian\nRUN «apt-get update» && apt-get install -y x\n',
  );
  // an ONBUILD trigger runs in whatever image builds on this one
  await expectFindings(
    ID,
    'FROM ubuntu AS foo\nONBUILD RUN «apt-get update» && apt-get install -y x\nFROM scratch\nRUN hi\n',
  );
});

test('messages in both languages', async () => {
  const zh = await findings(ID, 'FROM a\nRUN apt-get update && apt-get install -y x\n', 'zh-cn');
  assert.match(zh.diagnostics[0]!.message, /rm -rf \/var\/lib\/apt\/lists\/\*/);
  assert.match(zh.diagnostics[0]!.message, /软件包列表/);
});

test('fix: append the rm to the last command of the RUN', async () => {
  assert.equal(
    await applyFix(ID, 'FROM a\nRUN apt-get update && apt-get install -y x\n'),
    'FROM a\nRUN apt-get update && apt-get install -y x && rm -rf /var/lib/apt/lists/*\n',
  );
  // continuation lines, a comment line inside, a trailing `;` and a trailing comment
  assert.equal(
    await applyFix(
      ID,
      'FROM a\nRUN apt-get update \\\n    # tools\n    && apt-get install -y \\\n      curl \\\n      git\n',
    ),
    'FROM a\nRUN apt-get update \\\n    # tools\n    && apt-get install -y \\\n      curl \\\n      git && rm -rf /var/lib/apt/lists/*\n',
  );
  assert.equal(
    await applyFix(ID, 'FROM a\nRUN set -eux; apt-get update; apt-get install -y x; # done\n'),
    'FROM a\nRUN set -eux; apt-get update; apt-get install -y x && rm -rf /var/lib/apt/lists/*; # done\n',
  );
  assert.equal(
    await applyFix(ID, 'FROM a\nRUN apt-get update && apt-get install -y x \\\n    # trailing comment line\n'),
    'FROM a\nRUN apt-get update && apt-get install -y x && rm -rf /var/lib/apt/lists/* \\\n    # trailing comment line\n',
  );
  // the file's escape character and ONBUILD
  assert.equal(
    await applyFix(ID, '# escape=`\nFROM a\nRUN apt-get update && `\n    apt-get install -y x\n'),
    '# escape=`\nFROM a\nRUN apt-get update && `\n    apt-get install -y x && rm -rf /var/lib/apt/lists/*\n',
  );
  assert.equal(
    await applyFix(ID, 'FROM a\nONBUILD RUN apt-get update && apt-get install -y x\n'),
    'FROM a\nONBUILD RUN apt-get update && apt-get install -y x && rm -rf /var/lib/apt/lists/*\n',
  );
  assert.equal(
    await applyFix(ID, 'FROM a\nRUN if true; then apt-get update && apt-get install -y x; fi\n'),
    'FROM a\nRUN if true; then apt-get update && apt-get install -y x; fi && rm -rf /var/lib/apt/lists/*\n',
  );
});

test('no fix for heredocs, a trailing & or a later RUN that needs the lists', async () => {
  assert.deepEqual(await fixes(ID, 'FROM a\nRUN <<EOF\napt-get update\napt-get install -y x\nEOF\n'), []);
  assert.deepEqual(await fixes(ID, 'FROM a\nRUN apt-get update && apt-get install -y x &\n'), []);
  assert.deepEqual(
    await fixes(ID, 'FROM a\nRUN apt-get update && apt-get install -y x\nRUN apt-get install -y y\n'),
    [],
  );
  const { diagnostics } = await findings(ID, 'FROM a\nRUN <<EOF\napt-get update\napt-get install -y x\nEOF\n');
  assert.equal(diagnostics.length, 1);
  // a later RUN with its own update does not need these lists
  assert.equal(
    await applyFix(
      ID,
      'FROM a\nRUN apt-get update && apt-get install -y x\nRUN apt-get update && apt-get install -y y\n',
    ),
    'FROM a\nRUN apt-get update && apt-get install -y x && rm -rf /var/lib/apt/lists/*\nRUN apt-get update && apt-get install -y y\n',
  );
});
