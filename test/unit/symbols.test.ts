import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SymbolKind, type DocumentSymbol, type SymbolInformation } from 'vscode-languageserver-types';
import { doc, getService } from '../helpers/service';
import type { Lang } from '../../server/src/service';

/** A compact view: `kind name (detail) start-end [selection]` with children indented. */
function outline(symbols: readonly DocumentSymbol[], depth = 0): string[] {
  const kinds: Record<number, string> = {
    [SymbolKind.Namespace]: 'namespace',
    [SymbolKind.Function]: 'function',
    [SymbolKind.Field]: 'field',
    [SymbolKind.Variable]: 'variable',
  };
  const lines: string[] = [];
  for (const s of symbols) {
    const r = s.range;
    const sel = s.selectionRange;
    lines.push(
      `${'  '.repeat(depth)}${kinds[s.kind] ?? s.kind} ${s.name}${s.detail ? ` (${s.detail})` : ''} ` +
        `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character} ` +
        `[${sel.start.line}:${sel.start.character}-${sel.end.line}:${sel.end.character}]`,
    );
    lines.push(...outline(s.children ?? [], depth + 1));
  }
  return lines;
}

async function symbols(text: string, lang: Lang = 'en'): Promise<string[]> {
  const service = await getService();
  return outline(service.documentSymbols(doc(text), { lang }) as DocumentSymbol[]);
}

const MULTI_STAGE = [
  '# syntax=docker/dockerfile:1',
  'ARG BASE=alpine:3.20',
  'ARG A B=2',
  '',
  'FROM golang:1.23 AS build',
  'ENV CGO_ENABLED=0 GOOS=linux',
  'WORKDIR /src',
  'RUN go build \\',
  '    -o /out/app ./...',
  '',
  'FROM $BASE',
  'COPY --from=build /out/app /app',
  'RUN <<EOF',
  'echo hi',
  'EOF',
  'USER 65532',
  'HEALTHCHECK CMD ["/app", "-health"]',
  'CMD ["/app"]',
  '',
].join('\n');

test('outline: global ARGs, then stages holding their instructions', async () => {
  assert.deepEqual(await symbols(MULTI_STAGE), [
    'variable BASE (ARG = alpine:3.20) 1:0-1:20 [1:4-1:8]',
    'variable A (ARG) 2:0-2:9 [2:4-2:5]',
    'variable B (ARG = 2) 2:0-2:9 [2:6-2:7]',
    'namespace build (golang:1.23) 4:0-8:21 [4:20-4:25]',
    '  variable CGO_ENABLED (ENV = 0) 5:0-5:28 [5:4-5:15]',
    '  variable GOOS (ENV = linux) 5:0-5:28 [5:18-5:22]',
    '  field WORKDIR (/src) 6:0-6:12 [6:0-6:7]',
    '  function RUN (go build) 7:0-8:21 [7:0-7:3]',
    'namespace stage 1: $BASE 10:0-17:12 [10:5-10:10]',
    '  field COPY (--from=build /out/app /app) 11:0-11:31 [11:0-11:4]',
    '  function RUN (<<EOF) 12:0-14:3 [12:0-12:3]',
    '  field USER (65532) 15:0-15:10 [15:0-15:4]',
    '  function HEALTHCHECK (CMD ["/app", "-health"]) 16:0-16:35 [16:0-16:11]',
    '  function CMD (["/app"]) 17:0-17:12 [17:0-17:3]',
  ]);
});

test('outline: unnamed stages in Chinese; keywords in any case; ONBUILD; long details shortened', async () => {
  const long = 'x'.repeat(80);
  assert.deepEqual(await symbols(`from alpine\nonbuild run echo hi\nlabel a=${long}\n`, 'zh-cn'), [
    'namespace 阶段 0：alpine 0:0-2:88 [0:5-0:11]',
    '  function ONBUILD (run echo hi) 1:0-1:19 [1:0-1:7]',
    `  field LABEL (a=${'x'.repeat(57)}…) 2:0-2:88 [2:0-2:5]`,
  ]);
});

test('outline: empty file, and instructions before any FROM stay at the top level', async () => {
  assert.deepEqual(await symbols(''), []);
  assert.deepEqual(await symbols('# just a comment\n'), []);
  assert.deepEqual(await symbols('ARG X\nFROM scratch AS final\nCOPY a /\n'), [
    'variable X (ARG) 0:0-0:5 [0:4-0:5]',
    'namespace final (scratch) 1:0-2:8 [1:16-1:21]',
    '  field COPY (a /) 2:0-2:8 [2:0-2:4]',
  ]);
});

test('every selection range lies inside its range (VS Code rejects the outline otherwise)', async () => {
  const service = await getService();
  const check = (list: readonly DocumentSymbol[]) => {
    for (const s of list) {
      const inside =
        (s.selectionRange.start.line > s.range.start.line ||
          (s.selectionRange.start.line === s.range.start.line &&
            s.selectionRange.start.character >= s.range.start.character)) &&
        (s.selectionRange.end.line < s.range.end.line ||
          (s.selectionRange.end.line === s.range.end.line && s.selectionRange.end.character <= s.range.end.character));
      assert.ok(inside, JSON.stringify(s));
      check(s.children ?? []);
    }
  };
  check(service.documentSymbols(doc(MULTI_STAGE), { lang: 'en' }) as DocumentSymbol[]);
});

test('clients without hierarchical symbols get a flat list, children naming their stage', async () => {
  const service = await getService();
  const document = doc('ARG V=1\nFROM alpine AS base\nRUN echo\n');
  const flat = service.documentSymbols(document, { lang: 'en', hierarchical: false }) as SymbolInformation[];
  assert.deepEqual(
    flat.map((s) => [s.name, s.kind, s.containerName, s.location.uri === document.uri, s.location.range.start.line]),
    [
      ['V', SymbolKind.Variable, undefined, true, 0],
      ['base', SymbolKind.Namespace, undefined, true, 1],
      ['RUN', SymbolKind.Function, 'base', true, 2],
    ],
  );
});
