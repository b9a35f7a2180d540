import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Hover, MarkupContent } from 'vscode-languageserver-types';
import { getService, withCursor } from '../helpers/service';
import type { Lang } from '../../server/src/service';

async function hoverText(text: string, lang: Lang = 'en', markdown = true): Promise<string | undefined> {
  const service = await getService();
  const { document, position } = withCursor(text);
  const hover: Hover | null = service.hover(document, position, { lang, markdown });
  return hover ? (hover.contents as MarkupContent).value : undefined;
}

test('FROM: base image and scratch, from the notes, with the reference link', async () => {
  const en = await hoverText('FR<|>OM alpine:3.20\n');
  assert.ok(en);
  assert.match(en, /base image/i);
  assert.match(en, /scratch/);
  assert.match(en, /https:\/\/docs\.docker\.com\/reference\/dockerfile\/#from/);
  const zh = await hoverText('FR<|>OM alpine:3.20\n', 'zh-cn');
  assert.ok(zh);
  assert.match(zh, /基础镜像/);
  assert.match(zh, /scratch/);
});

test('RUN: layers, two forms, &&', async () => {
  const en = await hoverText('FROM alpine\n<|>RUN echo hi\n');
  assert.ok(en);
  assert.match(en, /layer/i);
  assert.match(en, /&&/);
  assert.match(en, /RUN \["executable", "param1", "param2"\]/);
  const zh = await hoverText('FROM alpine\n<|>RUN echo hi\n', 'zh-cn');
  assert.ok(zh);
  assert.match(zh, /层/);
  assert.match(zh, /&&/);
});

test('CMD: the nginx example from the notes', async () => {
  const en = await hoverText('FROM nginx\nCM<|>D ["nginx"]\n');
  assert.ok(en);
  assert.ok(en.includes('CMD ["nginx", "-g", "daemon off;"]'));
  assert.ok(en.includes('service nginx start'));
  assert.match(en, /foreground/);
  const zh = await hoverText('FROM nginx\nCM<|>D ["nginx"]\n', 'zh-cn');
  assert.ok(zh);
  assert.match(zh, /前台/);
});

test('COPY, ADD, ENTRYPOINT, ENV say what the notes say', async () => {
  const copy = await hoverText('FROM a\nCO<|>PY . /app\n');
  assert.ok(copy?.includes('--chown=<user>:<group>'));
  const add = await hoverText('FROM a\nA<|>DD x.tar.gz /\n');
  assert.ok(add);
  assert.match(add, /URL/);
  assert.match(add, /archive|tar/i);
  const entry = await hoverText('FROM a\nENTRY<|>POINT ["curl"]\n');
  assert.ok(entry);
  assert.match(entry, /argument/i);
  const env = await hoverText('FROM a\nE<|>NV A=1\n');
  assert.ok(env?.includes('ENV <key1>=<value1> <key2>=<value2>...'));
});

test('keywords are matched in any case and after ONBUILD', async () => {
  assert.match((await hoverText('from alpine\nr<|>un echo\n')) ?? '', /layer/i);
  const trigger = await hoverText('FROM alpine\nONBUILD R<|>UN echo\n');
  assert.match(trigger ?? '', /layer/i);
  const onbuild = await hoverText('FROM alpine\nON<|>BUILD RUN echo\n');
  assert.match(onbuild ?? '', /ONBUILD/);
});

test('flags, directives and scratch have their own docs', async () => {
  assert.match((await hoverText('FROM a\nCOPY --ch<|>own=1:1 . /\n')) ?? '', /chown/);
  assert.match(
    (await hoverText('FROM a\nRUN --mo<|>unt=type=cache,target=/root/.cache pip install x\n')) ?? '',
    /cache/,
  );
  assert.match((await hoverText('FROM --plat<|>form=linux/amd64 a\n')) ?? '', /platform/i);
  assert.match((await hoverText('FROM a\nHEALTHCHECK --inter<|>val=30s CMD true\n')) ?? '', /interval/i);
  assert.match((await hoverText('# esc<|>ape=`\nFROM a\n')) ?? '', /escape/i);
  assert.match((await hoverText('# syn<|>tax=docker/dockerfile:1\nFROM a\n')) ?? '', /syntax/i);
  assert.match((await hoverText('FROM scr<|>atch\n')) ?? '', /static/i);
});

test('variables: value in scope with nested expansion, and where it is defined', async () => {
  const text = 'ARG A=1.2\nARG B=$A.3\nFROM alpine:$<|>B\n';
  const en = await hoverText(text);
  assert.ok(en);
  assert.ok(en.includes('`1.2.3`'), en);
  assert.ok(en.includes('line 2'), en);
  const zh = await hoverText(text, 'zh-cn');
  assert.ok(zh?.includes('`1.2.3`'));
  assert.ok(zh?.includes('第 2 行'));
});

test('variables: ${VAR:-default}, ENV in a stage, ARG re-declared in a stage takes the global default', async () => {
  assert.ok((await hoverText('FROM a\nENV X=/opt\nRUN echo ${<|>X:-none}\n'))?.includes('`/opt`'));
  assert.ok((await hoverText('ARG V=9\nFROM a\nARG V\nRUN echo $<|>V\n'))?.includes('`9`'));
  const unset = await hoverText('FROM a\nRUN echo $<|>NOPE\n');
  assert.match(unset ?? '', /Not defined/);
  const noValue = await hoverText('FROM a\nARG TOKEN\nRUN echo $T<|>OKEN\n');
  assert.match(noValue ?? '', /--build-arg TOKEN=/);
});

test('ENV inherited from a parent stage', async () => {
  const text = 'FROM a AS base\nENV HOME_DIR=/srv\nFROM base\nWORKDIR $HOME<|>_DIR\n';
  assert.ok((await hoverText(text))?.includes('`/srv`'));
});

test('stage names: COPY --from and FROM show the stage FROM line', async () => {
  const text = 'FROM golang:1.23 AS build\nRUN go build\nFROM scratch\nCOPY --from=bu<|>ild /out /app\n';
  const en = await hoverText(text);
  assert.ok(en?.includes('FROM golang:1.23 AS build'), en);
  assert.ok(en?.includes('line 1'));
  const from = await hoverText('FROM alpine AS base\nFROM ba<|>se\n');
  assert.ok(from?.includes('FROM alpine AS base'));
});

test('plain text when the client does not take Markdown', async () => {
  const text = await hoverText('<|>CMD ["nginx"]\n', 'en', false);
  assert.ok(text);
  assert.ok(!text.includes('```'));
  assert.ok(!text.includes('**'));
  assert.ok(text.includes('CMD ["nginx", "-g", "daemon off;"]'));
});

test('nothing to show: whitespace, comments, arguments', async () => {
  assert.equal(await hoverText('FROM alpine\n<|>\n'), undefined);
  assert.equal(await hoverText('# just a <|>comment\nFROM alpine\n'), undefined);
  assert.equal(await hoverText('FROM alpine\nRUN echo he<|>llo\n'), undefined);
});

test('hover reuses the cached model of the document version', async () => {
  const service = await getService();
  const { document, position } = withCursor('FROM alpine\n<|>RUN echo\n');
  const first = service.getModel(document);
  service.hover(document, position, { lang: 'en', markdown: true });
  service.hover(document, position, { lang: 'zh-cn', markdown: true });
  assert.equal(service.getModel(document), first);
});
