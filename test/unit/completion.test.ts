import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CompletionItemKind,
  CompletionItemTag,
  InsertTextFormat,
  type CompletionItem,
  type MarkupContent,
  type TextEdit,
} from 'vscode-languageserver-types';
import { getService, withCursor } from '../helpers/service';
import type { CompletionOptions } from '../../server/src/service';

const OPTIONS: CompletionOptions = { lang: 'en', markdown: true, snippets: true, triggerSuggest: true };

async function complete(text: string, options: Partial<CompletionOptions> = {}): Promise<CompletionItem[]> {
  const service = await getService();
  const { document, position } = withCursor(text);
  return service.completion(document, position, { ...OPTIONS, ...options }).items;
}

async function labels(text: string, options: Partial<CompletionOptions> = {}): Promise<string[]> {
  return (await complete(text, options)).map((i) => i.label);
}

async function item(text: string, label: string, options: Partial<CompletionOptions> = {}): Promise<CompletionItem> {
  const found = (await complete(text, options)).find((i) => i.label === label);
  assert.ok(found, `no ${label} in the completion of ${JSON.stringify(text)}`);
  return found;
}

function edit(i: CompletionItem): { range: string; newText: string } {
  const e = i.textEdit as TextEdit;
  const r = e.range;
  return { range: `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`, newText: e.newText };
}

const ALL_INSTRUCTIONS = [
  'FROM',
  'RUN',
  'COPY',
  'ADD',
  'CMD',
  'ENTRYPOINT',
  'ENV',
  'ARG',
  'WORKDIR',
  'USER',
  'EXPOSE',
  'VOLUME',
  'LABEL',
  'HEALTHCHECK',
  'SHELL',
  'STOPSIGNAL',
  'ONBUILD',
  'MAINTAINER',
];

test('instructions at the start of an instruction, with snippet forms', async () => {
  assert.deepEqual(await labels('<|>'), ALL_INSTRUCTIONS);
  assert.deepEqual(await labels('FROM alpine\nR<|>'), ALL_INSTRUCTIONS);
  assert.deepEqual(await labels('FROM alpine\n  <|>\n'), ALL_INSTRUCTIONS);
  const from = await item('FR<|>', 'FROM');
  assert.equal(from.kind, CompletionItemKind.Keyword);
  assert.equal(from.insertTextFormat, InsertTextFormat.Snippet);
  assert.deepEqual(edit(from), { range: '0:0-0:2', newText: 'FROM ${1:image}:${2:tag}' });
  assert.equal(from.detail, 'Start a build stage from a base image');
  assert.match((from.documentation as MarkupContent).value, /base image/);
  assert.equal(edit(await item('FROM a\n<|>', 'CMD')).newText, 'CMD ["${1:executable}", "${2:param}"]');
  assert.equal(
    edit(await item('FROM a\n<|>', 'HEALTHCHECK')).newText,
    'HEALTHCHECK --interval=${1:30s} --timeout=${2:5s} CMD ${3:command}',
  );
  const maintainer = await item('<|>', 'MAINTAINER');
  assert.deepEqual(maintainer.tags, [CompletionItemTag.Deprecated]);
});

test('instructions: a keyword with arguments after it is replaced by the keyword only', async () => {
  assert.deepEqual(edit(await item('fr<|>om alpine', 'FROM')), { range: '0:0-0:4', newText: 'FROM' });
  assert.deepEqual(edit(await item('  ru<|> echo', 'RUN')), { range: '0:2-0:4', newText: 'RUN' });
});

test('instructions: plain text for clients without snippets; Chinese details and docs', async () => {
  const plain = await item('<|>', 'COPY', { snippets: false });
  assert.equal(plain.insertTextFormat, InsertTextFormat.PlainText);
  assert.equal(edit(plain).newText, 'COPY ');
  const zh = await item('<|>', 'RUN', { lang: 'zh-cn' });
  assert.equal(zh.detail, '在新的一层中执行命令');
  assert.match((zh.documentation as MarkupContent).value, /层/);
  const text = await item('<|>', 'RUN', { markdown: false });
  assert.equal((text.documentation as MarkupContent).kind, 'plaintext');
  assert.ok(!(text.documentation as MarkupContent).value.includes('```'));
});

test('no instructions in arguments, continuation lines, comments or heredocs', async () => {
  assert.deepEqual(await labels('FROM a\nRUN echo hi <|>'), []);
  assert.deepEqual(await labels('FROM a\nRUN apt-get update && \\\n  <|>'), []);
  assert.deepEqual(await labels('FROM a\n# a comment <|>'), []);
  assert.deepEqual(await labels('FROM a\nRUN <<EOF\n<|>\nEOF\n'), []);
});

test('ONBUILD: instructions allowed as triggers', async () => {
  assert.deepEqual(
    await labels('FROM a\nONBUILD <|>'),
    ALL_INSTRUCTIONS.filter((k) => !['FROM', 'ONBUILD', 'MAINTAINER'].includes(k)),
  );
  assert.deepEqual(edit(await item('FROM a\nonbuild ru<|>', 'RUN')), {
    range: '1:8-1:10',
    newText: 'RUN ${1:command}',
  });
});

test('flags per instruction, without those already given (except repeatable ones)', async () => {
  assert.deepEqual(await labels('FROM a\nCOPY --<|>'), [
    '--from=',
    '--chown=',
    '--chmod=',
    '--link',
    '--exclude=',
    '--parents',
  ]);
  assert.deepEqual(await labels('FROM a\nADD <|>'), [
    '--chown=',
    '--chmod=',
    '--link',
    '--exclude=',
    '--checksum=',
    '--keep-git-dir',
    '--unpack',
  ]);
  assert.deepEqual(await labels('FROM a\nRUN <|>'), ['--mount=', '--network=', '--security=']);
  assert.deepEqual(await labels('FROM a\nRUN --mount=type=tmpfs,target=/t --network=none -<|>'), [
    '--mount=',
    '--security=',
  ]);
  assert.deepEqual(await labels('FROM a\nCOPY --chown=1 --exclude=*.md --<|>'), [
    '--from=',
    '--chmod=',
    '--link',
    '--exclude=',
    '--parents',
  ]);
  assert.deepEqual(await labels('FROM --<|>'), ['--platform=']);
  assert.deepEqual(await labels('FROM a\nHEALTHCHECK --<|>'), [
    '--interval=',
    '--timeout=',
    '--start-period=',
    '--start-interval=',
    '--retries=',
  ]);
  // Not after the first argument.
  assert.deepEqual(await labels('FROM a\nCOPY src --<|>'), []);
  assert.deepEqual(await labels('FROM a\nRUN echo --<|>'), []);
});

test('flags: snippets, docs from the flag pages, re-open the list where values follow', async () => {
  const chown = await item('FROM a\nCOPY --ch<|>', '--chown=');
  assert.deepEqual(edit(chown), { range: '1:5-1:9', newText: '--chown=${1:user}:${2:group}' });
  assert.match((chown.documentation as MarkupContent).value, /COPY --chown/);
  assert.equal(chown.command, undefined);
  const mount = await item('FROM a\nRUN --<|>', '--mount=');
  assert.equal(mount.command?.command, 'editor.action.triggerSuggest');
  assert.equal((await item('FROM a\nRUN --<|>', '--mount=', { triggerSuggest: false })).command, undefined);
  const checksum = await item('FROM a\nADD --<|>', '--checksum=', { lang: 'zh-cn' });
  assert.match((checksum.documentation as MarkupContent).value, /ADD --checksum/);
});

test('--mount keys by type, then values', async () => {
  assert.deepEqual(await labels('FROM a\nRUN --mount=<|>'), ['type=', 'target=', 'source=', 'from=', 'rw']);
  assert.deepEqual(await labels('FROM a\nRUN --mount=type=<|>'), ['bind', 'cache', 'tmpfs', 'secret', 'ssh']);
  assert.deepEqual(await labels('FROM a\nRUN --mount=type=cache,target=/root/.cache,<|>'), [
    'id=',
    'sharing=',
    'from=',
    'source=',
    'mode=',
    'uid=',
    'gid=',
    'ro',
  ]);
  assert.deepEqual(await labels('FROM a\nRUN --mount=type=secret,<|>'), [
    'id=',
    'target=',
    'env=',
    'required',
    'mode=',
    'uid=',
    'gid=',
  ]);
  assert.deepEqual(await labels('FROM a\nRUN --mount=type=ssh,id=default,<|>'), [
    'target=',
    'required',
    'mode=',
    'uid=',
    'gid=',
  ]);
  assert.deepEqual(await labels('FROM a\nRUN --mount=type=tmpfs,dst=/t,<|>'), ['size=']);
  assert.deepEqual(await labels('FROM a\nRUN --mount=type=cache,sharing=<|>'), ['shared', 'private', 'locked']);
  assert.deepEqual(await labels('FROM a\nRUN --mount=type=secret,id=x,required=<|>'), ['true', 'false']);
  const target = await item('FROM a\nRUN --mount=type=cache,ta<|>', 'target=');
  assert.deepEqual(edit(target), { range: '1:23-1:25', newText: 'target=' });
  assert.equal(target.detail, 'Mount path in the build container');
  assert.equal((await item('FROM a\nRUN --mount=<|>', 'type=', { lang: 'zh-cn' })).detail, '挂载类型（默认 bind）');
});

test('stage names: COPY --from=, --mount from=, FROM; only earlier stages', async () => {
  const text = 'FROM golang AS build\nFROM alpine\nFROM node AS web\n';
  assert.deepEqual(await labels(text + 'COPY --from=<|>'), ['build', '1']);
  assert.deepEqual(await labels(text + 'RUN --mount=type=bind,from=<|>'), ['build']);
  assert.deepEqual(await labels(text + 'FROM <|>'), ['--platform=', 'build', 'web', 'scratch']);
  assert.deepEqual(await labels('FROM a AS one\nFROM b AS two\nCOPY --from=o<|>\nFROM c AS three\n'), ['one']);
  const build = await item(text + 'COPY --from=b<|>', 'build');
  assert.deepEqual(edit(build), { range: '3:12-3:13', newText: 'build' });
  assert.equal(build.detail, 'Build stage 0, line 1');
  assert.equal(build.documentation, 'FROM golang AS build');
  assert.equal((await item(text + 'COPY --from=<|>', 'build', { lang: 'zh-cn' })).detail, '构建阶段 0，第 1 行');
  assert.match(((await item('FROM <|>', 'scratch')).documentation as MarkupContent).value, /static/i);
});

test('FROM: AS after the image; --platform values', async () => {
  assert.deepEqual(await labels('FROM alpine <|>'), ['AS']);
  assert.deepEqual(edit(await item('FROM alpine a<|>', 'AS')), { range: '0:12-0:13', newText: 'AS ' });
  assert.deepEqual(await labels('FROM alpine AS <|>'), []);
  assert.deepEqual(await labels('FROM --platform=<|>'), [
    '$BUILDPLATFORM',
    '$TARGETPLATFORM',
    'linux/amd64',
    'linux/arm64',
    'linux/arm/v7',
    'windows/amd64',
  ]);
  const platform = await item('FROM --platform=<|> alpine', '$BUILDPLATFORM');
  assert.equal(platform.insertTextFormat, InsertTextFormat.PlainText);
  assert.deepEqual(edit(platform), { range: '0:16-0:16', newText: '$BUILDPLATFORM' });
  // After `$`, the variables (the automatic platform ARGs among them).
  assert.deepEqual(edit(await item('FROM --platform=$B<|> alpine', 'BUILDPLATFORM')), {
    range: '0:17-0:18',
    newText: 'BUILDPLATFORM',
  });
});

test('RUN --network and --security values', async () => {
  assert.deepEqual(await labels('FROM a\nRUN --network=<|>'), ['default', 'none', 'host']);
  assert.deepEqual(await labels('FROM a\nRUN --security=<|>'), ['sandbox', 'insecure']);
});

test('HEALTHCHECK: options, then CMD and NONE', async () => {
  assert.deepEqual(await labels('FROM a\nHEALTHCHECK <|>'), [
    '--interval=',
    '--timeout=',
    '--start-period=',
    '--start-interval=',
    '--retries=',
    'CMD',
    'NONE',
  ]);
  assert.deepEqual(await labels('FROM a\nHEALTHCHECK --interval=5s N<|>'), ['CMD', 'NONE']);
  assert.equal(edit(await item('FROM a\nHEALTHCHECK <|>', 'CMD')).newText, 'CMD ${1:command}');
  assert.deepEqual(await labels('FROM a\nHEALTHCHECK CMD <|>'), []);
});

test('variables in scope after $ and ${', async () => {
  // FROM lines: global ARGs and the automatic platform ARGs.
  assert.deepEqual(await labels('ARG VERSION=1\nFROM alpine:$<|>'), [
    'VERSION',
    'TARGETPLATFORM',
    'TARGETOS',
    'TARGETARCH',
    'TARGETVARIANT',
    'BUILDPLATFORM',
    'BUILDOS',
    'BUILDARCH',
    'BUILDVARIANT',
  ]);
  // A stage: its own ARG/ENV above, not the globals unless re-declared, nor later ones.
  const stage = 'ARG G=1\nARG H=2\nFROM a AS base\nARG H\nENV HOME_DIR=/srv\nARG TOKEN\n';
  assert.deepEqual(await labels(stage + 'RUN echo $<|>\nENV LATER=1\n'), ['H', 'HOME_DIR', 'TOKEN']);
  // CMD sees ENV only; a child stage inherits ENV.
  assert.deepEqual(await labels(stage + 'CMD echo $<|>'), ['HOME_DIR']);
  assert.deepEqual(await labels(stage + 'FROM base\nWORKDIR ${<|>'), ['HOME_DIR']);
  const v = await item(stage + 'FROM base\nWORKDIR ${H<|>', 'HOME_DIR');
  assert.deepEqual(edit(v), { range: '7:10-7:11', newText: 'HOME_DIR}' });
  assert.equal(v.detail, 'ENV = /srv');
  assert.equal(v.documentation, 'Defined on line 5.');
  assert.equal(edit(await item(stage + 'RUN echo ${<|>}', 'HOME_DIR')).newText, 'HOME_DIR');
  assert.equal((await item(stage + 'RUN echo $<|>', 'H')).detail, 'ARG = 2');
  assert.equal((await item(stage + 'RUN echo $<|>', 'TOKEN')).detail, 'ARG, no value');
  assert.equal((await item(stage + 'RUN echo $<|>', 'TOKEN', { lang: 'zh-cn' })).detail, 'ARG，无值');
  // Escaped, exec form, comments: nothing.
  assert.deepEqual(await labels(stage + 'RUN echo \\$<|>'), []);
  assert.deepEqual(await labels(stage + 'CMD ["echo", "$<|>"]'), []);
  assert.deepEqual(await labels(stage + '# $<|>'), []);
  // Heredoc bodies: variables only.
  assert.deepEqual(await labels(stage + 'RUN <<EOF\necho $TO<|>\nEOF\n'), ['H', 'HOME_DIR', 'TOKEN']);
});

test('ARG names: global ARGs to re-declare in a stage, and the automatic platform ARGs', async () => {
  assert.deepEqual(await labels('ARG A=1\nARG B=2\nFROM x\nARG B\nARG <|>'), [
    'A',
    'TARGETPLATFORM',
    'TARGETOS',
    'TARGETARCH',
    'TARGETVARIANT',
    'BUILDPLATFORM',
    'BUILDOS',
    'BUILDARCH',
    'BUILDVARIANT',
  ]);
  assert.equal(
    (await item('ARG A=1\nFROM x\nARG <|>', 'A')).detail,
    'Global ARG (line 1): declare it here to use it in this stage',
  );
  assert.deepEqual(await labels('ARG A=1\nFROM x\nARG A=<|>'), []);
});

test('parser directives on the first lines only, then their values', async () => {
  assert.deepEqual(await labels('# <|>\nFROM a\n'), ['syntax=', 'escape=', 'check=']);
  assert.deepEqual(await labels('#<|>'), ['syntax=', 'escape=', 'check=']);
  assert.deepEqual(await labels('# syntax=docker/dockerfile:1\n# e<|>\nFROM a\n'), ['escape=', 'check=']);
  assert.deepEqual(await labels('FROM a\n# <|>'), []);
  assert.deepEqual(await labels('# a comment\n# <|>\nFROM a\n'), []);
  assert.deepEqual(await labels('\n# <|>\nFROM a\n'), []);
  const syntax = await item('# sy<|>', 'syntax=');
  assert.deepEqual(edit(syntax), { range: '0:2-0:4', newText: 'syntax=${1:docker/dockerfile:1}' });
  assert.match((syntax.documentation as MarkupContent).value, /syntax/);
  assert.deepEqual(await labels('# escape=<|>\nFROM a\n'), ['\\', '`']);
  assert.deepEqual(await labels('# syntax=<|>'), ['docker/dockerfile:1', 'docker/dockerfile:1-labs']);
  assert.deepEqual(await labels('# check=<|>'), ['skip=all', 'error=true', 'skip=']);
});

test('items keep the order given (sortText) and completion reuses the cached model', async () => {
  const service = await getService();
  const { document, position } = withCursor('FROM a\nCOPY --<|>');
  const model = service.getModel(document);
  const items = service.completion(document, position, OPTIONS).items;
  assert.deepEqual(
    items.map((i) => i.sortText),
    items.map((_, i) => String(i).padStart(4, '0')),
  );
  assert.equal(service.getModel(document), model);
});
