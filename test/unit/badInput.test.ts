/**
 * Every registered rule, through service.validate, on input Docker chokes on or that stretches the
 * parsers: never a throw, never an internal error, and a syntax finding where the builder would fail.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from 'vscode-languageserver-types';
import { doc, getService } from '../helpers/service';

async function validate(text: string): Promise<Diagnostic[]> {
  const service = await getService();
  let diagnostics: Diagnostic[] = [];
  assert.doesNotThrow(() => {
    diagnostics = service.validate(doc(text), { lang: 'en' });
  });
  const internal = diagnostics.filter((d) => d.message.startsWith('Docksmith internal error'));
  assert.deepEqual(
    internal.map((d) => d.message),
    [],
  );
  for (const d of diagnostics) {
    assert.ok(d.range.start.line >= 0 && d.range.start.character >= 0, `bad range ${JSON.stringify(d.range)}`);
    assert.ok(
      d.range.end.line > d.range.start.line ||
        (d.range.end.line === d.range.start.line && d.range.end.character >= d.range.start.character),
    );
    assert.ok(d.message.length > 0);
  }
  return diagnostics;
}

const syntaxCodes = (ds: Diagnostic[]) =>
  ds.filter((d) => d.code === 'syntax').map((d) => (d.data as { data: { code: string } }).data.code);

test('empty and blank files: no FROM', async () => {
  for (const text of ['', '\n', '   \n\t\n', '# only a comment\n', '\r\n\r\n']) {
    assert.deepEqual(syntaxCodes(await validate(text)), ['no-from'], JSON.stringify(text));
  }
});

test('binary garbage: unknown instructions, no crash', async () => {
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const bytes = Array.from({ length: 4096 }, () => String.fromCharCode(Math.floor(random() * 256))).join('');
  const codes = syntaxCodes(await validate(bytes));
  assert.ok(codes.includes('unknown-instruction') || codes.includes('no-from'), codes.join(','));
  await validate('\u0000\u0001\u0002FROM\u0000 a\nRUN \u0000\n');
  await validate('FROM a\nRUN echo \uFFFD\uD800 \u202E\n');
});

test('unterminated JSON and quotes', async () => {
  // Not valid JSON: Docker runs it as a shell-form command, no build error.
  await validate('FROM a\nCMD ["a", "b"\nENTRYPOINT [\nRUN ["sh", "-c\n');
  assert.deepEqual(syntaxCodes(await validate('FROM a\nSHELL ["sh", "-c"\n')), ['shell-json']);
  assert.deepEqual(syntaxCodes(await validate('FROM a\nENV A="unterminated\n')), ['unterminated-quote']);
  await validate('FROM a\nLABEL a="x\\\n');
});

test('unterminated heredocs', async () => {
  assert.deepEqual(syntaxCodes(await validate('FROM a\nRUN <<EOF\necho hi\n')), ['unterminated-heredoc']);
  assert.deepEqual(syntaxCodes(await validate('FROM a\nRUN <<EOF')), ['unterminated-heredoc']);
  assert.deepEqual(syntaxCodes(await validate('FROM a\nCOPY <<EOF /x\nhello\n')), ['unterminated-heredoc']);
  assert.deepEqual(syntaxCodes(await validate('FROM a\nRUN <<-EOF\n\techo\n\tEOF\n')), []);
  await validate('FROM a\nRUN <<EOF cat <<EOF2\na\nEOF\n');
  await validate('FROM a\nRUN <<\n');
});

test('CRLF, BOM, escape directive, continuation at end of file', async () => {
  const crlf = 'FROM debian:12\r\nRUN apt-get update \\\r\n  && apt-get install -y curl\r\nCMD ["curl"]\r\n';
  assert.deepEqual(syntaxCodes(await validate(crlf)), []);
  assert.deepEqual(syntaxCodes(await validate('\uFEFFFROM debian:12\nRUN echo hi\n')), []);
  const backtick =
    '# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN dir C:\\ `\n    && echo done\nCOPY a C:\\app\\\n';
  assert.deepEqual(syntaxCodes(await validate(backtick)), []);
  assert.deepEqual(syntaxCodes(await validate('# escape=x\nFROM a\n')), ['invalid-escape-directive']);
  await validate('FROM a\nRUN echo \\');
  await validate('FROM a\nRUN echo \\\n');
  await validate('FROM a\r');
  await validate('\\\n\\\n');
});

test('odd but tolerated shapes', async () => {
  await validate('FROM\nFROM a AS\nFROM a AS b c\nCOPY --from= a b\nRUN --mount= x\nRUN --mount=type=cache,from= x\n');
  await validate('FROM a\nONBUILD\nONBUILD ONBUILD\nHEALTHCHECK --interval= CMD\nEXPOSE\nEXPOSE /tcp -1 80-\n');
  await validate('ARG\nARG =\nFROM ${\nENV ${A:-${B}}=1\nLABEL ${\nWORKDIR $\n');
  await validate('FROM a\n' + 'RUN a \\\n'.repeat(500) + 'b\n');
  // dockerfile-ast's getHeredocs() throws on a blank line after a continued `\# comment` line.
  await validate('FROM scratch\nRUN a; \\\n\t\\# c\n\n\tb; \\\n\tc\nCMD run\n');
  await validate('FROM a\nRUN x \\\n  \\# c\n\n  y\n');
  // dockerfile-ast's resolveVariable() called itself forever on a variable outside every stage.
  await validate(' x $a \\');
  await validate('  && tar $a \\\nARG B=1\nFROM a\n');
});

test('a 1 MB file: every rule, no crash, linear time', async () => {
  const stage = (i: number) =>
    [
      `FROM debian:12 AS stage${i}`,
      `ARG VERSION_${i}=1.${i}`,
      `ENV APP_HOME=/app PATH=$PATH:/app/bin`,
      'RUN apt-get update \\',
      '    && apt-get install -y --no-install-recommends curl ca-certificates \\',
      '    && rm -rf /var/lib/apt/lists/*',
      `COPY --from=stage${Math.max(0, i - 1)} /out /in`,
      'WORKDIR $APP_HOME',
      `LABEL version=$VERSION_${i}`,
      'EXPOSE 8080/tcp',
      'RUN <<EOF',
      'set -e',
      'echo building',
      'EOF',
      'HEALTHCHECK --interval=30s CMD curl -f http://localhost/ || exit 1',
      'CMD ["app", "--serve"]',
      '',
    ].join('\n');
  let text = '';
  for (let i = 0; text.length < 1_000_000; i++) text += stage(i);
  // Speed is measured by `npm run bench`, not asserted here.
  const diagnostics = await validate(text);
  assert.deepEqual(syntaxCodes(diagnostics), []);
});
