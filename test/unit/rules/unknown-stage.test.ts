import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expectFindings, findings } from '../../helpers/rules';

const ID = 'unknown-stage';

test('COPY --from a name that is no earlier stage', async () => {
  await expectFindings(ID, 'FROM a:1 AS build\nFROM b:1\nCOPY --from=«bild» /out /\n');
  await expectFindings(ID, 'FROM b:1\nCOPY --from=«builder» /out /\n');
  await expectFindings(ID, 'FROM b:1\nCOPY --chown=1:1 \\\n  --from=«builder» \\\n  /out /\n');
});

test('RUN --mount=from= is a stage reference too', async () => {
  await expectFindings(ID, 'FROM a:1 AS deps\nFROM b:1\nRUN --mount=type=cache,from=«dep»,target=/x make\n');
  await expectFindings(ID, 'FROM a:1 AS deps\nFROM b:1\nRUN --mount=from=deps,target=/x make\n');
});

test('a stage defined later, the current stage, a bad index', async () => {
  const later = await expectFindings(ID, 'FROM b:1\nCOPY --from=«later» /a /\nFROM c:1 AS later\n');
  assert.match(later[0]!.message, /defined later, on line 3/);
  const self = await expectFindings(ID, 'FROM b:1 AS me\nCOPY --from=«me» /a /\n');
  assert.match(self[0]!.message, /cannot copy from itself/);
  await expectFindings(ID, 'FROM a:1\nFROM b:1\nCOPY --from=0 /a /\nCOPY --from=«1» /a /\nCOPY --from=«5» /a /\n');
});

test('earlier stages (any case), images, indexes and variables are fine', async () => {
  await expectFindings(ID, 'FROM a:1 AS Build\nFROM b:1\nCOPY --from=build /a /\nCOPY --from=BUILD /a /\n');
  await expectFindings(ID, 'FROM b:1\nCOPY --from=nginx:1.25 /etc/nginx /etc/nginx\n');
  await expectFindings(ID, 'FROM b:1\nCOPY --from=ghcr.io/org/tool /bin/tool /bin/\n');
  await expectFindings(ID, 'FROM b:1\nCOPY --from=tool@sha256:abc /bin/tool /bin/\n');
  await expectFindings(ID, 'FROM a:1 AS my.stage\nFROM b:1\nCOPY --from=my.stage /a /\n');
  await expectFindings(ID, 'FROM b:1\nARG FROM_STAGE\nCOPY --from=$FROM_STAGE /a /\n');
  await expectFindings(ID, 'ARG V=a\nFROM a:1 AS stage-a\nFROM b:1\nARG V\nCOPY --from=stage-${V} /a /\n');
});

test('ONBUILD triggers run in another build: not checked', async () => {
  await expectFindings(ID, 'FROM b:1\nONBUILD COPY --from=builder /a /\n');
});

test('messages in both languages', async () => {
  const en = await findings(ID, 'FROM a:1 AS build\nFROM b:1\nCOPY --from=biuld /a /\n');
  assert.match(en.diagnostics[0]!.message, /did you mean `build`\?/);
  const zh = await findings(ID, 'FROM b:1\nCOPY --from=x /a /\n', 'zh-cn');
  assert.match(zh.diagnostics[0]!.message, /此行之前没有名为 `x` 的阶段/);
});
