import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, expectFindings, findings, fixes } from '../../helpers/rules';

const ID = 'copy-then-chown';

test('a chown of what a COPY/ADD added is reported on the chown command', async () => {
  await expectFindings(ID, 'FROM a\nCOPY . /app\nRUN «chown -R node:node /app»\n');
  await expectFindings(ID, 'FROM a\nWORKDIR /app\nCOPY . .\nRUN «chown -R www-data:www-data /app»\n');
  await expectFindings(ID, 'FROM a\nCOPY src/ /srv/app/src/\nRUN «chown -R app /srv»\n');
  await expectFindings(ID, 'FROM a\nADD app.jar /opt/app.jar\nRUN «chown app:app /opt/app.jar»\n');
  await expectFindings(
    ID,
    'FROM a\nCOPY entrypoint.sh /usr/local/bin/\nRUN chmod +x /usr/local/bin/entrypoint.sh && «chown app /usr/local/bin/entrypoint.sh»\n',
  );
  await expectFindings(ID, 'FROM a\nCOPY conf /etc/app\nRUN cd /etc && «chown -R app app»\n');
});

test('continuations, heredocs and ONBUILD', async () => {
  await expectFindings(ID, 'FROM a\nCOPY . /app\nRUN npm ci \\\n && «chown -R \\\n    node /app»\n');
  await expectFindings(ID, 'FROM a\nCOPY . /app\nRUN <<EOF\nnpm ci\n«chown -R node /app»\nEOF\n');
  await expectFindings(ID, 'FROM a\nONBUILD COPY . /app\nONBUILD RUN «chown -R node /app»\n');
});

test('other paths, non-recursive chown of a directory, other stages and unknown paths are fine', async () => {
  await expectFindings(ID, 'FROM a\nCOPY . /app\nRUN chown -R node /data\n');
  await expectFindings(ID, 'FROM a\nCOPY . /app\nRUN chown node /app\n');
  await expectFindings(ID, 'FROM a\nCOPY . /app\nRUN chown -R node /app/data\n');
  await expectFindings(ID, 'FROM a AS build\nCOPY . /app\nFROM b\nRUN chown -R node /app\n');
  await expectFindings(ID, 'FROM a\nCOPY . .\nRUN chown -R node /app\n'); // unknown WORKDIR
  await expectFindings(ID, 'FROM a\nCOPY . /app\nRUN chown -R "$USER" "$APP_DIR"\n');
  await expectFindings(ID, 'FROM a\nCOPY . /app\nRUN chown -R --reference=/home/node /app\n');
  await expectFindings(ID, 'FROM a\nCOPY . /app\nRUN ["chown", "-R", "node", "/app"]\n');
  await expectFindings(ID, 'FROM a\nCOPY . /app\nSHELL ["pwsh", "-c"]\nRUN chown -R node /app\n');
});

test('messages in both languages; related information on the COPY', async () => {
  const { diagnostics } = await findings(ID, 'FROM a\nCOPY . /app\nRUN chown -R node:node /app\n');
  assert.match(diagnostics[0]!.message, /COPY --chown=node:node/);
  assert.equal(diagnostics[0]!.relatedInformation?.[0]?.location.range.start.line, 1);
  const zh = await findings(ID, 'FROM a\nCOPY . /app\nRUN chown -R node:node /app\n', 'zh-cn');
  assert.match(zh.diagnostics[0]!.message, /存储了两份/);
});

test('fix: --chown on the COPY and the RUN removed, when the RUN is only that chown', async () => {
  assert.equal(
    await applyFix(ID, 'FROM a\nCOPY . /app\nRUN chown -R node:node /app\nCMD ["node", "/app"]\n'),
    'FROM a\nCOPY --chown=node:node . /app\nCMD ["node", "/app"]\n',
  );
  assert.equal(
    await applyFix(
      ID,
      'FROM a\nWORKDIR /app\n# sources\nCOPY --from=build /out/ ./\nENV X=1\n# fix ownership\nRUN chown -R 1000:1000 /app\n',
    ),
    'FROM a\nWORKDIR /app\n# sources\nCOPY --chown=1000:1000 --from=build /out/ ./\nENV X=1\n# fix ownership\n',
  );
  assert.equal(
    await applyFix(ID, 'FROM a\nCOPY --chown=root a.jar /a.jar\nRUN chown app /a.jar'),
    'FROM a\nCOPY --chown=app a.jar /a.jar',
  );
  assert.equal(
    await applyFix(ID, 'FROM a\nCOPY a /srv/a\nCOPY b /srv/b\nRUN chown -R app \\\n    /srv/a /srv/b\n'),
    'FROM a\nCOPY --chown=app a /srv/a\nCOPY --chown=app b /srv/b\n',
  );
  assert.equal(
    await applyFix(ID, 'FROM a\nONBUILD COPY . /app\nONBUILD RUN chown -R node /app\n'),
    'FROM a\nONBUILD COPY --chown=node . /app\n',
  );
  const proposals = await fixes(ID, 'FROM a\nCOPY . /app\nRUN chown -R node /app\n');
  assert.equal(proposals[0]!.preferred, false); // an existing destination directory keeps its owner
});

test('no fix when the RUN does more, something between writes files, or the chown is unusual', async () => {
  for (const text of [
    'COPY . /app\nRUN npm ci && chown -R node /app',
    'COPY . /app\nRUN chown -R node /app # owner',
    'COPY . /app\nRUN npm ci\nRUN chown -R node /app',
    'COPY . /app\nRUN chown -R node /srv /app',
    'COPY . /app/src\nRUN chown -R node /app',
    'COPY . /app\nRUN chown -R -v node /app',
    'COPY . /app\nRUN chown -R "$U" /app',
    'COPY . /app\nRUN sudo chown -R node /app',
    'COPY . /app\nRUN chown -R node \\\n# comment\n  /app',
  ]) {
    assert.deepEqual(await fixes(ID, `FROM a\n${text}\n`), [], text);
  }
});
