// Token-scope tests for syntaxes/dockerfile.tmLanguage.json through vscode-textmate + vscode-oniguruma.
// Shell and Python come from test/fixtures/grammars (vendored copies of VS Code's grammars).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { buildGrammar, grammarPath } from '../../scripts/build-grammar';
import { tokenize, type Token } from './textmate';

interface Doc {
  lines: string[];
  tokens: Token[][];
}

const KEYWORD = 'keyword.other.special-method.dockerfile';
const SHELL = 'meta.embedded.block.shell';
const PYTHON = 'meta.embedded.block.python';
const CONTINUATION = 'constant.character.escape.line-continuation.dockerfile';
const HEREDOC_TOKEN = 'keyword.control.heredoc-token.dockerfile';

async function doc(...lines: string[]): Promise<Doc> {
  return { lines, tokens: await tokenize(lines.join('\n')) };
}

/** The token that covers the first character of the `nth` occurrence of `needle` on line `line` (0-based). */
function at(d: Doc, line: number, needle: string, nth = 0): Token {
  const text = d.lines[line];
  assert.ok(text !== undefined, `no line ${line}`);
  let index = -1;
  for (let i = 0; i <= nth; i++) {
    index = text.indexOf(needle, index + 1);
    assert.ok(index >= 0, `"${needle}" (#${nth}) not on line ${line}: ${text}`);
  }
  let start = 0;
  for (const token of d.tokens[line]) {
    if (index >= start && index < start + token.text.length) return token;
    start += token.text.length;
  }
  assert.fail(`no token at ${line}:${index}`);
}

/** True when one of the token's scopes is `scope` or a more specific scope under it (TextMate selector rules). */
function has(token: Token, scope: string): boolean {
  return token.scopes.some((s) => s === scope || s.startsWith(scope + '.'));
}

function expectScope(d: Doc, line: number, needle: string, scope: string, nth = 0): void {
  const token = at(d, line, needle, nth);
  assert.ok(has(token, scope), `"${needle}" on line ${line} lacks ${scope}: ${token.scopes.join(' ')}`);
}

function expectNoScope(d: Doc, line: number, needle: string, scope: string, nth = 0): void {
  const token = at(d, line, needle, nth);
  assert.ok(!has(token, scope), `"${needle}" on line ${line} has ${scope}: ${token.scopes.join(' ')}`);
}

/** `word` is an instruction keyword, and neither a string nor a comment. */
function expectKeyword(d: Doc, line: number, word: string, nth = 0): void {
  expectScope(d, line, word, KEYWORD, nth);
  expectNoScope(d, line, word, 'string', nth);
  expectNoScope(d, line, word, 'comment', nth);
}

describe('instructions', () => {
  test('every instruction is a keyword', async () => {
    const words = [
      'FROM alpine:3.20',
      'RUN true',
      'CMD ["sh"]',
      'ENTRYPOINT ["sh"]',
      'COPY a b',
      'ADD a b',
      'ENV A=1',
      'ARG B',
      'LABEL a=b',
      'EXPOSE 80',
      'USER app',
      'WORKDIR /app',
      'VOLUME /data',
      'SHELL ["/bin/bash", "-c"]',
      'STOPSIGNAL SIGTERM',
      'HEALTHCHECK NONE',
      'MAINTAINER someone',
      'ONBUILD RUN true',
    ];
    const d = await doc(...words);
    words.forEach((w, i) => expectKeyword(d, i, w.split(' ')[0]));
  });

  test('keywords in any case', async () => {
    const d = await doc('from alpine AS base', 'Run echo hi', 'cOpY a b', 'workdir /app');
    expectKeyword(d, 0, 'from');
    expectKeyword(d, 0, 'AS');
    expectKeyword(d, 1, 'Run');
    expectKeyword(d, 2, 'cOpY');
    expectKeyword(d, 3, 'workdir');
  });

  test('ONBUILD RUN: both keywords, the trigger keeps its own syntax', async () => {
    const d = await doc('ONBUILD RUN make && make install', 'onbuild copy --chown=app . /src', 'ONBUILD');
    expectKeyword(d, 0, 'ONBUILD');
    expectKeyword(d, 0, 'RUN');
    expectScope(d, 0, 'make', SHELL);
    expectScope(d, 0, '&&', 'punctuation.separator.statement.and.shell');
    expectKeyword(d, 1, 'onbuild');
    expectKeyword(d, 1, 'copy');
    expectScope(d, 1, '--chown', 'variable.parameter.flag.dockerfile');
    expectKeyword(d, 2, 'ONBUILD');
  });

  test('an unknown word at the start of a line is not a keyword', async () => {
    const d = await doc('RUNN echo', 'FROMAGE x');
    expectNoScope(d, 0, 'RUNN', KEYWORD);
    expectNoScope(d, 1, 'FROMAGE', KEYWORD);
  });
});

describe('flags', () => {
  test('--mount=type=cache,target=/root/.cache', async () => {
    const d = await doc('RUN --mount=type=cache,target=/root/.cache pip install -r requirements.txt');
    expectScope(d, 0, '--mount', 'variable.parameter.flag.dockerfile');
    expectScope(d, 0, '--', 'punctuation.definition.flag.dockerfile');
    expectScope(d, 0, 'type', 'entity.other.attribute-name.dockerfile');
    expectScope(d, 0, '=', 'keyword.operator.assignment.dockerfile', 1);
    expectScope(d, 0, 'cache', 'string.unquoted.dockerfile');
    expectScope(d, 0, ',', 'punctuation.separator.comma.dockerfile');
    expectScope(d, 0, 'target', 'entity.other.attribute-name.dockerfile');
    expectScope(d, 0, '/root/.cache', 'string.unquoted.dockerfile');
    expectNoScope(d, 0, '--mount', SHELL);
    expectScope(d, 0, 'pip', SHELL);
    expectScope(d, 0, 'pip', 'entity.name.command.shell');
  });

  test('flags on continuation lines, then the command', async () => {
    const d = await doc(
      'RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \\',
      '    --network=none \\',
      '    apt-get update',
    );
    expectScope(d, 0, '\\', CONTINUATION);
    expectScope(d, 1, '--network', 'variable.parameter.flag.dockerfile');
    expectScope(d, 1, 'none', 'string.unquoted.dockerfile');
    expectScope(d, 2, 'apt-get', 'entity.name.command.shell');
  });

  test('COPY --from=<stage> names a stage; --chown and --chmod take values', async () => {
    const d = await doc('COPY --from=build --chown=app:app --chmod=755 /out/app /usr/local/bin/app');
    expectScope(d, 0, '--from', 'variable.parameter.flag.dockerfile');
    expectScope(d, 0, 'build', 'entity.name.type.stage.dockerfile');
    expectScope(d, 0, 'app:app', 'string.unquoted.dockerfile');
    expectScope(d, 0, '755', 'string.unquoted.dockerfile');
    expectNoScope(d, 0, '/out/app', 'string');
  });

  test('HEALTHCHECK flags, CMD and NONE', async () => {
    const d = await doc(
      'HEALTHCHECK --interval=30s --timeout=3s CMD curl -f http://localhost/ || exit 1',
      'HEALTHCHECK NONE',
    );
    expectScope(d, 0, '--interval', 'variable.parameter.flag.dockerfile');
    expectScope(d, 0, '30s', 'string.unquoted.dockerfile');
    expectKeyword(d, 0, 'CMD');
    expectScope(d, 0, 'curl', 'entity.name.command.shell');
    expectScope(d, 1, 'NONE', 'constant.language.none.dockerfile');
  });
});

describe('FROM and stages', () => {
  test('FROM image:tag@digest AS name', async () => {
    const digest = 'sha256:' + 'a1'.repeat(32);
    const d = await doc(`FROM golang:1.23-bookworm@${digest} AS build`);
    expectScope(d, 0, 'golang', 'support.type.image.dockerfile');
    expectScope(d, 0, ':', 'punctuation.separator.tag.dockerfile');
    expectScope(d, 0, '1.23-bookworm', 'constant.other.tag.dockerfile');
    expectScope(d, 0, '@', 'punctuation.separator.digest.dockerfile');
    expectScope(d, 0, 'sha256:', 'constant.other.digest.dockerfile');
    expectKeyword(d, 0, 'AS');
    expectScope(d, 0, 'build', 'entity.name.type.stage.dockerfile');
  });

  test('a registry port is part of the image name; --platform takes a variable', async () => {
    const d = await doc('FROM --platform=$BUILDPLATFORM localhost:5000/team/app:1.0 as base');
    expectScope(d, 0, 'BUILDPLATFORM', 'variable.other.dockerfile');
    expectScope(d, 0, 'localhost:5000/team/app', 'support.type.image.dockerfile');
    expectNoScope(d, 0, '5000', 'constant.other.tag.dockerfile');
    expectScope(d, 0, '1.0', 'constant.other.tag.dockerfile');
    expectKeyword(d, 0, 'as');
    expectScope(d, 0, 'base', 'entity.name.type.stage.dockerfile');
  });

  test('FROM scratch and FROM ${IMAGE}', async () => {
    const d = await doc('FROM scratch', 'FROM ${BASE_IMAGE}:${TAG:-latest}');
    expectScope(d, 0, 'scratch', 'constant.language.scratch.dockerfile');
    expectScope(d, 1, 'BASE_IMAGE', 'variable.other.dockerfile');
    expectScope(d, 1, 'TAG', 'variable.other.dockerfile');
    expectScope(d, 1, ':-', 'keyword.operator.expansion.dockerfile');
  });
});

describe('exec form', () => {
  test('CMD and ENTRYPOINT JSON arrays are strings, not shell', async () => {
    const d = await doc('CMD ["node", "server.js"]', 'ENTRYPOINT ["/docker-entrypoint.sh"]');
    expectScope(d, 0, '[', 'punctuation.definition.array.begin.dockerfile');
    expectScope(d, 0, 'node', 'string.quoted.double.dockerfile');
    expectScope(d, 0, ',', 'punctuation.separator.array.dockerfile');
    expectScope(d, 0, ']', 'punctuation.definition.array.end.dockerfile');
    expectNoScope(d, 0, 'node', SHELL);
    expectScope(d, 1, '/docker-entrypoint.sh', 'string.quoted.double.dockerfile');
  });

  test('an escaped quote inside a JSON string does not end it', async () => {
    const d = await doc('CMD ["sh", "-c", "echo \\"hi\\" there"]', 'USER app');
    expectScope(d, 0, '\\"', 'constant.character.escape.dockerfile');
    expectScope(d, 0, 'there', 'string.quoted.double.dockerfile');
    expectScope(d, 0, ']', 'punctuation.definition.array.end.dockerfile');
    expectKeyword(d, 1, 'USER');
  });

  test('RUN [ -f x ] is shell form (a test command), RUN ["a"] is exec form', async () => {
    const d = await doc('RUN [ -f /etc/os-release ] && cat /etc/os-release', 'RUN ["/bin/sh", "-c", "true"]');
    expectScope(d, 0, '[', SHELL);
    expectScope(d, 0, '&&', 'punctuation.separator.statement.and.shell');
    expectScope(d, 1, '/bin/sh', 'string.quoted.double.dockerfile');
    expectNoScope(d, 1, '/bin/sh', SHELL);
  });

  test('only a valid JSON array of strings is exec form, as in Docker', async () => {
    const d = await doc('RUN [ "$(id -u)" = 0 ] && \\', '    echo root', 'CMD ["a"] # not JSON any more', 'USER app');
    expectScope(d, 0, '[', SHELL);
    expectScope(d, 0, '\\', CONTINUATION);
    expectScope(d, 1, 'echo', 'entity.name.command.shell');
    expectScope(d, 2, '[', SHELL);
    expectKeyword(d, 3, 'USER');
  });

  test('a command glued to the continuation backslash', async () => {
    const d = await doc('RUN true && pwsh\\', '    -NoLogo', 'USER app');
    expectScope(d, 0, '\\', CONTINUATION);
    expectScope(d, 1, '-NoLogo', 'meta.instruction.run.dockerfile');
    expectKeyword(d, 2, 'USER');
  });

  test('continuations the embedded shell grammar would otherwise swallow', async () => {
    const d = await doc(
      'COPY C:\\\\a\\\\',
      '     C:\\\\b',
      '',
      'RUN Write-Host start; \\',
      '    \\',
      '    if ((Get-FileHash x.zip).Hash -ne $env:SHA) { \\',
      '        exit 1; \\',
      '    }',
      'USER app',
    );
    expectScope(d, 0, '\\\\', CONTINUATION, 1);
    expectScope(d, 1, 'C:', 'meta.instruction.copy.dockerfile');
    expectKeyword(d, 3, 'RUN');
    expectScope(d, 4, '\\', CONTINUATION);
    expectScope(d, 6, 'exit', 'meta.instruction.run.dockerfile');
    expectScope(d, 7, '}', 'meta.instruction.run.dockerfile');
    expectKeyword(d, 8, 'USER');
  });

  test('a JSON array across a continuation', async () => {
    const d = await doc('SHELL ["powershell", \\', '      "-Command"]', 'RUN Get-Date');
    expectScope(d, 0, '\\', CONTINUATION);
    expectScope(d, 1, '-Command', 'string.quoted.double.dockerfile');
    expectKeyword(d, 2, 'RUN');
  });
});

describe('key=value and variables', () => {
  test('ENV key=value pairs, quoted and unquoted', async () => {
    const d = await doc('ENV NODE_ENV=production APP_HOME="/srv/my app" PATH=/app/bin:$PATH');
    expectScope(d, 0, 'NODE_ENV', 'variable.other.dockerfile');
    expectScope(d, 0, '=', 'keyword.operator.assignment.dockerfile');
    expectScope(d, 0, 'production', 'string.unquoted.dockerfile');
    expectScope(d, 0, '"/srv', 'string.quoted.double.dockerfile');
    expectScope(d, 0, 'app"', 'string.quoted.double.dockerfile');
    expectScope(d, 0, 'PATH', 'variable.other.dockerfile', 1);
    expectScope(d, 0, '$PATH', 'variable.other.dockerfile');
    expectScope(d, 0, '$PATH', 'punctuation.definition.variable.dockerfile');
  });

  test('ENV legacy form: key, then the rest is the value', async () => {
    const d = await doc('ENV JAVA_OPTS -Xmx1g -Dfoo=bar', 'WORKDIR /app');
    expectScope(d, 0, 'JAVA_OPTS', 'variable.other.dockerfile');
    expectScope(d, 0, '-Xmx1g', 'string.unquoted.dockerfile');
    expectNoScope(d, 0, 'Dfoo', 'variable.other.dockerfile');
    expectKeyword(d, 1, 'WORKDIR');
  });

  test('LABEL keys and ARG names with and without defaults', async () => {
    const d = await doc(
      'LABEL org.opencontainers.image.source="https://example.com/repo" maintainer=me',
      'ARG VERSION=1.2.3',
      'ARG TARGETARCH',
    );
    expectScope(d, 0, 'org.opencontainers.image.source', 'entity.other.attribute-name.label.dockerfile');
    expectScope(d, 0, 'https', 'string.quoted.double.dockerfile');
    expectScope(d, 0, 'maintainer', 'entity.other.attribute-name.label.dockerfile');
    expectScope(d, 1, 'VERSION', 'variable.other.dockerfile');
    expectScope(d, 1, '1.2.3', 'string.unquoted.dockerfile');
    expectScope(d, 2, 'TARGETARCH', 'variable.other.dockerfile');
  });

  test('$VAR and ${VAR:-default} in COPY, WORKDIR, USER, EXPOSE and inside strings', async () => {
    const d = await doc(
      'COPY ${SRC:-./app} $DEST',
      'WORKDIR ${APP_HOME}/src',
      'USER ${UID}:${GID:?gid required}',
      'EXPOSE $PORT',
      'ENV GREETING="hello ${NAME:+dear }$NAME"',
    );
    expectScope(d, 0, 'SRC', 'variable.other.dockerfile');
    expectScope(d, 0, '${', 'punctuation.definition.variable.begin.dockerfile');
    expectScope(d, 0, ':-', 'keyword.operator.expansion.dockerfile');
    expectScope(d, 0, '}', 'punctuation.definition.variable.end.dockerfile');
    expectScope(d, 0, 'DEST', 'variable.other.dockerfile');
    expectScope(d, 1, 'APP_HOME', 'variable.other.dockerfile');
    expectNoScope(d, 1, '/src', 'variable');
    expectScope(d, 2, 'GID', 'variable.other.dockerfile');
    expectScope(d, 2, ':?', 'keyword.operator.expansion.dockerfile');
    expectScope(d, 3, 'PORT', 'variable.other.dockerfile');
    expectScope(d, 4, 'NAME', 'variable.other.dockerfile');
    expectScope(d, 4, 'NAME', 'string.quoted.double.dockerfile');
    expectScope(d, 4, ':+', 'keyword.operator.expansion.dockerfile');
  });

  test('variables in shell form are the shell grammar’s', async () => {
    const d = await doc('RUN echo "$HOME" ${PATH}');
    expectScope(d, 0, 'HOME', 'variable.other.normal.shell');
    expectScope(d, 0, 'PATH', 'variable.other.normal.shell');
    expectScope(d, 0, '${', 'punctuation.definition.variable.shell');
  });

  test('EXPOSE ports and protocols, STOPSIGNAL; # inside EXPOSE is not a comment', async () => {
    const d = await doc('EXPOSE 80/tcp 8000-8010/udp # web', 'STOPSIGNAL SIGQUIT');
    expectScope(d, 0, '80', 'constant.numeric.port.dockerfile');
    expectScope(d, 0, 'tcp', 'constant.language.protocol.dockerfile');
    expectScope(d, 0, '8010', 'constant.numeric.port.dockerfile');
    expectNoScope(d, 0, '# web', 'comment');
    expectScope(d, 1, 'SIGQUIT', 'constant.language.signal.dockerfile');
  });
});

describe('parser directives and comments', () => {
  test('directives at the top of the file', async () => {
    const d = await doc('# syntax=docker/dockerfile:1.7', '#check=skip=JSONArgsRecommended', 'FROM alpine');
    expectScope(d, 0, '#', 'meta.directive.dockerfile');
    expectScope(d, 0, 'syntax', 'keyword.control.directive.dockerfile');
    expectScope(d, 0, 'docker/dockerfile:1.7', 'string.unquoted.directive-value.dockerfile');
    expectNoScope(d, 0, 'syntax', 'comment');
    expectScope(d, 1, 'check', 'keyword.control.directive.dockerfile');
    expectKeyword(d, 2, 'FROM');
  });

  test('a directive after the first instruction, a blank line or a comment is a comment', async () => {
    const d = await doc('FROM alpine', '# syntax=docker/dockerfile:1');
    expectScope(d, 1, 'syntax', 'comment.line.number-sign.dockerfile');
    expectNoScope(d, 1, 'syntax', 'keyword.control.directive.dockerfile');
    const blank = await doc('', '# escape=`', 'RUN a \\', 'b');
    expectScope(blank, 1, 'escape', 'comment.line.number-sign.dockerfile');
    expectScope(blank, 2, '\\', CONTINUATION);
    const after = await doc('# hello', '# syntax=x');
    expectScope(after, 1, 'syntax', 'comment.line.number-sign.dockerfile');
  });

  test('comments and their punctuation', async () => {
    const d = await doc('  # install the runtime', 'RUN true');
    expectScope(d, 0, '#', 'punctuation.definition.comment.dockerfile');
    expectScope(d, 0, 'install', 'comment.line.number-sign.dockerfile');
    expectKeyword(d, 1, 'RUN');
  });

  test('an invalid escape directive value is flagged', async () => {
    const d = await doc('# escape=x', 'FROM a');
    expectScope(d, 0, 'x', 'invalid.illegal.escape.dockerfile');
  });
});

describe('line continuations', () => {
  test('backslash continuation keeps the instruction (and its shell) going', async () => {
    const d = await doc('RUN apt-get update \\', '    && apt-get install -y curl', 'USER app');
    expectScope(d, 0, '\\', CONTINUATION);
    expectScope(d, 1, '&&', 'punctuation.separator.statement.and.shell');
    expectScope(d, 1, 'apt-get', 'meta.instruction.run.dockerfile');
    expectKeyword(d, 2, 'USER');
  });

  test('a continuation with trailing whitespace', async () => {
    const d = await doc('ENV A=1 \\  ', '    B=2', 'ENV C=3');
    expectScope(d, 0, '\\', CONTINUATION);
    expectScope(d, 1, 'B', 'variable.other.dockerfile');
    expectKeyword(d, 2, 'ENV');
  });

  test('comment lines and empty lines inside a continuation are skipped, the instruction goes on', async () => {
    const d = await doc(
      'RUN apt-get update \\',
      '    # the packages we need',
      '    && apt-get install -y \\',
      '',
      '       curl',
      'COPY . /app',
    );
    expectScope(d, 1, 'packages', 'comment.line.number-sign.dockerfile');
    expectScope(d, 1, '#', 'punctuation.definition.comment.dockerfile');
    expectScope(d, 2, '&&', 'punctuation.separator.statement.and.shell');
    expectScope(d, 2, 'apt-get', 'meta.instruction.run.dockerfile');
    expectScope(d, 4, 'curl', 'meta.instruction.run.dockerfile');
    expectKeyword(d, 5, 'COPY');
  });

  test('a keyword on a continued line belongs to the previous instruction, as in Docker', async () => {
    const d = await doc('RUN echo \\', 'FROM x');
    expectNoScope(d, 1, 'FROM', KEYWORD);
    expectScope(d, 1, 'FROM', SHELL);
  });

  test('in a default file a trailing backtick is not a continuation', async () => {
    const d = await doc('RUN echo `', 'RUN true');
    expectNoScope(d, 0, '`', CONTINUATION);
    expectKeyword(d, 1, 'RUN');
  });
});

describe('escape=` (Windows) files', () => {
  const windows = [
    '# escape=`',
    '# syntax=docker/dockerfile:1',
    'FROM mcr.microsoft.com/windows/servercore:ltsc2022',
    'SHELL ["powershell", "-Command"]',
    'COPY . C:\\app\\',
    'RUN New-Item -ItemType Directory C:\\data ; `',
    '    # a comment inside the continuation',
    '    Write-Host "ready"',
    'ENV APP_HOME="C:\\app" `',
    '    MODE=release',
    'WORKDIR C:\\app',
  ];

  test('the directive and the following directive block', async () => {
    const d = await doc(...windows);
    expectScope(d, 0, 'escape', 'keyword.control.directive.dockerfile');
    expectScope(d, 0, '`', 'constant.character.escape.dockerfile');
    expectScope(d, 1, 'syntax', 'keyword.control.directive.dockerfile');
    expectKeyword(d, 2, 'FROM');
  });

  test('a trailing backslash is a path, not a continuation', async () => {
    const d = await doc(...windows);
    expectNoScope(d, 4, 'app\\', CONTINUATION);
    expectKeyword(d, 5, 'RUN');
  });

  test('the backtick continues RUN and ENV; comments inside are skipped', async () => {
    const d = await doc(...windows);
    expectScope(d, 5, '`', CONTINUATION);
    expectScope(d, 6, 'comment', 'comment.line.number-sign.dockerfile');
    expectScope(d, 7, 'Write-Host', SHELL);
    expectScope(d, 8, '`', CONTINUATION);
    expectScope(d, 8, 'C:\\app', 'string.quoted.double.dockerfile');
    expectScope(d, 9, 'MODE', 'variable.other.dockerfile');
    expectKeyword(d, 10, 'WORKDIR');
  });

  test('the backtick escapes inside strings in escape=` files', async () => {
    const d = await doc('# escape=`', 'ENV A="say `"hi`""', 'ENV B=1');
    expectScope(d, 1, '`"', 'constant.character.escape.dockerfile');
    expectScope(d, 1, 'hi', 'string.quoted.double.dockerfile');
    expectKeyword(d, 2, 'ENV');
  });
});

describe('shell form', () => {
  test('RUN is coloured as shell: commands, &&, if, strings', async () => {
    const d = await doc(
      'RUN set -eux; \\',
      '    if [ "$(uname -m)" = "x86_64" ]; then echo amd64 > /arch; fi \\',
      "    && echo 'done'",
    );
    expectScope(d, 0, 'set', SHELL);
    expectScope(d, 0, 'set', 'entity.name.command.shell');
    expectScope(d, 1, 'if', 'keyword.control.if.shell');
    expectScope(d, 1, '"x86_64"', 'string.quoted.double.shell');
    expectScope(d, 1, 'fi', 'keyword.control.fi.shell');
    expectScope(d, 2, '&&', 'punctuation.separator.statement.and.shell');
    expectScope(d, 2, "'done'", 'string.quoted.single.shell');
  });

  test('CMD and ENTRYPOINT shell form, and a shell comment at the end of RUN', async () => {
    const d = await doc('CMD exec nginx -g "daemon off;"', 'ENTRYPOINT /entrypoint.sh', 'RUN make # build it');
    expectScope(d, 0, 'nginx', SHELL);
    expectScope(d, 0, '"daemon off;"', 'string.quoted.double.shell');
    expectScope(d, 1, '/entrypoint.sh', SHELL);
    expectScope(d, 2, 'build', 'comment.line.number-sign.shell');
  });
});

describe('strings end with their instruction', () => {
  test('RUN echo "it\\\'s: the unterminated quote stops at the end of the instruction', async () => {
    const d = await doc('RUN echo "it\\\'s', 'RUN echo ok', 'COPY a b');
    expectScope(d, 0, 'it', 'string.quoted.double.shell');
    expectKeyword(d, 1, 'RUN');
    expectScope(d, 1, 'echo', 'entity.name.command.shell');
    expectNoScope(d, 1, 'echo', 'string');
    expectKeyword(d, 2, 'COPY');
  });

  test('unterminated quotes in ENV, LABEL, CMD JSON, and an open ${', async () => {
    const d = await doc('ENV A="open', "LABEL b='open", 'CMD ["open', 'ENV C=${OPEN', "RUN echo 'open", 'EXPOSE 80');
    expectScope(d, 0, 'open', 'string.quoted.double.dockerfile');
    expectKeyword(d, 1, 'LABEL');
    expectKeyword(d, 2, 'CMD');
    expectKeyword(d, 3, 'ENV');
    expectKeyword(d, 4, 'RUN');
    expectKeyword(d, 5, 'EXPOSE');
    expectScope(d, 5, '80', 'constant.numeric.port.dockerfile');
  });

  test('a quoted string may span a continuation, and still ends with the instruction', async () => {
    const d = await doc('RUN echo "one \\', '    two', 'WORKDIR /x');
    expectScope(d, 1, 'two', 'string.quoted.double.shell');
    expectKeyword(d, 2, 'WORKDIR');
  });

  test('an escaped quote in a shell string does not end it; the next instruction is intact', async () => {
    const d = await doc('RUN echo "say \\"hi\\"" > /greeting', 'USER app');
    expectScope(d, 0, 'greeting', SHELL);
    expectNoScope(d, 0, 'greeting', 'string.quoted');
    expectKeyword(d, 1, 'USER');
  });
});

describe('heredocs', () => {
  test('RUN <<EOF: body is shell, terminator is a heredoc token, next line is an instruction', async () => {
    const d = await doc('RUN <<EOF', 'set -e', 'echo "building $TARGET" && make', 'EOF', 'FROM scratch');
    expectScope(d, 0, '<<', 'keyword.operator.heredoc.dockerfile');
    expectScope(d, 0, 'EOF', HEREDOC_TOKEN);
    expectScope(d, 1, 'set', SHELL);
    expectScope(d, 1, 'set', 'entity.name.command.shell');
    expectScope(d, 2, '"building', 'string.quoted.double.shell');
    expectScope(d, 2, '&&', 'punctuation.separator.statement.and.shell');
    expectScope(d, 3, 'EOF', HEREDOC_TOKEN);
    expectNoScope(d, 3, 'EOF', SHELL);
    expectKeyword(d, 4, 'FROM');
  });

  test('a heredoc body is not Dockerfile: FROM in a body is not a keyword', async () => {
    const d = await doc('COPY <<EOF /Dockerfile.inner', 'FROM alpine', 'RUN echo inner', 'EOF', 'RUN echo outer');
    expectNoScope(d, 1, 'FROM', KEYWORD);
    expectNoScope(d, 2, 'RUN', KEYWORD);
    expectKeyword(d, 4, 'RUN');
  });

  test('<<-EOF strips tabs: a tab-indented terminator ends it', async () => {
    const d = await doc('RUN <<-EOT bash -ex', '\tapt-get update', '\tEOT', 'USER app');
    expectScope(d, 0, '<<-', 'keyword.operator.heredoc.dockerfile');
    expectScope(d, 0, 'bash', 'entity.name.command.shell');
    expectScope(d, 1, 'apt-get', SHELL);
    expectScope(d, 2, 'EOT', HEREDOC_TOKEN);
    expectKeyword(d, 3, 'USER');
  });

  test('without the dash an indented terminator is body text', async () => {
    const d = await doc('RUN <<EOT', '\tEOT', 'EOT', 'USER app');
    expectNoScope(d, 1, 'EOT', HEREDOC_TOKEN);
    expectScope(d, 2, 'EOT', HEREDOC_TOKEN);
    expectKeyword(d, 3, 'USER');
  });

  test('quoted delimiters <<"EOF" and <<\'EOF\'', async () => {
    const d = await doc('RUN <<"EOF"', 'echo $HOME', 'EOF', "RUN <<'END' sh", 'echo ${PATH}', 'END', 'EXPOSE 1');
    expectScope(d, 0, '"', 'punctuation.definition.string.begin.dockerfile');
    expectScope(d, 0, 'EOF', HEREDOC_TOKEN);
    expectScope(d, 1, 'HOME', 'variable.other.normal.shell');
    expectScope(d, 2, 'EOF', HEREDOC_TOKEN);
    expectScope(d, 3, 'END', HEREDOC_TOKEN);
    expectScope(d, 5, 'END', HEREDOC_TOKEN);
    expectKeyword(d, 6, 'EXPOSE');
  });

  test('two heredocs in one RUN', async () => {
    const d = await doc(
      'RUN <<FILE1 cat > /file1 && <<FILE2 cat > /file2',
      'first',
      'FILE1',
      'second',
      'FILE2',
      'WORKDIR /',
    );
    expectScope(d, 0, 'FILE1', HEREDOC_TOKEN);
    expectScope(d, 0, 'FILE2', HEREDOC_TOKEN);
    expectScope(d, 0, 'cat', 'entity.name.command.shell');
    expectScope(d, 0, '/file2', SHELL);
    expectScope(d, 1, 'first', SHELL);
    expectScope(d, 2, 'FILE1', HEREDOC_TOKEN);
    expectScope(d, 3, 'second', SHELL);
    expectScope(d, 4, 'FILE2', HEREDOC_TOKEN);
    expectKeyword(d, 5, 'WORKDIR');
  });

  test('COPY <<EOF /file, with flags', async () => {
    const d = await doc(
      'COPY --chmod=755 <<EOF /usr/local/bin/hello',
      '#!/bin/sh',
      'echo hello',
      'EOF',
      'CMD ["hello"]',
    );
    expectScope(d, 0, '--chmod', 'variable.parameter.flag.dockerfile');
    expectScope(d, 0, 'EOF', HEREDOC_TOKEN);
    expectNoScope(d, 0, '/usr/local/bin/hello', SHELL);
    expectScope(d, 2, 'echo', SHELL);
    expectScope(d, 3, 'EOF', HEREDOC_TOKEN);
    expectKeyword(d, 4, 'CMD');
  });

  test('a heredoc whose first line is a python shebang embeds Python', async () => {
    const d = await doc(
      'RUN <<EOF',
      '#!/usr/bin/env python3',
      'import json',
      'print(json.dumps({"ok": True}))',
      'EOF',
      'RUN echo back to shell',
    );
    expectScope(d, 1, '#', PYTHON);
    expectScope(d, 2, 'import', 'keyword.control.import.python');
    expectScope(d, 3, 'print', 'support.function.builtin.python');
    expectScope(d, 3, 'True', 'constant.language.python');
    expectScope(d, 4, 'EOF', HEREDOC_TOKEN);
    expectKeyword(d, 5, 'RUN');
    expectScope(d, 5, 'echo', SHELL);
  });

  test('a heredoc after flags on a continuation line', async () => {
    const d = await doc(
      'RUN --mount=type=cache,target=/root/.cache/go-build \\',
      '    --mount=target=/go/pkg/mod,type=cache <<EOT',
      '  set -e',
      '  go build -o /out/app .',
      'EOT',
      'FROM scratch',
    );
    expectScope(d, 1, '--mount', 'variable.parameter.flag.dockerfile');
    expectScope(d, 1, 'EOT', HEREDOC_TOKEN);
    expectScope(d, 3, 'go', 'entity.name.command.shell');
    expectScope(d, 4, 'EOT', HEREDOC_TOKEN);
    expectKeyword(d, 5, 'FROM');
  });

  test('<<< here-strings and shifts are not heredocs', async () => {
    const d = await doc('RUN cat <<<"$X" && echo $((1 << 2))', 'USER app');
    expectNoScope(d, 0, '<<<', 'keyword.operator.heredoc.dockerfile');
    expectNoScope(d, 0, '<< 2', 'keyword.operator.heredoc.dockerfile');
    expectKeyword(d, 1, 'USER');
  });

  test('an unterminated heredoc runs to the end of the file without breaking tokenization', async () => {
    const d = await doc('RUN <<EOF', 'echo one', 'FROM x');
    expectScope(d, 1, 'echo', SHELL);
    expectNoScope(d, 2, 'FROM', KEYWORD);
  });
});

describe('grammar file', () => {
  test('syntaxes/dockerfile.tmLanguage.json is what scripts/build-grammar.ts generates', () => {
    // Compared as data: the file's layout is Prettier's (checked by `npm run lint`).
    const committed: unknown = JSON.parse(readFileSync(grammarPath, 'utf8'));
    assert.deepEqual(committed, buildGrammar(), 'stale grammar: run node --import tsx scripts/build-grammar.ts');
  });

  test('scope names of instructions match VS Code’s built-in grammar', async () => {
    const d = await doc('FROM a');
    assert.deepEqual(at(d, 0, 'FROM').scopes, [
      'source.dockerfile',
      'meta.instruction.from.dockerfile',
      'keyword.other.special-method.dockerfile',
    ]);
  });
});
