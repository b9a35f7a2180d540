/**
 * Incremental validation: `stage` rules run once per scope (the instructions before the first FROM,
 * each stage) and their findings are reused while the scope's key is unchanged. These tests check
 * that this never changes the diagnostics: (a) running the rules per scope gives what running every
 * rule on the whole file gives; (b) after edits, the cached path gives what a fresh validation gives.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver-types';
import { FindingsCache, validateModel, type ValidationSettings } from '../../server/src/service/diagnostics';
import { DockerfileModel } from '../../server/src/service/model';
import { RULES } from '../../server/src/service/rules';
import { chunksOf, type Chunk } from '../../server/src/service/rules/syntax';
import type { Rule } from '../../server/src/service/rules/types';
import type { ShellParser } from '../../server/src/service/shell';
import { getService, REPO, shellParser } from '../helpers/service';
import type { DockerfileService } from '../../server/src/service';

const SETTINGS: ValidationSettings = { lang: 'en' };
/** The same rules, every one run on the whole file. */
const FILE_RULES: readonly Rule[] = RULES.map((r) => ({ ...r, scope: 'file' as const }));

let version = 0;
const URI = 'file:///incremental/Dockerfile';
function model(text: string, parser: ShellParser, uri = URI): DockerfileModel {
  return new DockerfileModel(TextDocument.create(uri, 'dockerfile', ++version, text), parser);
}

/** A diagnostic as comparable text (every field: range, message, data, related information, tags). */
function key(d: Diagnostic): string {
  return JSON.stringify(d);
}

/** A short form for assertion messages: where, which rule, the start of the message. */
function short(d: Diagnostic): string {
  return `${d.range.start.line}:${d.range.start.character} ${String(d.code)} ${d.message.slice(0, 50)}`;
}

/** The diagnostics as a sorted list: the two paths may order findings at the same position differently. */
function canonical(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map(key).sort();
}

function files(dir: string, match: (name: string) => boolean, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files(path, match, out);
    else if (match(name)) out.push(path);
  }
  return out;
}

/** The example Dockerfiles of the repository. */
const EXAMPLES: readonly { name: string; text: string }[] = files(join(REPO, 'examples'), (n) =>
  n.startsWith('Dockerfile'),
).map((path) => ({ name: relative(REPO, path), text: readFileSync(path, 'utf8') }));

/** Every Dockerfile text (a string with a FROM) in the rule tests, «» markers removed. */
function ruleTestTexts(): { name: string; text: string }[] {
  const out: { name: string; text: string }[] = [];
  for (const path of files(join(REPO, 'test', 'unit', 'rules'), (n) => n.endsWith('.test.ts'))) {
    const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && /\bFROM\b/i.test(node.text)) {
        const line = source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
        out.push({ name: `${relative(REPO, path)}:${line}`, text: node.text.replace(/[«»]/g, '') });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return out;
}

/** Hand-written multi-stage files: inheritance, global ARGs, COPY --from, names, heredocs, ONBUILD, Windows, suppressions. */
const HAND_WRITTEN: readonly { name: string; text: string }[] = [
  {
    name: 'inheritance',
    text: [
      '# syntax=docker/dockerfile:1',
      'ARG BASE_TAG=1.22',
      'ARG GITHUB_TOKEN',
      'FROM golang:${BASE_TAG} AS build',
      'ENV CGO_ENABLED=0 GOFLAGS=-mod=vendor',
      'WORKDIR /src',
      'RUN apt-get update',
      'RUN apt-get install curl',
      'COPY . .',
      'RUN go build -o /out/app ./cmd/app',
      'RUN rm -rf /src/vendor',
      '',
      'FROM build AS test',
      'RUN go test ./... | tee /tmp/log',
      'WORKDIR sub',
      'CMD echo $CGO_ENABLED $GOFLGS',
      '',
      'FROM test AS more',
      'RUN apt-get install jq',
      'ENTRYPOINT service nginx start',
      '',
      'FROM scratch',
      'COPY --from=build /out/app /app',
      'COPY --from=tset /x /y',
      'COPY --from=more /x /y',
      'CMD /app',
      '',
    ].join('\n'),
  },
  {
    name: 'global ARGs and variables in FROM',
    text: [
      'ARG BASE=alpine:3.19',
      'ARG VERSION',
      'ARG REGISTRY=docker.io',
      'FROM ${REGISTRY}/library/alpine:3.19 AS build',
      'ARG VERSION',
      'ENV APP_HOME=/opt/app',
      'RUN apk add curl && rm -rf /var/cache/apk/*',
      'WORKDIR app',
      'LABEL version=$VERSION',
      'FROM $BASE AS final',
      'RUN echo $APP_HOME && apk add jq',
      'USER $APP_USR',
      'COPY x $APP_HOM/',
      'ENTRYPOINT service nginx start',
      'FROM alpine:$VERSION',
      'FROM ${UNSET_ARG}/alpine',
      'FROM scratch AS env-base',
      'ENV SERVICE_HOME=/srv',
      'FROM env-base',
      'COPY app $SERVICE_HOM/',
      'WORKDIR $SERVICE_HOME',
      '',
    ].join('\n'),
  },
  {
    name: 'heredocs',
    text: [
      'FROM debian:12 AS base',
      'RUN <<EOF',
      'apt-get update',
      'apt-get install curl',
      'EOF',
      'COPY <<EOF /etc/app.conf',
      'value=$UNDEFINED',
      'EOF',
      'RUN <<-EOT bash',
      '\tset -e',
      '\tcd /tmp',
      '\tcurl https://x | sh',
      '\tEOT',
      'RUN cat <<EOF > /etc/motd',
      'hello $USER',
      'EOF',
      'FROM base',
      'RUN apt-get install curl',
      'RUN rm -rf /var/lib/apt/lists/*',
      '',
    ].join('\n'),
  },
  {
    name: 'ONBUILD',
    text: [
      'FROM node:20 AS builder',
      'ONBUILD COPY package.json /app/',
      'ONBUILD RUN npm install',
      'ONBUILD RUN npm run build',
      'ONBUILD WORKDIR app',
      'ONBUILD CMD service nginx start',
      'ONBUILD CMD ["node", "$ENTRY"]',
      'ONBUILD RUN apt-get update',
      'ONBUILD ADD file.txt /x',
      'FROM builder',
      'CMD node server.js',
      'ONBUILD RUN sudo ls',
      '',
    ].join('\n'),
  },
  {
    name: 'Windows',
    text: [
      '# escape=`',
      'FROM mcr.microsoft.com/windows/servercore:ltsc2022 AS win',
      'SHELL ["powershell", "-Command"]',
      'RUN Invoke-WebRequest https://example.com -OutFile x.zip | Out-Null',
      'FROM win AS child',
      'RUN echo hi | findstr h',
      'RUN apt-get install x',
      'ENTRYPOINT app.exe',
      'CMD ["--x"]',
      'FROM mcr.microsoft.com/dotnet/sdk:8.0-nanoserver-ltsc2022',
      'RUN dir | more',
      'RUN echo a',
      'RUN echo b',
      'ENTRYPOINT dotnet app.dll',
      'CMD ["--urls", "http://+:80"]',
      '',
    ].join('\r\n'),
  },
  {
    name: 'suppressions',
    text: [
      '# hadolint global ignore=DL3007',
      'FROM ubuntu:latest AS a',
      '# docksmith ignore=consecutive-run',
      'RUN echo a',
      'RUN echo b',
      'RUN echo c',
      '# hadolint ignore=DL3008,DL3015',
      'RUN apt-get update && apt-get install curl',
      'FROM a',
      '# docksmith ignore=no-sudo',
      'RUN sudo ls',
      'RUN sudo ls',
      '# docksmith ignore=consecutive-run',
      'FROM a AS b',
      'RUN echo 1',
      'RUN echo 2',
      '',
    ].join('\n'),
  },
  {
    name: 'stage names and references',
    text: [
      'FROM alpine AS Base',
      'FROM alpine AS base',
      'COPY --from=later /a /b',
      'COPY --from=0 /a /b',
      'COPY --from=5 /a /b',
      'COPY --from=bse /a /b',
      'FROM base AS later',
      'RUN --mount=from=Base,target=/x ls /x',
      'COPY --from=BASE /a /b',
      'COPY --from=later /a /b',
      'FROM Base',
      '',
    ].join('\n'),
  },
  {
    name: 'instructions before the first FROM',
    text: [
      '# check=skip=JSONArgsRecommended',
      'ARG A=1 B',
      'RUN echo before from',
      'LABEL x y',
      'FROM alpine',
      'CMD echo $A',
      'FROM alpine AS two',
      'ARG A',
      'CMD echo $A',
      'RUN cd /x',
      'RUN cd /y',
      '',
    ].join('\n'),
  },
  {
    name: 'no stage at all',
    text: 'ARG X=1\nRUN echo $X\n# a comment\n',
  },
];

/**
 * Files where the scope key once missed a dependency: an edit outside a scope's key changed that
 * scope's findings.
 */
const KEY_CASES: readonly { name: string; text: string }[] = [
  {
    // DockerfileModel.parentStage (and so the key's ancestors) must expand `$BASE` and follow it to
    // `build`, as baseImageName, ranUpTo, initialWorkdir and undefined-var do.
    name: 'a stage named by a global ARG (FROM $BASE)',
    text: [
      'ARG BASE=build',
      'FROM alpine:3.19 AS build',
      'ENV APP_HOME=/opt/app',
      'RUN echo \'APT::Get::Assume-Yes "true";\' > /etc/apt/apt.conf.d/90yes',
      'WORKDIR /src',
      'FROM $BASE AS final',
      'COPY x $APP_HOM/',
      'RUN apt-get install curl',
      'RUN rm -rf /src/x',
      '',
    ].join('\n'),
  },
  {
    // heredocBodyLines (syntax.ts) must end an unterminated heredoc dockerfile-ast does not see
    // (`5<<END`) with its stage, not run it over later stages.
    name: 'unterminated heredocs',
    text: [
      'FROM alpine AS one',
      'ADD <<EOF /x',
      'hello',
      'EOF',
      'RUN 5<<END cat',
      'text',
      'END',
      'FROM scratch AS two',
      'ENV HOME_DIR=/x',
      'COPY a \\',
      '  $HOME_DI/',
      'WORKDIR \\',
      '  $NOPE',
      '',
    ].join('\n'),
  },
];

const CORPUS = [...EXAMPLES, ...HAND_WRITTEN, ...KEY_CASES];

test('the example Dockerfiles are found', () => {
  assert.ok(EXAMPLES.length >= 3, `examples: ${EXAMPLES.map((e) => e.name).join(', ')}`);
  assert.ok(
    RULES.some((r) => r.scope === 'stage'),
    'no rule runs per stage',
  );
});

test('per-scope rules give the same diagnostics as every rule on the whole file', async () => {
  const parser = await shellParser();
  for (const { name, text } of [...CORPUS, ...ruleTestTexts()]) {
    const staged = validateModel(model(text, parser), RULES, SETTINGS);
    const whole = validateModel(model(text, parser), FILE_RULES, SETTINGS);
    assert.deepEqual(canonical(staged), canonical(whole), `on ${name}:\n${text}`);
    assert.ok(!staged.some((d) => d.message.includes('internal error')), `internal error on ${name}`);
  }
});

/** Validates each text in turn with one cache (as the server does for a document) and compares with a fresh validation. */
function checkSequence(parser: ShellParser, name: string, texts: readonly string[]): void {
  const cache = new FindingsCache();
  let previous: DockerfileModel | undefined;
  texts.forEach((text, step) => {
    // Each version parsed from the one before, as the service does: unchanged segments keep their ids.
    const current = new DockerfileModel(TextDocument.create(URI, 'dockerfile', ++version, text), parser, previous);
    previous = current;
    const cached = validateModel(current, RULES, SETTINGS, () => false, cache);
    const fresh = validateModel(model(text, parser), RULES, SETTINGS, () => false, new FindingsCache());
    assert.deepEqual(cached.map(short), fresh.map(short), `${name}, step ${step}:\n${text}`);
    assert.deepEqual(cached.map(key), fresh.map(key), `${name}, step ${step}:\n${text}`);
  });
}

/** Applies `replace` to the one occurrence of `find`. */
function edit(text: string, find: string, replace: string): string {
  const at = text.indexOf(find);
  assert.ok(at >= 0 && text.indexOf(find, at + 1) < 0, `"${find}" is not in the text exactly once`);
  return text.slice(0, at) + replace + text.slice(at + find.length);
}

test('after each edit, the cached diagnostics equal a fresh validation', async () => {
  const parser = await shellParser();
  const start = [
    'ARG BASE_TAG=1.22',
    'ARG TOOL=curl',
    'FROM golang:${BASE_TAG} AS build',
    'ENV APP_HOME=/opt/app',
    'WORKDIR /src',
    'RUN apt-get update',
    'RUN apt-get install curl',
    'RUN go build -o /out/app .',
    '',
    'FROM build AS test',
    'RUN apt-get install jq',
    'COPY x $APP_HOM/',
    'CMD service nginx start',
    '',
    'FROM scratch AS env-base',
    'ENV SERVICE_HOME=/srv',
    '',
    'FROM env-base AS runtime',
    'COPY --from=build /out/app /app',
    'COPY app $SERVICE_HOM/',
    'CMD /app',
    '',
  ].join('\n');
  const steps: string[] = [start];
  const next = (find: string, replace: string) => steps.push(edit(steps[steps.length - 1]!, find, replace));
  next('apt-get install jq', 'apt-get install jr'); // a character inside one stage
  next('apt-get install jr', 'apt-get install -y jr'); // and back to no finding there
  next('AS build', 'AS builder'); // rename a stage: its references no longer find it
  next('AS builder', 'AS build'); // and back: the earlier findings are reused
  next('BASE_TAG=1.22', 'BASE_TAG=latest'); // a global ARG
  next('ARG TOOL=curl\n', ''); // remove a global ARG
  next('ENV APP_HOME=/opt/app', 'ENV APP_HOM=/opt/app'); // a parent stage's ENV
  next('ENV SERVICE_HOME=/srv', 'ENV SERVICE_HOM=/srv'); // a scratch parent's ENV
  next('FROM scratch AS env-base\n', '# a comment\nFROM scratch AS env-base\n'); // a line above a stage
  next('# a comment\n', ''); // and removed again
  next('WORKDIR /src\n', ''); // a line removed in the first stage: every later stage moves up
  next('FROM env-base AS runtime', 'FROM alpine AS extra\nRUN cd /x\nFROM env-base AS runtime'); // a new FROM
  next('FROM alpine AS extra\n', ''); // a FROM removed: two stages become one
  next('RUN cd /x\n', '');
  next('FROM build AS test', 'FROM mcr.microsoft.com/windows/servercore:ltsc2022 AS test'); // a Windows base
  next('ARG BASE_TAG=latest\n', '# escape=`\nARG BASE_TAG=latest\n'); // a parser directive (not at the top)
  next('# escape=`\n', ''); // removed
  next('RUN apt-get install curl', '# docksmith ignore=apt-get-yes\nRUN apt-get install curl'); // a suppression
  next('COPY app $SERVICE_HOM/\n', 'COPY app $SERVICE_HOM/\nRUN echo a\nRUN echo b\n');
  next('RUN echo a\n', '# hadolint ignore=DL3059\nRUN echo a\n');
  next('ARG BASE_TAG', '# hadolint global ignore=DL3059\nARG BASE_TAG'); // a file-wide suppression at the top
  next('# hadolint global ignore=DL3059\n', '');
  checkSequence(parser, 'edits', steps);
});

/** The file after each one-line edit, with the original between edits (its findings then come from the cache). */
function lineEdits(text: string): string[] {
  const lines = text.split('\n');
  const texts: string[] = [text];
  const variant = (i: number, replacement: string[]) =>
    texts.push([...lines.slice(0, i), ...replacement, ...lines.slice(i + 1)].join('\n'), text);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    // Edits that keep the line numbers (only the edited scope's text changes) ...
    variant(i, ['']);
    if (line.trim() !== '') variant(i, [line.replace(/\S(\s*)$/, '$1')]);
    // ... and edits that move every later line.
    variant(i, []);
    variant(i, [line, line]);
  }
  return texts;
}

test('after editing any line, the cached diagnostics equal a fresh validation', async () => {
  const parser = await shellParser();
  for (const { name, text } of CORPUS) checkSequence(parser, name, lineEdits(text));
});

test('the service keeps analyses for a bounded number of lines, least recently used dropped first', async () => {
  const service = await getService({ analysisCacheLines: 10 });
  const text = 'FROM alpine\nRUN echo a\nRUN echo b\nCMD ["sh"]\n'; // 5 lines
  const a = TextDocument.create('file:///a/Dockerfile', 'dockerfile', 1, text);
  const b = TextDocument.create('file:///b/Dockerfile', 'dockerfile', 1, text);
  const c = TextDocument.create('file:///c/Dockerfile', 'dockerfile', 1, text);
  const modelA = service.getModel(a);
  const modelB = service.getModel(b);
  assert.equal(service.getModel(a), modelA, 'within the budget: kept');
  service.getModel(c); // 15 lines: b, the least recently used, goes
  assert.equal(service.getModel(a), modelA);
  assert.notEqual(service.getModel(b), modelB);
  // The document in use keeps its analysis even when it alone is over the budget.
  const big = TextDocument.create('file:///big/Dockerfile', 'dockerfile', 1, text.repeat(10));
  const modelBig = service.getModel(big);
  assert.equal(service.getModel(big), modelBig);
  // Validation results are the same after an eviction.
  const before = service.validate(a, { lang: 'en' });
  service.getModel(b);
  service.getModel(c);
  assert.deepEqual(service.validate(a, { lang: 'en' }), before);
});

test('forgetting a document drops its analysis and says how many lines it had', async () => {
  const service = await getService({ analysisCacheLines: 1000 });
  const document = TextDocument.create('file:///forget/Dockerfile', 'dockerfile', 1, 'FROM alpine\nRUN echo a\n');
  const model = service.getModel(document);
  assert.equal(service.forget(document.uri), 3);
  assert.equal(service.forget(document.uri), 0, 'nothing left');
  assert.notEqual(service.getModel(document), model, 'analysed again');
});

test('a RUN reused from an earlier version, whose text moved, merges as in a fresh analysis', async () => {
  // The parent stage loses a character: the child's RUNs keep their lines but not their offsets.
  const before = 'FROM alpine AS base\nARG NAME\nFROM base\nRUN echo 1 >> C.txt\nRUN echo 2 >> C.txt\n';
  const after = before.replace('ARG NAME', 'RG NAME');
  const uri = 'file:///moved/Dockerfile';
  const mergeOf = (service: DockerfileService, document: TextDocument) => {
    const diagnostics = service.validate(document, { lang: 'en' });
    const merge = diagnostics.find((d) => d.code === 'consecutive-run')!;
    const actions = service.codeActions(
      document,
      merge.range,
      { diagnostics: [merge] },
      { settings: { lang: 'en' }, documentChanges: false, disabledSupport: true },
    );
    return { diagnostics, edit: actions.find((a) => a.isPreferred)?.edit };
  };
  // Two services of their own (getService() without options is shared by the tests).
  const service = await getService({ analysisCacheLines: 1000 });
  service.validate(TextDocument.create(uri, 'dockerfile', 1, before), { lang: 'en' });
  const got = mergeOf(service, TextDocument.create(uri, 'dockerfile', 2, after));
  const fresh = mergeOf(
    await getService({ analysisCacheLines: 1000 }),
    TextDocument.create(uri, 'dockerfile', 1, after),
  );
  assert.deepEqual(got.diagnostics, fresh.diagnostics);
  assert.ok(fresh.edit, 'the merge is offered');
  assert.deepEqual(got.edit, fresh.edit);
});

test("a RUN reused from an earlier version reads its scripts with the new version's SHELL", async () => {
  // 12 instructions: two parse segments. A line of the first becomes a SHELL of PowerShell; the RUN
  // in the second segment is the same object in both versions, but no longer a POSIX script.
  const lines = ['FROM debian', ...Array.from({ length: 9 }, (_, i) => `LABEL step=${i}`)];
  lines.push('RUN apt-get update && apt-get install curl', 'CMD ["app"]');
  const before = lines.join('\n') + '\n';
  const after = before.replace('LABEL step=2', 'SHELL ["pwsh", "-c"]');
  const uri = 'file:///shell-change/Dockerfile';
  const service = await getService({ analysisCacheLines: 1000 });
  const first = service.validate(TextDocument.create(uri, 'dockerfile', 1, before), { lang: 'en' });
  assert.ok(
    first.some((d) => d.code === 'apt-get-yes'),
    'a POSIX script first',
  );
  const got = service.validate(TextDocument.create(uri, 'dockerfile', 2, after), { lang: 'en' });
  const fresh = (await getService({ analysisCacheLines: 1000 })).validate(
    TextDocument.create(uri, 'dockerfile', 1, after),
    { lang: 'en' },
  );
  assert.ok(!fresh.some((d) => d.code === 'apt-get-yes'), 'PowerShell: not read as a shell script');
  assert.deepEqual(got, fresh);
});

test('a family rule re-runs on a stage when a stage built FROM it changes', async () => {
  const before = [
    'FROM debian AS base',
    'RUN apt-get update && apt-get install -y curl',
    'FROM base',
    'RUN apt-get install -y git',
    '',
  ].join('\n');
  // The child now fetches its own lists: the base's lists are no longer needed, the fix is offered.
  const after = before.replace('RUN apt-get install -y git', 'RUN apt-get update && apt-get install -y git');
  const uri = 'file:///family/Dockerfile';
  const service = await getService({ analysisCacheLines: 1000 });
  const first = service.validate(TextDocument.create(uri, 'dockerfile', 1, before), { lang: 'en' });
  const second = service.validate(TextDocument.create(uri, 'dockerfile', 2, after), { lang: 'en' });
  const fresh = (await getService({ analysisCacheLines: 1000 })).validate(
    TextDocument.create(uri, 'dockerfile', 1, after),
    { lang: 'en' },
  );
  assert.deepEqual(second, fresh);
  const onBase = (ds: readonly Diagnostic[]) =>
    ds.find((d) => d.code === 'apt-lists-cleanup' && d.range.start.line === 1)?.data as { data?: unknown } | undefined;
  assert.equal(onBase(first)?.data, undefined, 'no fix while the child needs the lists');
  assert.ok(onBase(second)?.data, 'the fix once the child updates by itself');
});

test('after renaming a stage, the stages built FROM it are checked against their new parent', async () => {
  // A child of `scratch` has no shell: its shell-form RUN is a finding until its parent is renamed away.
  // (Not on the first lines, which are parsed again whole for parser directives, and with lines
  // between them, so that the child is not parsed again with the parent's FROM line.)
  const filler = Array.from({ length: 30 }, (_, i) => `COPY app${i} /app${i}`);
  const start = ['# stages', 'ARG X=1', 'FROM scratch AS base', ...filler, 'FROM base', 'RUN echo hi', ''].join('\n');
  const steps = [start, edit(start, 'AS base', 'AS basex'), start, edit(start, 'FROM base', 'FROM basex')];
  const service = await getService({ analysisCacheLines: 1000 });
  const fresh = await getService({ analysisCacheLines: 1000 });
  steps.forEach((text, step) => {
    const uri = 'file:///rename-parent/Dockerfile';
    const cached = service.validate(TextDocument.create(uri, 'dockerfile', step + 1, text), { lang: 'en' });
    const other = `file:///rename-parent/fresh-${step}/Dockerfile`;
    const expected = fresh.validate(TextDocument.create(other, 'dockerfile', 1, text), { lang: 'en' });
    assert.deepEqual(cached.map(short), expected.map(short), `step ${step}`);
  });
});

test('renaming a stage re-runs the stage rules on it and on the stages built FROM it, not on the others', async () => {
  // The stages one stage rule runs on, through the service (which keeps the parse's segments).
  const rule = RULES.find((r) => r.id === 'latest-tag')! as { check: Rule['check'] };
  const check = rule.check;
  const ran: string[] = [];
  rule.check = (ctx) => {
    ran.push(ctx.stages[0]?.name ?? '(prologue)');
    check(ctx);
  };
  try {
    const service = await getService({ analysisCacheLines: 1000 });
    const text = (a: string, c: string) =>
      [
        `FROM alpine AS ${a}`,
        'RUN echo a',
        `FROM ${a} AS b`,
        'RUN echo b',
        `FROM debian AS ${c}`,
        'RUN echo c',
        '',
      ].join('\n');
    let version = 0;
    const run = (t: string) => {
      ran.length = 0;
      service.validate(TextDocument.create('file:///rename/Dockerfile', 'dockerfile', ++version, t), { lang: 'en' });
      return [...ran].sort();
    };
    assert.deepEqual(run(text('a', 'c')), ['a', 'b', 'c']);
    // A name nothing refers to (typing `AS name` on a new FROM): that stage only.
    assert.deepEqual(run(text('a', 'cc')), ['cc']);
    // A name another stage is built FROM: both (the parse may take in more lines after a FROM).
    const renamed = run(text('aa', 'cc'));
    assert.ok(renamed.includes('aa') && renamed.includes('b'), renamed.join());
  } finally {
    rule.check = check;
  }
});

/** Runs `body` with dockerfile-utils' validations counted (the syntax rule calls it through its module object). */
async function countingValidations(body: (calls: () => number) => Promise<void>): Promise<void> {
  const utils = createRequire(__filename)('dockerfile-utils') as { validate: (...args: unknown[]) => unknown };
  const original = utils.validate;
  let calls = 0;
  utils.validate = (...args: unknown[]) => {
    calls++;
    return original(...args);
  };
  try {
    await body(() => calls);
  } finally {
    utils.validate = original;
  }
}

test('after a first analysis, an edit re-validates only the chunk it changed, wherever its lines moved', async () => {
  await countingValidations(async (calls) => {
    // One stage of 60 instructions (parse segments of 8: 8 chunks), text no other test uses.
    const body = Array.from({ length: 60 }, (_, i) =>
      i % 10 === 0 ? `ENV PREPARE_${i}=${i}\n` : `LABEL step=${i}\n`,
    ).join('');
    // The FROM line is part of every chunk's text: a different one per service, nothing cached.
    const v1 = (tag: string) => `FROM alpine:3.20 AS prepare-${tag}-${Date.now()}\n${body}`;
    // (Not an ENV line: the chunks that read one carry it as context, an edit there re-validates them.)
    const edited = (text: string) => text.replace('LABEL step=33', 'LABEL step=thirty-three');
    const count = (run: () => void) => {
      const before = calls();
      run();
      return calls() - before;
    };
    const b = await getService({ analysisCacheLines: 40_000 });
    const docB = TextDocument.create('file:///prepare/b/Dockerfile', 'dockerfile', 1, v1('b'));
    assert.equal(
      count(() => b.validate(docB, { lang: 'en' })),
      1,
      'a first analysis: one whole-file validation',
    );
    // The same text opened again (another URI, another service's document) is not validated again.
    assert.equal(
      count(() =>
        b.validate(TextDocument.create('file:///prepare/b2/Dockerfile', 'dockerfile', 1, docB.getText()), {
          lang: 'en',
        }),
      ),
      0,
      'a re-open of the same text',
    );
    // An edit: only the chunk it changed; the other chunks' results come from the whole-file validation.
    const editB = TextDocument.create(docB.uri, 'dockerfile', 2, edited(docB.getText()));
    assert.equal(
      count(() => b.validate(editB, { lang: 'en' })),
      1,
    );
    // A line added at the top moves every chunk below. The first segment, now of 9 instructions, is
    // parsed again as two (8 and 1): two chunks of new text, validated; the 6 below kept theirs.
    const shifted = TextDocument.create(
      docB.uri,
      'dockerfile',
      3,
      editB.getText().replace('LABEL step=1\n', 'LABEL step=1\nLABEL step=1b\n'),
    );
    assert.equal(
      count(() => b.validate(shifted, { lang: 'en' })),
      2,
      'a line added in the first chunk',
    );
    // And the same diagnostics as a fresh analysis.
    const fresh = await getService({ analysisCacheLines: 40_000 });
    assert.deepEqual(
      b.validate(editB, { lang: 'en' }),
      fresh
        .validate(TextDocument.create('file:///prepare/c/Dockerfile', 'dockerfile', 1, editB.getText()), {
          lang: 'en',
        })
        .map((d) => ({
          ...d,
          relatedInformation: d.relatedInformation?.map((r) => ({ ...r, location: { ...r.location, uri: editB.uri } })),
        })),
    );
  });
});

test('an edit of an ENV in a long stage re-validates the chunks that read it, and only those', async () => {
  await countingValidations(async (calls) => {
    // One stage of 60 instructions (8 chunks). PORT is read by an EXPOSE in the sixth chunk, and
    // maybe by a continued name in the seventh; LABEL_PORT, whose value reads PORT, by a LABEL in the
    // fourth, which is told LABEL_PORT's value as written ("$PORT": dockerfile-ast never expands a
    // value further), so PORT's value changes nothing there; the other ENVs are read by no one.
    const lines = Array.from({ length: 60 }, (_, i) => `LABEL step=${i}\n`);
    lines[0] = 'ENV PORT=8080\n';
    lines[1] = 'ENV LABEL_PORT=$PORT\n';
    for (const i of [10, 20, 30]) lines[i] = `ENV UNREAD_${i}=${i}\n`;
    lines[28] = 'LABEL port=$LABEL_PORT\n';
    lines[45] = 'EXPOSE ${PORT}/tcp\n';
    // A name continued on the next line: the chunk takes every definition as context.
    lines[52] = 'EXPOSE $PO\\\nRT/tcp\n';
    const v1 = `FROM alpine:3.20 AS ports-${Date.now()}\n${lines.join('')}`;
    const service = await getService({ analysisCacheLines: 40_000 });
    const uri = 'file:///ports/Dockerfile';
    service.validate(TextDocument.create(uri, 'dockerfile', 1, v1), { lang: 'en' });
    const v2 = v1.replace('PORT=8080', 'PORT=http');
    const before = calls();
    const got = service.validate(TextDocument.create(uri, 'dockerfile', 2, v2), { lang: 'en' });
    assert.equal(calls() - before, 3, 'the chunks of the ENV and of the two EXPOSEs');
    const fresh = await getService({ analysisCacheLines: 40_000 });
    const want = fresh.validate(TextDocument.create(uri, 'dockerfile', 1, v2), { lang: 'en' });
    assert.deepEqual(got, want);
    assert.ok(
      got.some((d) => d.code === 'syntax' && d.range.start.line === 46),
      'the port is checked',
    );
  });
});

test('an edit of a global ARG re-validates the chunks that read it, and only those', async () => {
  await countingValidations(async (calls) => {
    // A header of global ARGs, one stage of 60 instructions (8 chunks). The stage's FROM reads BASE;
    // PORT is declared again in the stage (it takes the global value) and read by an EXPOSE; UNREAD
    // is read by no one. Each chunk carries of the header only what it reads: the first chunk of the
    // first stage, which keeps the header's own diagnostics, carries it whole.
    const lines = Array.from({ length: 60 }, (_, i) => `LABEL step=${i}\n`);
    lines[44] = 'ARG PORT\n';
    lines[45] = 'EXPOSE ${PORT}/tcp\n';
    const header = '# escape=\\\nARG BASE=alpine:3.20\nARG PORT=8080\nARG UNREAD=1\n';
    const v1 = `${header}FROM \${BASE} AS globals-${Date.now()}\n${lines.join('')}`;
    const service = await getService({ analysisCacheLines: 40_000 });
    const uri = 'file:///globals/Dockerfile';
    service.validate(TextDocument.create(uri, 'dockerfile', 1, v1), { lang: 'en' });
    const fresh = await getService({ analysisCacheLines: 40_000 });
    const check = (version: number, text: string, validations: number, what: string) => {
      const before = calls();
      const got = service.validate(TextDocument.create(uri, 'dockerfile', version, text), { lang: 'en' });
      assert.equal(calls() - before, validations, what);
      assert.deepEqual(got, fresh.validate(TextDocument.create(uri, 'dockerfile', 1, text), { lang: 'en' }), what);
      return got;
    };
    const v2 = v1.replace('UNREAD=1', 'UNREAD=2');
    check(2, v2, 1, 'a global no chunk reads: the first chunk only');
    const v3 = v2.replace('PORT=8080', 'PORT=http');
    const got = check(3, v3, 2, 'the first chunk and the chunk of the ARG and the EXPOSE');
    assert.ok(
      got.some((d) => d.code === 'syntax' && d.range.start.line === 50),
      'the port is checked with the global value',
    );
  });
});

test('a one-letter EXPOSE protocol in the last chunk, after lines above it moved: as a fresh analysis', async () => {
  // The incremental sweep's sequence on the same image: dockerfile-utils ended this range at twice
  // the argument's offset, so a chunk validated alone and the whole file ended it in different places.
  const v1 = [
    '# Based on the Fedora image',
    'FROM fedora',
    '',
    'MAINTAINER http://fedoraproject.org"/wiki/Cloud',
    '',
    'RUN dnf -y update && dnf clean all',
    '',
    'RUN dnf -y install dhcp-server /usr/sbin/ip /usr/bin/ipcalc && dnf clean all',
    '',
    'ADD dhcpd.sh /dhcpd',
    '',
    'EXPOSE 67/udp',
    'EXPOS"E 547/udp',
    'EXPOSE 67/udp',
    'EXPOSE 647/u dp',
    'EXPOSE 847/udp',
    '',
    'ENTRYPOINT ["/dhcpd"]',
    'CMD ["-d", "-cf", "/etc/dhcp/dhcpd.conf", "-lf", "/var/lib/dhcpd/dhcpd.leases", "--no-pid"]',
    '',
  ].join('\n');
  const v2 = v1.replace('847/udp', '847/up');
  const v3 = v2.replace('fedora\n\n', 'fedora\n');
  const service = await getService({ analysisCacheLines: 40_000 });
  const uri = 'file:///dhcpd-moved/Dockerfile';
  let got: Diagnostic[] = [];
  [v1, v2, v3].forEach((text, i) => {
    got = service.validate(TextDocument.create(uri, 'dockerfile', i + 1, text), { lang: 'en' });
  });
  const fresh = await getService({ analysisCacheLines: 40_000 });
  const want = fresh.validate(TextDocument.create(uri, 'dockerfile', 1, v3), { lang: 'en' });
  assert.deepEqual(got.map(key), want.map(key));
  const protocol = want.find((d) => d.code === 'syntax' && d.range.start.line === 13);
  assert.deepEqual(protocol?.range, { start: { line: 13, character: 11 }, end: { line: 13, character: 12 } });
});

test('a line break typed inside an EXPOSE protocol: as a fresh analysis', async () => {
  // From the corpus (Fedora's dhcpd image) and the incremental sweep: a line break typed inside
  // `udp` leaves a protocol of one letter, whose range dockerfile-utils ends far past the instruction.
  const before = [
    'FROM fedora',
    'RUN dnf -y update && dnf clean all',
    'RUN dnf -y install dhcp-server && dnf clean all',
    'ADD dhcpd.sh /dhcpd',
    ...Array.from({ length: 6 }, (_, i) => `LABEL n${i}=${i}`),
    'EXPOSE 67/udp',
    'EXPOSE 547/udp',
    'EXPOSE 647/udp',
    'EXPOSE 847/udp',
    '',
    'ENTRYPOINT ["/dhcpd"]',
    'CMD ["-d", "-cf", "/etc/dhcp/dhcpd.conf"]',
    '',
  ].join('\n');
  const after = before.replace('EXPOSE 547/udp', 'EXPOSE 547/u\ndp');
  const service = await getService({ analysisCacheLines: 40_000 });
  const uri = 'file:///dhcpd/Dockerfile';
  service.validate(TextDocument.create(uri, 'dockerfile', 1, before), { lang: 'en' });
  const got = service.validate(TextDocument.create(uri, 'dockerfile', 2, after), { lang: 'en' });
  const fresh = await getService({ analysisCacheLines: 40_000 });
  const want = fresh.validate(TextDocument.create(uri, 'dockerfile', 1, after), { lang: 'en' });
  assert.deepEqual(got.map(key), want.map(key));
  assert.ok(want.some((d) => d.code === 'syntax' && d.range.start.line === 11));
});

test('the chunks of a long stage are kept from one version to the next where nothing they copy changed', async () => {
  const parser = await shellParser();
  // One stage of 60 instructions after a global ARG (parse segments of 8: 8 chunks). PORT is
  // defined in the first chunk and read by an EXPOSE in the sixth.
  const lines = Array.from({ length: 60 }, (_, i) => `LABEL step=${i}\n`);
  lines[0] = 'ENV PORT=8080\n';
  lines[45] = 'EXPOSE ${PORT}/tcp\n';
  const uri = 'file:///incremental/kept-chunks/Dockerfile';
  let previous: DockerfileModel | undefined;
  const chunks = (text: string): Chunk[] => {
    const current = new DockerfileModel(TextDocument.create(uri, 'dockerfile', ++version, text), parser, previous);
    previous = current;
    return chunksOf(current, current.stages[0]!.instructions);
  };
  /** Which chunks of `after` are those of `before` (the same objects). */
  const kept = (before: Chunk[], after: Chunk[]) => after.map((chunk, i) => chunk === before[i]);
  /** The chunk holding a line. */
  const at = (list: Chunk[], line: number) => list.findIndex((c) => c.startLine <= line && line < c.endLine);

  const v1 = `ARG BASE=alpine:3.20\nFROM \${BASE} AS kept\n${lines.join('')}`;
  const c1 = chunks(v1);
  assert.equal(c1.length, 8);
  assert.ok(kept(c1, chunks(v1)).every(Boolean), 'the same text again: every chunk kept');

  // An edit inside one chunk: that chunk only is made again.
  const v2 = v1.replace('LABEL step=50\n', 'LABEL step=fifty\n');
  const c2 = chunks(v2);
  const edited = at(c2, 52);
  assert.deepEqual(
    kept(c1, c2),
    c2.map((_, i) => i !== edited),
  );
  assert.ok(c2[edited]!.text.includes('step=fifty'));

  // An edit next to the ENV: its segment is parsed again, the ENV is a new object with the same text,
  // and what the later chunks copy is the same.
  const v3 = v2.replace('LABEL step=3\n', 'LABEL step=three\n');
  const c3 = chunks(v3);
  assert.deepEqual(
    kept(c2, c3),
    c3.map((_, i) => i !== 0),
  );

  // The ENV's value: every later chunk may read it (the EXPOSE does): all made again, the EXPOSE's
  // with the new value as context.
  const v4 = v3.replace('PORT=8080', 'PORT=9090');
  const c4 = chunks(v4);
  assert.ok(kept(c3, c4).every((k) => !k));
  assert.ok(c4[at(c4, 47)]!.text.includes('ENV PORT=9090\n'));

  // The FROM, which every chunk copies, and a global ARG, which the FROM reads: all made again.
  const v5 = v4.replace(' AS kept\n', ' AS kept2\n');
  const c5 = chunks(v5);
  assert.ok(kept(c4, c5).every((k) => !k));
  assert.ok(c5.every((c) => c.text.includes('AS kept2\n')));
  const c6 = chunks(v5.replace('BASE=alpine:3.20', 'BASE=alpine:3.21'));
  assert.ok(kept(c5, c6).every((k) => !k));
  assert.ok(c6.every((c) => c.text.includes('ARG BASE=alpine:3.21\n')));
});

test("a chunk's context holds of each name its lines read the last ENV and the last ARG, not every earlier one", async () => {
  const parser = await shellParser();
  // Blocks that each put a directory in front of PATH (PATH=...:$PATH), as long stages do; PORT
  // defined three times on the way; the last chunk reads PATH and PORT.
  const lines: string[] = [];
  for (let i = 0; i < 40; i++) {
    lines.push(`ENV PATH=/opt/b${i}/bin:$PATH\n`, `LABEL step=${i}\n`);
    if (i === 20) lines.push('ARG PORT=1\n', 'ENV PORT=8080\n', 'ARG PORT\n');
  }
  for (let i = 0; i < 10; i++) lines.push(`LABEL tail=${i}\n`);
  lines.push('EXPOSE $PORT\n', 'RUN echo "$PATH"\n');
  const text = `FROM alpine:3.20 AS paths\n${lines.join('')}`;
  const current = new DockerfileModel(
    TextDocument.create('file:///incremental/paths/Dockerfile', 'dockerfile', ++version, text),
    parser,
  );
  const chunks = chunksOf(current, current.stages[0]!.instructions);
  const last = chunks[chunks.length - 1]!;
  assert.ok(last.text.includes('EXPOSE $PORT\n') && !last.text.includes('LABEL step=39\n'));
  assert.deepEqual(last.text.split('\n').slice(last.headerEnd, last.bodyFirstLine), [
    'FROM alpine:3.20 AS paths',
    'ENV PORT=8080',
    'ARG PORT',
    'ENV PATH=/opt/b39/bin:$PATH',
  ]);
  // And the diagnostics of edits there are those of a fresh analysis (the port is checked).
  checkSequence(parser, 'paths', [
    text,
    text.replace('EXPOSE $PORT\n', 'EXPOSE ${PORT}/tcpx\n'),
    text.replace('ENV PORT=8080\n', 'ENV PORT=http\n'),
  ]);
});
