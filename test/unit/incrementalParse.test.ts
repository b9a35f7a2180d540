import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseDocument, type ParsedDocument } from '../../server/src/service/incrementalParse';

/** dockerfile-ast's getHeredocs() throws on some inputs (a lone `\r` in a continuation): same either way. */
function heredocNames(instruction: object): string[] | 'throws' {
  if (!('getHeredocs' in instruction)) return [];
  try {
    return (instruction as { getHeredocs(): { getName(): string }[] }).getHeredocs().map((h) => h.getName());
  } catch {
    return 'throws';
  }
}

/** What a parse says about a text, comparable across parses. */
function summary(parsed: ParsedDocument) {
  const instructions = parsed.segments.flatMap((s) => s.instructions);
  const show = (r: { start: { line: number; character: number }; end: { line: number; character: number } }) =>
    `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
  return {
    escape: parsed.escape,
    directives: parsed.directives.map((d) => `${d.getName()}=${d.getValue()}@${show(d.getRange())}`),
    instructions: instructions.map((i) => ({
      keyword: i.getKeyword(),
      range: show(i.getRange()),
      args: i.getArguments().map((a) => `${a.getValue()}@${show(a.getRange())}`),
      heredocs: heredocNames(i),
    })),
    comments: parsed.segments.flatMap((s) => s.comments).map((c) => show(c.getRange())),
  };
}

function sameAsFull(parsed: ParsedDocument): void {
  assert.deepEqual(summary(parsed), summary(parseDocument(parsed.text)));
  // Segments tile the document.
  let line = 0;
  for (const segment of parsed.segments) {
    assert.equal(segment.startLine, line);
    line = segment.endLine;
  }
  assert.equal(line, parsed.lineStarts.length);
}

const LINES = [
  'FROM alpine:3.19 AS build',
  'FROM build',
  'from debian',
  'ARG VERSION=1.0',
  'ENV A=1 B=$VERSION',
  'RUN apt-get update && \\',
  '    apt-get install -y curl',
  'RUN echo one \\',
  '',
  '# a comment',
  '# docksmith ignore=cd-in-run',
  'RUN <<EOF',
  'echo in heredoc',
  'FROM not-an-instruction',
  'EOF',
  'COPY --from=build /a /b',
  'CMD ["nginx", "-g", "daemon off;"]',
  'RUN `',
  '  echo backtick',
  'ONBUILD RUN make',
  '   ',
  'WORKDIR /app',
];

const HEADERS = ['', '# escape=`\n', '# syntax=docker/dockerfile:1\n# check=skip=all\n', 'ARG BASE=alpine\n'];

const documentArb = fc
  .tuple(
    fc.constantFrom(...HEADERS),
    fc.array(fc.constantFrom(...LINES), { minLength: 0, maxLength: 40 }),
    fc.constantFrom('\n', '\r\n'),
  )
  .map(([header, lines, eol]) => (header + lines.join('\n')).replace(/\n/g, eol));

const editArb = fc.record({
  at: fc.nat(),
  remove: fc.nat({ max: 12 }),
  insert: fc.constantFrom(
    '',
    'x',
    ' ',
    '\\',
    '\n',
    '`',
    'FROM x\n',
    'RUN y \\\n',
    '<<EOF\n',
    'EOF\n',
    '# c\n',
    '\r\n',
    '"',
  ),
});

test('an incremental parse equals a full parse after any series of edits', () => {
  fc.assert(
    fc.property(documentArb, fc.array(editArb, { minLength: 1, maxLength: 8 }), (text, edits) => {
      let parsed = parseDocument(text);
      sameAsFull(parsed);
      for (const edit of edits) {
        const at = edit.at % (parsed.text.length + 1);
        const next = parsed.text.slice(0, at) + edit.insert + parsed.text.slice(at + edit.remove);
        parsed = parseDocument(next, parsed);
        sameAsFull(parsed);
      }
    }),
    { seed: 20261129, numRuns: 600 },
  );
});

test('a one-character edit in one stage re-parses only that stage', () => {
  const stages = Array.from(
    { length: 50 },
    (_, i) => `FROM alpine AS s${i}\nRUN echo ${i} \\\n    && true\nENV X=${i}\n`,
  );
  const text = stages.join('');
  const before = parseDocument(text);
  const at = text.indexOf('echo 25') + 4;
  const after = parseDocument(text.slice(0, at) + 'x' + text.slice(at), before);
  assert.equal(after.stats.kind, 'incremental');
  assert.equal(after.stats.parsedLines, 4);
  sameAsFull(after);
  // Unchanged segments are the same objects: their instructions keep their caches.
  assert.equal(after.segments[0], before.segments[0]);
  assert.equal(after.segments[49], before.segments[49]);
  assert.notEqual(after.segments[25], before.segments[25]);
});

test('a continuation typed at the end of a stage runs on into the next FROM, as in a full parse', () => {
  const text = 'FROM a\nRUN one\nFROM b\nRUN two\n';
  const before = parseDocument(text);
  const after = parseDocument(text.replace('RUN one', 'RUN one \\'), before);
  sameAsFull(after);
  assert.equal(after.segments.flatMap((s) => s.instructions).length, 3);
});

test('an edit to the parser directives parses the whole text', () => {
  const text = '# escape=\\\nFROM a\nRUN one `\n  two\n';
  const before = parseDocument(text);
  const after = parseDocument(text.replace('escape=\\', 'escape=`'), before);
  assert.equal(after.stats.kind, 'full');
  assert.equal(after.escape, '`');
  sameAsFull(after);
});

test('a long stage is parsed in pieces: an edit in it re-parses a few instructions, not the stage', () => {
  const runs = Array.from({ length: 200 }, (_, i) => `RUN echo ${i}`).join('\n');
  const text = `FROM alpine\n${runs}\nCMD ["sh"]\n`;
  const before = parseDocument(text);
  assert.ok(before.segments.length > 10, `${before.segments.length} segments`);
  const at = text.indexOf('echo 150') + 4;
  const after = parseDocument(text.slice(0, at) + 'x' + text.slice(at), before);
  assert.equal(after.stats.kind, 'incremental');
  assert.ok(after.stats.parsedLines <= 32, `${after.stats.parsedLines} lines parsed`);
  sameAsFull(after);
});
