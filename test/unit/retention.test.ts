// What an analysis keeps must not keep earlier versions of the document's text alive. V8 makes a
// substring of a long string a slice that points into it: a RUN's script cached by its text, or a
// merge part kept with its RUN, cut from one version kept that whole version (textCache.ts, detach).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getHeapStatistics } from 'node:v8';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { detach } from '../../server/src/service/textCache';
import { v8FullCollection } from '../../server/src/v8Flags';
import { getService } from '../helpers/service';

const collect = v8FullCollection();
const heapUsed = (): number => {
  collect!();
  collect!();
  return getHeapStatistics().used_heap_size;
};
const MB = 1024 * 1024;

test('detach() gives an equal string that keeps nothing else alive', { skip: !collect }, () => {
  assert.equal(detach('short'), 'short');
  assert.equal(detach(''), '');
  const pieces: string[] = [];
  const before = heapUsed();
  for (let i = 0; i < 20; i++) {
    const big = `${i} `.padEnd(1024 * 1024, 'x'); // 1 MB, one byte per character
    const piece = big.slice(100, 140);
    const joined = big.slice(0, 20) + big.slice(500, 520);
    pieces.push(detach(piece), detach(joined));
    assert.deepEqual(pieces.slice(-2), [piece, joined]);
  }
  // Slices kept as they are would keep the 20 MB of the strings they came from.
  assert.ok(heapUsed() - before < 4 * MB, `${((heapUsed() - before) / MB).toFixed(1)} MB kept`);
  assert.equal(pieces.length, 40);
});

test('edits keep no earlier version of the text alive', { skip: !collect }, async () => {
  const service = await getService();
  // 1 MB of text in 250 RUNs of 4 KB: each version of it is 1 MB.
  const lines = ['FROM alpine:3.20'];
  for (let i = 0; i < 250; i++) lines.push(`RUN echo ${String(i).padStart(4, '0')}${'x'.repeat(4000)}`);
  let document = TextDocument.create('file:///retention/Dockerfile', 'dockerfile', 1, lines.join('\n') + '\n');
  service.validate(document, { lang: 'en' });
  const before = heapUsed();
  // Twelve edits, each in another RUN: its script is parsed and cached again, and its merge part read again.
  for (let i = 0; i < 12; i++) {
    const line = 10 + i * 20;
    const at = { line, character: 9 };
    document = TextDocument.update(document, [{ range: { start: at, end: at }, text: 'y' }], document.version + 1);
    service.validate(document, { lang: 'en' });
  }
  const kept = heapUsed() - before;
  service.forget(document.uri);
  // The current version (1 MB) and what the edits changed (12 scripts of 4 KB) may stay; twelve
  // earlier versions kept by slices would be 12 MB more.
  assert.ok(kept < 6 * MB, `${(kept / MB).toFixed(1)} MB kept after 12 edits`);
});
