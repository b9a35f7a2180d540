import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { getService } from '../helpers/service';
import { marked, showRange } from '../helpers/markers';

/** `«»` marks every expected occurrence; `<|>` is where the request is made. */
async function expectReferences(text: string, includeDeclaration = true): Promise<void> {
  const service = await getService();
  const { document, position, ranges } = marked(text);
  const found = service.references(document, position, includeDeclaration).map((l) => showRange(l.range));
  assert.deepEqual(found, ranges.map(showRange), text);
}

async function definitionRanges(text: string): Promise<{ found: string[] | null; expected: string[] }> {
  const service = await getService();
  const { document, position, ranges } = marked(text);
  const found = service.definition(document, position);
  return { found: found && found.map((l) => showRange(l.range)), expected: ranges.map(showRange) };
}

/** The definitions, in any order (the nearest comes first, see symbolIndex.ts). */
async function expectDefinition(text: string): Promise<void> {
  const { found, expected } = await definitionRanges(text);
  assert.deepEqual(found && [...found].sort(), [...expected].sort(), text);
}

async function renamed(text: string, newName: string): Promise<string> {
  const service = await getService();
  const { document, position } = marked(text);
  const result = service.rename(document, position, newName, { lang: 'en' });
  assert.ok(result && !('rejected' in result), `rename refused: ${JSON.stringify(result)}`);
  const edits: TextEdit[] = (result as WorkspaceEdit).changes![document.uri]!;
  return TextDocument.applyEdits(document, edits);
}

test('stage names: definition from FROM, COPY --from and RUN --mount from=', async () => {
  await expectDefinition('FROM golang:1.23 AS «build»\nFROM scratch\nCOPY --from=bu<|>ild /out /app\n');
  await expectDefinition('FROM alpine AS «base»\nFROM ba<|>se\n');
  await expectDefinition('FROM alpine AS «deps»\nFROM alpine\nRUN --mount=type=bind,from=de<|>ps,target=/d ls /d\n');
  // By index: stage 0.
  await expectDefinition('FROM alpine AS «first»\nFROM scratch\nCOPY --from=<|>0 /x /x\n');
  // Case-insensitive, as BuildKit compares stage names.
  await expectDefinition('FROM alpine AS «Build»\nFROM scratch\nCOPY --from=BUI<|>LD /x /x\n');
});

test('stage names: references include AS, FROM, COPY --from, --mount from=, in order', async () => {
  await expectReferences(
    [
      'FROM golang:1.23 AS «bu<|>ild»',
      'RUN go build -o /out ./...',
      'FROM «build» AS test',
      'RUN go test ./...',
      'FROM alpine',
      'RUN --mount=type=cache,from=«build»,target=/c ls /c',
      'COPY --from=«BUILD» /out /app',
      '',
    ].join('\n'),
  );
  // Without the declaration.
  await expectReferences('FROM alpine AS base\nFROM «base»\nFROM scratch\nCOPY --from=«ba<|>se» /a /a\n', false);
});

test('stage names: a later stage, an image of the same name with a tag, and variables are not references', async () => {
  await expectReferences('FROM build\nFROM alpine AS «bu<|>ild»\nFROM scratch\nCOPY --from=«build» /a /a\n');
  await expectReferences('FROM alpine AS «bas<|>e»\nFROM base:1.0\nFROM $base\n');
  assert.deepEqual((await definitionRanges('FROM bu<|>ild\nFROM alpine AS build\n')).found, null);
});

test('stage names: rename everywhere, keeping the rest; numbers stay', async () => {
  const text = [
    'FROM golang:1.23 AS build',
    'FROM build AS test',
    'FROM alpine',
    'RUN --mount=type=cache,from=build,target=/c ls',
    'COPY --from=Build /out /app',
    'COPY --from=0 /x /x',
    '',
  ].join('\n');
  const after = await renamed(text.replace('AS build', 'AS bu<|>ild'), 'compile');
  assert.equal(
    after,
    [
      'FROM golang:1.23 AS compile',
      'FROM compile AS test',
      'FROM alpine',
      'RUN --mount=type=cache,from=compile,target=/c ls',
      'COPY --from=compile /out /app',
      'COPY --from=0 /x /x',
      '',
    ].join('\n'),
  );
  // From a use site, too.
  assert.equal(
    await renamed('FROM a AS x\nFROM scratch\nCOPY --from=<|>x /a /a\n', 'y'),
    'FROM a AS y\nFROM scratch\nCOPY --from=y /a /a\n',
  );
});

test('stage names: rename validates the new name and refuses an existing stage', async () => {
  const service = await getService();
  const { document, position } = marked('FROM a AS bu<|>ild\nFROM b AS test\nFROM scratch\nCOPY --from=build / /\n');
  for (const bad of ['Build', '1st', 'my stage', '', 'a/b']) {
    const result = service.rename(document, position, bad, { lang: 'en' });
    assert.ok(result && 'rejected' in result, bad);
    assert.match(result.rejected, /not a valid stage name/);
  }
  const zh = service.rename(document, position, 'Bad', { lang: 'zh-cn' });
  assert.ok(zh && 'rejected' in zh);
  assert.match(zh.rejected, /不是有效的构建阶段名/);
  const clash = service.rename(document, position, 'test', { lang: 'en' });
  assert.ok(clash && 'rejected' in clash);
  assert.match(clash.rejected, /already exists/);
  for (const good of ['b', 'build-2', 'my_stage.v1']) {
    const result = service.rename(document, position, good, { lang: 'en' });
    assert.ok(result && !('rejected' in result), good);
  }
});

test('prepareRename: the name under the cursor; nothing on keywords, images, numbers', async () => {
  const service = await getService();
  const prepare = (text: string) => {
    const { document, position } = marked(text);
    const result = service.prepareRename(document, position);
    return result && { range: showRange(result.range), placeholder: result.placeholder };
  };
  assert.deepEqual(prepare('FROM a AS Bu<|>ild\n'), { range: '0:10-0:15', placeholder: 'Build' });
  assert.deepEqual(prepare('ARG V=1\nFROM alpine:$<|>V\n'), { range: '1:13-1:14', placeholder: 'V' });
  assert.equal(prepare('FR<|>OM a AS b\n'), null);
  assert.equal(prepare('FROM alp<|>ine\n'), null);
  assert.equal(prepare('FROM a\nFROM b\nCOPY --from=<|>0 / /\n'), null);
  assert.equal(prepare('FROM a\nRUN echo $HO<|>ME\n'), null);
});

test('variables: global ARG in FROM lines; a stage sees it only after re-declaring it', async () => {
  await expectReferences(
    [
      'ARG «VER<|>SION»=1.2',
      'FROM alpine:$«VERSION» AS a',
      'RUN echo $VERSION',
      'FROM alpine:${«VERSION»}',
      'ARG «VERSION»',
      'RUN echo "$«VERSION»"',
      '',
    ].join('\n'),
  );
});

test('variables: definition of a re-declared global ARG shows the stage ARG and the global default', async () => {
  await expectDefinition('ARG «V»=1\nFROM a\nARG «V»\nRUN echo $<|>V\n');
  // With its own default, the stage ARG alone gives the value.
  await expectDefinition('ARG V=1\nFROM a\nARG «V»=2\nRUN echo $<|>V\n');
  await expectDefinition('ARG «V»=1\nFROM a:$<|>V\n');
});

test('variables: stage scope, redefinitions are one variable, uses before the definition are not', async () => {
  await expectReferences(
    [
      'FROM alpine',
      'RUN echo $APP',
      'ENV «APP»=/srv',
      'WORKDIR $«APP»/data',
      'ENV «APP»=$«A<|>PP»/v2',
      'COPY . ${«APP»}',
      'FROM alpine',
      'RUN echo $APP',
      '',
    ].join('\n'),
  );
});

test('variables: ENV is inherited by child stages (FROM parent), ARG is not', async () => {
  await expectReferences(
    [
      'FROM alpine AS base',
      'ENV «HO<|>ME_DIR»=/srv',
      'ARG TOKEN',
      'FROM base AS child',
      'WORKDIR $«HOME_DIR»',
      'RUN echo $TOKEN',
      'FROM child',
      'CMD ["sh", "-c", "echo $HOME_DIR"]',
      'CMD echo $«HOME_DIR»',
      'FROM alpine',
      'RUN echo $HOME_DIR',
      '',
    ].join('\n'),
  );
});

test('variables: ENV passes down a chain of stages; a redefinition in between starts a new variable', async () => {
  await expectReferences(
    [
      'FROM alpine AS s0',
      'ENV «X<|>»=1',
      'FROM s0 AS s1',
      'RUN echo $«X»',
      'FROM s1 AS s2',
      'RUN echo $«X»',
      'ENV X=$«X»:2',
      'RUN echo $X',
      'FROM s2',
      'RUN echo $X',
      '',
    ].join('\n'),
  );
});

test('variables: CMD/ENTRYPOINT/HEALTHCHECK see ENV only (ARG is gone when the container runs)', async () => {
  await expectReferences('FROM a\nARG «P<|>ORT»=80\nRUN echo $«PORT»\nCMD echo $PORT\nHEALTHCHECK CMD curl :$PORT\n');
  await expectReferences(
    'FROM a\nENV «P<|>ORT»=80\nRUN echo $«PORT»\nCMD echo $«PORT»\nHEALTHCHECK CMD curl :$«PORT»\nENTRYPOINT ["x", "$PORT"]\n',
  );
});

test('variables in shell bodies: quotes, ${X:-d}, arithmetic, heredocs; not single-quoted or shell-assigned', async () => {
  await expectReferences(
    [
      'FROM a',
      'ARG «N<|>»=1',
      'RUN echo $«N» "${«N»:-0}" \'$N\' $((«N» + 1)) \\',
      '    && echo `echo $«N»`',
      'RUN <<EOF',
      'echo $«N»',
      'EOF',
      'RUN N=2; echo $N',
      'RUN echo \\$N',
      '',
    ].join('\n'),
  );
});

test('variables in builder-expanded instructions: nested ${A:-$B}, not escaped, not single-quoted', async () => {
  await expectReferences('FROM a\nENV «B<|>»=1\nENV C=${A:-$«B»} D=\'$B\' E=\\$B F="$«B»"\nLABEL x=$«B»\n');
});

test('variables: --mount options and COPY flags are expanded by the builder', async () => {
  await expectReferences(
    'FROM a\nARG «U<|>ID»=1000\nCOPY --chown=$«UID» . /app\nRUN --mount=type=cache,target=/c,uid=$«UID» ls\n',
  );
});

test('document highlights: write for definitions, read for uses', async () => {
  const service = await getService();
  const { document, position } = marked('FROM a\nENV X=1\nRUN echo $<|>X\n');
  assert.deepEqual(
    service.documentHighlights(document, position).map((h) => [showRange(h.range), h.kind]),
    [
      ['1:4-1:5', 3],
      ['2:10-2:11', 2],
    ],
  );
  const keyword = marked('FR<|>OM a\n');
  assert.deepEqual(service.documentHighlights(keyword.document, keyword.position), []);
});

test('variables: rename everywhere it is in scope (global + re-declaration, inherited ENV)', async () => {
  const text = [
    'ARG VERSION=1',
    'FROM alpine:$VERSION AS base',
    'ARG VERSION',
    'ENV DIR=/v$VERSION',
    'RUN echo "${VERSION}" $DIR',
    'FROM base',
    'RUN echo $DIR $VERSION',
    '',
  ].join('\n');
  assert.equal(
    await renamed(text.replace('ARG VERSION=1', 'ARG VER<|>SION=1'), 'RELEASE'),
    [
      'ARG RELEASE=1',
      'FROM alpine:$RELEASE AS base',
      'ARG RELEASE',
      'ENV DIR=/v$RELEASE',
      'RUN echo "${RELEASE}" $DIR',
      'FROM base',
      'RUN echo $DIR $VERSION',
      '',
    ].join('\n'),
  );
  assert.equal(
    await renamed(text.replace('$DIR\nFROM', '$D<|>IR\nFROM'), 'TARGET_DIR'),
    text.replace(/DIR/g, 'TARGET_DIR'),
  );
});

test('variables: rename validates the name and refuses a clash in scope', async () => {
  const service = await getService();
  const { document, position } = marked('FROM a\nARG X=1\nENV Y=2\nRUN echo $<|>X $Y\n');
  const bad = service.rename(document, position, '1X', { lang: 'en' });
  assert.ok(bad && 'rejected' in bad);
  assert.match(bad.rejected, /not a valid variable name/);
  const badZh = service.rename(document, position, 'a-b', { lang: 'zh-cn' });
  assert.ok(badZh && 'rejected' in badZh);
  assert.match(badZh.rejected, /不是有效的变量名/);
  const clash = service.rename(document, position, 'Y', { lang: 'en' });
  assert.ok(clash && 'rejected' in clash);
  assert.match(clash.rejected, /already defined/);
  const ok = service.rename(document, position, 'x_2', { lang: 'en' });
  assert.ok(ok && !('rejected' in ok));
});

test('nothing on keywords, comments, unbound variables', async () => {
  const service = await getService();
  for (const text of ['FR<|>OM alpine\n', '# AR<|>G X\nFROM a\n', 'FROM a\nRUN echo $P<|>ATH\n']) {
    const { document, position } = marked(text);
    assert.equal(service.definition(document, position), null, text);
    assert.deepEqual(service.references(document, position, true), [], text);
  }
});
