// TextSnapshot (server/src/service/textSnapshot.ts): the model's immutable document, built on the
// line starts the parse computed, answers as vscode-languageserver-textdocument's documents do.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { TextSnapshot } from '../../server/src/service/textSnapshot';
import { lineStarts } from '../../server/src/service/textCache';

/** Texts made of the pieces where line breaks are tricky: `\r\n`, lone `\r` and `\n`, at either end. */
const texts = fc
  .array(fc.constantFrom('a', 'RUN x', ' ', '\\', '\n', '\r', '\r\n', '\n\r', '火'), { maxLength: 30 })
  .map((pieces) => pieces.join(''));

function both(text: string) {
  return {
    ours: new TextSnapshot('file:///x', 'dockerfile', 3, text, lineStarts(text)),
    theirs: TextDocument.create('file:///x', 'dockerfile', 3, text),
  };
}

test('TextSnapshot: line count, positions, offsets, texts, line ranges and line texts as TextDocument gives them', () => {
  fc.assert(
    fc.property(
      texts,
      fc.array(fc.integer({ min: -3, max: 40 }), { minLength: 1, maxLength: 8 }),
      fc.array(fc.record({ line: fc.integer({ min: -2, max: 12 }), character: fc.integer({ min: -2, max: 12 }) }), {
        minLength: 2,
        maxLength: 8,
      }),
      (text, offsets, positions) => {
        const { ours, theirs } = both(text);
        assert.equal(ours.lineCount, theirs.lineCount);
        assert.equal(ours.getText(), theirs.getText());
        for (const offset of offsets)
          assert.deepEqual(ours.positionAt(offset), theirs.positionAt(offset), `at ${offset}`);
        for (const p of positions) assert.equal(ours.offsetAt(p), theirs.offsetAt(p), JSON.stringify(p));
        for (let i = 0; i + 1 < positions.length; i++) {
          const range = { start: positions[i]!, end: positions[i + 1]! };
          assert.equal(ours.getText(range), theirs.getText(range), JSON.stringify(range));
        }
        for (let line = -1; line <= theirs.lineCount; line++) {
          assert.deepEqual(ours.getLineRange(line), theirs.getLineRange(line), `line ${line}`);
          assert.equal(ours.getEOLCharacters(line), theirs.getEOLCharacters(line), `line ${line}`);
          const inside = line >= 0 && line < theirs.lineCount;
          assert.equal(ours.lineText(line), inside ? theirs.getText(theirs.getLineRange(line)) : '', `line ${line}`);
        }
      },
    ),
    { numRuns: 500 },
  );
});

test('TextSnapshot: uri, language and version are the ones given', () => {
  const { ours } = both('FROM a\n');
  assert.deepEqual([ours.uri, ours.languageId, ours.version], ['file:///x', 'dockerfile', 3]);
});
