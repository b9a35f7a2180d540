import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, expectFindings, findings, fixes } from '../../helpers/rules';

const ID = 'stage-name-casing';

test('a stage name with capitals is reported on the name', async () => {
  await expectFindings(ID, 'FROM a:1 AS «Build»\n');
  await expectFindings(ID, 'FROM a:1 as «BUILD»\nFROM b:1 AS «myStage»\n');
});

test('lowercase names and unnamed stages are fine', async () => {
  await expectFindings(ID, 'FROM a:1 AS build\nFROM a:1 AS build-2.x_y\nFROM a:1\n');
  await expectFindings(ID, 'FROM Registry.Example.com/App:1\n');
});

test('fix: lowercases the name and every later reference, in one edit set', async () => {
  const text = [
    'FROM golang:1 AS Build',
    'RUN make',
    'FROM Build AS Test',
    'RUN --mount=type=cache,from=Build,target=/c go test',
    'FROM alpine:3',
    'COPY --from=Build /out /bin/',
    'COPY --from=build /out2 /bin/',
    '',
  ].join('\n');
  assert.equal(
    await applyFix(ID, text),
    [
      'FROM golang:1 AS build',
      'RUN make',
      'FROM build AS Test',
      'RUN --mount=type=cache,from=build,target=/c go test',
      'FROM alpine:3',
      'COPY --from=build /out /bin/',
      'COPY --from=build /out2 /bin/',
      '',
    ].join('\n'),
  );
  const [proposal] = await fixes(ID, text);
  assert.equal(proposal!.preferred, true);
  assert.deepEqual(proposal!.titleArgs, ['build', 3]);
});

test('fix: references before the definition are images and stay as written', async () => {
  assert.equal(
    await applyFix(ID, 'FROM Tool\nFROM a:1 AS Tool\nFROM b:1\nCOPY --from=Tool /x /x\n'),
    'FROM Tool\nFROM a:1 AS tool\nFROM b:1\nCOPY --from=tool /x /x\n',
  );
});

test('fix: ONBUILD references belong to the child build and stay as written', async () => {
  assert.equal(
    await applyFix(ID, 'FROM a:1 AS Base\nFROM b:1\nONBUILD COPY --from=Base /x /x\n'),
    'FROM a:1 AS base\nFROM b:1\nONBUILD COPY --from=Base /x /x\n',
  );
});

test('no fix offered when the finding no longer matches a stage name', async () => {
  const { RULES } = await import('../../../server/src/service/rules');
  const { getService, doc } = await import('../../helpers/service');
  const service = await getService();
  const rule = RULES.find((r) => r.id === ID)!;
  const model = service.getModel(doc('FROM a:1 AS build\n'));
  const range = { start: { line: 0, character: 12 }, end: { line: 0, character: 17 } };
  assert.deepEqual(rule.fix!({ model, range, data: undefined }), []);
});

test('messages in both languages', async () => {
  const en = await findings(ID, 'FROM a:1 AS Build\n');
  assert.match(en.diagnostics[0]!.message, /Use `build`\.$/);
  const zh = await findings(ID, 'FROM a:1 AS Build\n', 'zh-cn');
  assert.match(zh.diagnostics[0]!.message, /请改为 `build`/);
});
