import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ValidationCode } from 'dockerfile-utils';
import type { Diagnostic } from 'vscode-languageserver-types';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { applyFix, findings, fixes, parseMarkers } from '../../helpers/rules';
import { doc, getService } from '../../helpers/service';

const ID = 'syntax';
const CJK = /[\u4e00-\u9fff]/;

function show(d: { range: { start: { line: number; character: number }; end: { line: number; character: number } } }) {
  return `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`;
}

/** Asserts the syntax findings on the «marked» text: exact ranges and sub-ids, messages in both languages. */
async function expectSyntax(marked: string, codes: readonly string[]): Promise<void> {
  const { text, ranges } = parseMarkers(marked);
  for (const lang of ['en', 'zh-cn'] as const) {
    const { diagnostics } = await findings(ID, text, lang);
    assert.deepEqual(
      diagnostics.map((d) => `${show(d)} ${(d.data as { data?: { code?: string } }).data?.code}`),
      ranges.map((r, i) => `${show({ range: r })} ${codes[i]}`),
      `${lang} on:\n${text}\ngot: ${JSON.stringify(diagnostics.map((d) => d.message))}`,
    );
    for (const d of diagnostics) {
      assert.doesNotMatch(d.message, /\{\d+\}/, 'unfilled template');
      if (lang === 'zh-cn') assert.match(d.message, CJK);
      else assert.doesNotMatch(d.message, CJK);
    }
  }
}

/** One case per dockerfile-utils ValidationCode we map (and our own checks): [code, sub-id, marked text]. */
const CASES: readonly (readonly [number | null, string, string])[] = [
  [ValidationCode.ARGUMENT_MISSING, 'missing-argument', 'FROM a\n«USER»\n'],
  [ValidationCode.ARGUMENT_EXTRA, 'extra-argument', 'FROM a\nSTOPSIGNAL 9 «9»\n'],
  [ValidationCode.ARGUMENT_REQUIRES_AT_LEAST_ONE, 'missing-argument', 'FROM a\n«HEALTHCHECK»\n'],
  [ValidationCode.ARGUMENT_REQUIRES_TWO, 'missing-value', 'FROM a\nENV «x»\n'],
  [ValidationCode.ARGUMENT_REQUIRES_AT_LEAST_TWO, 'missing-destination', 'FROM a\nCOPY «x»\n'],
  [ValidationCode.ARGUMENT_REQUIRES_ONE_OR_THREE, 'from-arguments', 'FROM a «b»\n'],
  [ValidationCode.ARGUMENT_UNNECESSARY, 'unnecessary-argument', 'FROM a\nHEALTHCHECK NONE «x»\n'],
  [ValidationCode.INVALID_BUILD_STAGE_NAME, 'invalid-stage-name', 'FROM a AS «1x»\n'],
  [ValidationCode.FLAG_AT_LEAST_ONE, 'flag-at-least-one', 'FROM a\nHEALTHCHECK --retries=«0» CMD x\n'],
  [ValidationCode.FLAG_INVALID_DURATION, 'invalid-duration', 'FROM a\nHEALTHCHECK --interval=«x» CMD x\n'],
  [ValidationCode.FLAG_LESS_THAN_1MS, 'duration-too-short', 'FROM a\nHEALTHCHECK --«timeout»=0s CMD x\n'],
  [ValidationCode.FLAG_MISSING_DURATION, 'duration-missing-unit', 'FROM a\nHEALTHCHECK --interval=«1» CMD x\n'],
  [ValidationCode.FLAG_MISSING_VALUE, 'missing-flag-value', 'FROM a\nCOPY --«chown» a b\n'],
  [ValidationCode.FLAG_UNKNOWN_UNIT, 'duration-unknown-unit', 'FROM a\nHEALTHCHECK --interval=«1x» CMD x\n'],
  [ValidationCode.NO_SOURCE_IMAGE, 'no-from', '«RUN» x\n'],
  [ValidationCode.INVALID_ESCAPE_DIRECTIVE, 'invalid-escape-directive', '# escape=«a»\nFROM a\n'],
  [ValidationCode.INVALID_AS, 'invalid-as', 'FROM a «BS» b\n'],
  [ValidationCode.INVALID_DESTINATION, 'destination-not-directory', 'FROM a\nCOPY a b «c»\n'],
  [ValidationCode.INVALID_PORT, 'invalid-port', 'FROM a\nEXPOSE «abc»\n'],
  [ValidationCode.INVALID_PROTO, 'invalid-protocol', 'FROM a\nEXPOSE 80/«xyz»\n'],
  [ValidationCode.INVALID_REFERENCE_FORMAT, 'invalid-reference', 'FROM «a:»\n'],
  [ValidationCode.INVALID_SIGNAL, 'invalid-signal', 'FROM a\nSTOPSIGNAL «abc»\n'],
  [ValidationCode.INVALID_SYNTAX, 'invalid-number', 'FROM a\nHEALTHCHECK --retries=«x» CMD a\n'],
  [ValidationCode.ONBUILD_CHAINING_DISALLOWED, 'onbuild-chaining', 'FROM a\nONBUILD «ONBUILD» RUN x\n'],
  [ValidationCode.ONBUILD_TRIGGER_DISALLOWED, 'onbuild-trigger', 'FROM a\nONBUILD «FROM» x\n'],
  [ValidationCode.SHELL_JSON_FORM, 'shell-json', 'FROM a\nSHELL «bash»\n'],
  [ValidationCode.SHELL_REQUIRES_ONE, 'shell-empty', 'FROM a\nSHELL «[]»\n'],
  [ValidationCode.SYNTAX_MISSING_EQUALS, 'missing-equals', 'FROM a\nENV a=b «c»\n'],
  [ValidationCode.SYNTAX_MISSING_NAMES, 'missing-name', 'FROM a\nENV «=b»\n'],
  [ValidationCode.SYNTAX_MISSING_SINGLE_QUOTE, 'unterminated-quote', "FROM a\nENV a=«'b»\n"],
  [ValidationCode.SYNTAX_MISSING_DOUBLE_QUOTE, 'unterminated-quote', 'FROM a\nLABEL a=«"b»\n'],
  [ValidationCode.UNKNOWN_INSTRUCTION, 'unknown-instruction', 'FROM a\n«FOOBAR» x\n'],
  [ValidationCode.UNKNOWN_ADD_FLAG, 'unknown-flag', 'FROM a\nADD «--foo» a b\n'],
  [ValidationCode.UNKNOWN_COPY_FLAG, 'unknown-flag', 'FROM a\nCOPY «--foo» a b\n'],
  [ValidationCode.UNKNOWN_FROM_FLAG, 'unknown-flag', 'FROM «--foo» a\n'],
  [ValidationCode.UNKNOWN_HEALTHCHECK_FLAG, 'unknown-flag', 'FROM a\nHEALTHCHECK «--foo»=1 CMD a\n'],
  [ValidationCode.UNKNOWN_TYPE, 'healthcheck-type', 'FROM a\nHEALTHCHECK «FOO» a\n'],
  [ValidationCode.UNSUPPORTED_MODIFIER, 'unsupported-modifier', 'FROM a\nENV a=${b:«x»}\n'],
  [ValidationCode.HEALTHCHECK_CMD_ARGUMENT_MISSING, 'healthcheck-missing-command', 'FROM a\nHEALTHCHECK «CMD»\n'],
  [ValidationCode.FLAG_INVALID_FROM_VALUE, 'invalid-from', 'FROM a\nCOPY --from=«-x» a b\n'],
  [ValidationCode.FLAG_EXPECTED_BOOLEAN_VALUE, 'expected-boolean', 'FROM a\nCOPY --link=«x» a b\n'],
  [ValidationCode.JSON_IN_SINGLE_QUOTES, 'invalid-json', "FROM a\nCMD «['a', 'b']»\n"],
  [ValidationCode.BASE_NAME_EMPTY, 'base-name-empty', 'FROM «$X»\n'],
  [ValidationCode.DUPLICATED_ESCAPE_DIRECTIVE, 'duplicate-escape-directive', '# escape=\\\n# «escape=`»\nFROM a\n'],
  [null, 'unknown-flag', 'FROM a\nRUN «--foo» x\n'],
  [null, 'unterminated-heredoc', 'FROM a\nRUN «<<EOF»\necho hi\n'],
];

test('every mapped ValidationCode gives its sub-id on the offending token, in both languages', async () => {
  for (const [, code, marked] of CASES) await expectSyntax(marked, [code]);
});

test('the duplicate-flag code marks both flags', async () => {
  await expectSyntax('FROM a\nHEALTHCHECK --«interval»=1s --«interval»=2s CMD x\n', [
    'duplicate-flag',
    'duplicate-flag',
  ]);
});

test('an EXPOSE protocol of one letter is marked on that letter, wherever the instruction is', async () => {
  // dockerfile-utils ends this range at twice the argument's offset: lines further on, or the end of the file.
  await expectSyntax('FROM a\nEXPOSE 80/«u»\nCMD ["x"]\n', ['invalid-protocol']);
  const padding = Array.from({ length: 12 }, (_, i) => `LABEL n${i}=${i}\n`).join('');
  await expectSyntax(`FROM a\n${padding}EXPOSE 647/«u» «dp»\nEXPOSE 847/«up»\nCMD ["-d", "-cf"]\n`, [
    'invalid-protocol',
    'invalid-port',
    'invalid-protocol',
  ]);
  const { diagnostics } = await findings(ID, `FROM a\n${padding}EXPOSE 53/u\n`, 'en');
  assert.match(diagnostics[0]!.message, /^Unknown protocol `u`:/);
});

test('messages carry the offending text, the flag and the instruction', async () => {
  const message = async (text: string, lang: 'en' | 'zh-cn' = 'en') =>
    (await findings(ID, text, lang)).diagnostics[0]!.message;
  assert.match(await message('FROM a\nHEALTHCHECK --interval=1x CMD x\n'), /`1x` has an unknown unit for --interval/);
  assert.match(await message('FROM a\nCOPY --link=x a b\n'), /--link takes `true` or `false`, not `x`/);
  assert.match(await message('FROM a\nCOPY --foo a b\n'), /COPY has no flag `--foo`/);
  assert.match(await message('FROM a\nENV a=${b:x}\n'), /in `\$\{b:x\}`/);
  assert.match(await message('FROM a\nSTOPSIGNAL 9 9\n', 'zh-cn'), /`9`：STOPSIGNAL 不接受这么多参数/);
});

test('unknown instruction: a close keyword is suggested, with a (non-preferred) fix', async () => {
  const text = 'FROM a\nRUNN echo hi\n';
  const { diagnostics } = await findings(ID, text);
  assert.deepEqual((diagnostics[0]!.data as { data: unknown }).data, {
    code: 'unknown-instruction',
    suggestion: 'RUN',
  });
  assert.match(diagnostics[0]!.message, /did you mean `RUN`\?/);
  assert.equal((await fixes(ID, text))[0]!.preferred, false);
  assert.equal(await applyFix(ID, text), 'FROM a\nRUN echo hi\n');
  assert.deepEqual(await fixes(ID, 'FROM a\nFOOBAR x\n'), []);
  assert.deepEqual(await fixes(ID, 'FROM a\nUSER\n'), []);
});

test('an empty file has no FROM', async () => {
  await expectSyntax('«»', ['no-from']);
  await expectSyntax('«»# just a comment\n', ['no-from']);
});

test('not reported here: what other rules cover', async () => {
  const clean = [
    'FROM a:1 AS x\nFROM a:1 AS x\n', // duplicate-stage-name
    'FROM a\nMAINTAINER me\n', // maintainer-deprecated
    'FROM a\nCMD a\nCMD b\nENTRYPOINT a\nENTRYPOINT b\nHEALTHCHECK CMD a\nHEALTHCHECK CMD b\n', // overridden-instruction
    'FROM a\nWORKDIR app\n', // workdir-absolute
    'from a\nrun x\n', // instruction-casing
    'FROM a\nRUN a \\\n\n  b\n', // empty-continuation
    'FROM a\nEXPOSE 80 # web server\n', // inline-comment
    'FROM a\nEXPOSE 70000\n', // expose-port
  ];
  for (const text of clean) await expectSyntax(text, []);
});

test('dockerfile-utils false positives are filtered', async () => {
  // `"a":b` is a closed quote followed by more text.
  await expectSyntax('FROM a\nENV PATH="$HOME/bin":$PATH\n', []);
  // A quoted directory destination.
  await expectSyntax('FROM a\nCOPY a b "${DEST}/"\n', []);
  // BuildKit ends an instruction on a line ending in an escaped escape (`\\`); dockerfile-ast does not.
  await expectSyntax('FROM a\nCOPY a \\\n  C:\\\\dir\\\\\n\nENV V 1.0\n', []);
  // Variables in --from and stage names are expanded by the builder.
  await expectSyntax('FROM a\nARG SRC=a\nCOPY --from=$SRC /x /x\nCOPY --from="${SRC}" /y /y\n', []);
  // Heredocs dockerfile-ast misses: numbered (`5<<FILE`) and ADD bodies are not instructions.
  await expectSyntax('FROM a\nRUN cat 5<<FILE1 6<<FILE2 > out\nthis is text\nFILE1\nmore text\nFILE2\n', []);
  await expectSyntax('FROM a\nADD <<EOF /x.txt\nsome text\nEOF\n', []);
  // A comment line before the heredoc terminator.
  await expectSyntax('FROM a\nRUN <<EOT\n  set -e\n  # stop\nEOT\n', []);
  // An ARG that declares several variables declares the second one too.
  await expectSyntax('ARG BASE=alpine OTHER=busybox\nFROM $OTHER\n', []);
  await expectSyntax('ARG OTHER=busybox\nFROM «$BASE»\n', ['base-name-empty']);
});

test('a first analysis validates the file in one piece, edits re-validate chunks: the same as a fresh service', async () => {
  // Several stages, a long one (parse segments of 8 instructions: several chunks), findings in each.
  const long = Array.from({ length: 30 }, (_, i) =>
    i % 7 === 3 ? `HEALTHCHECK --interval=${i}q CMD true\n` : `ENV V${i}=${i}\n`,
  ).join('');
  const v1 = `# syntax=docker/dockerfile:1\nARG BASE=alpine\nFROM $BASE AS one\n${long}RUNN echo\nFROM one\nHEALTHCHECK --interval=abc CMD true\n${long}`;
  const edits = [
    (t: string) => t.replace('ENV V10=10', 'ENV V10=ten'), // in a middle chunk of the first stage
    (t: string) => t.replace('RUNN echo', 'RUN echo'), // fixes one finding
    (t: string) => t.replace('FROM one\n', 'FROM one\nEXPOSE 99999\n'), // moves every later line
  ];
  const service = await getService();
  const syntax = (diagnostics: readonly Diagnostic[], shift = 0) =>
    diagnostics
      .filter((d) => d.code === ID)
      .map((d) => {
        const at = (p: { line: number; character: number }) => ({ line: p.line - shift, character: p.character });
        return `${show({ range: { start: at(d.range.start), end: at(d.range.end) } })} ${(d.data as { data?: { code?: string } }).data?.code}`;
      });
  // The reference: the same text under one more comment line after the directive, so that no chunk
  // text is cached (the header is part of every chunk): validated in one piece, lines mapped back.
  const reference = (t: string) => {
    const lines = t.split('\n');
    const shifted = [lines[0], '# reference', ...lines.slice(1)].join('\n');
    return syntax(service.validate(doc(shifted), { lang: 'en' }), 1);
  };
  let text = v1;
  let version = 1;
  const first = syntax(service.validate(doc(text, 'file:///seed/Dockerfile'), { lang: 'en' }));
  assert.ok(first.length >= 8, `findings in every stage and chunk: ${first.join(', ')}`);
  assert.deepEqual(first, reference(text));
  for (const edit of edits) {
    text = edit(text);
    const document = TextDocument.create('file:///seed/Dockerfile', 'dockerfile', ++version, text);
    assert.deepEqual(syntax(service.validate(document, { lang: 'en' })), reference(text), `after edit ${version - 1}`);
  }
});

test('valid Dockerfiles give nothing', async () => {
  await expectSyntax(
    [
      '# syntax=docker/dockerfile:1',
      'ARG BASE=debian:12',
      'FROM --platform=$BUILDPLATFORM ${BASE} AS build',
      'RUN --mount=type=cache,target=/root/.cache --network=none make',
      'COPY --from=build --chown=1:1 --chmod=755 --link /a /b/',
      'ADD --checksum=sha256:abc https://example.com/x.tgz /x/',
      'HEALTHCHECK --interval=30s --timeout=1m30s --retries=3 --start-period=5s CMD curl -f http://localhost/',
      'EXPOSE 80/tcp 53/udp 8000-8010',
      'STOPSIGNAL SIGTERM',
      'SHELL ["/bin/sh", "-c"]',
      'ONBUILD RUN echo hi',
      'COPY <<EOF /etc/x.conf',
      'a=1',
      'EOF',
      'CMD ["app"]',
      '',
    ].join('\n'),
    [],
  );
});
