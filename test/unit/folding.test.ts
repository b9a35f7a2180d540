import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FoldingRange } from 'vscode-languageserver-types';
import { doc, getService } from '../helpers/service';

async function folds(lines: string[]): Promise<string[]> {
  const service = await getService();
  return service
    .foldingRanges(doc(lines.join('\n')))
    .map((f: FoldingRange) => `${f.startLine}-${f.endLine}${f.kind ? ` ${f.kind}` : ''}`);
}

test('stages, multi-line instructions and heredocs fold', async () => {
  assert.deepEqual(
    await folds([
      'FROM golang:1.23 AS build', // 0
      'RUN go build \\', // 1
      '    -o /out/app \\', // 2
      '    ./...', // 3
      '', // 4
      'FROM alpine', // 5
      'COPY --from=build /out/app /app', // 6
      'RUN <<EOF', // 7
      'apk add curl', // 8
      'EOF', // 9
      'CMD ["/app"]', // 10
      '',
    ]),
    ['0-3', '1-3', '5-10', '7-9'],
  );
});

test('several heredocs in one instruction fold one by one', async () => {
  assert.deepEqual(await folds(['FROM alpine', 'COPY <<A <<B /dest/', 'first', 'A', 'second', 'B', '']), [
    '0-5',
    '1-5',
    '3-5',
  ]);
});

test('a one-instruction stage has no stage fold; single lines do not fold', async () => {
  assert.deepEqual(await folds(['FROM alpine', 'FROM scratch', 'COPY a /', '']), ['1-2']);
});

test('comment blocks (two lines or more) fold as comments', async () => {
  assert.deepEqual(
    await folds([
      '# Build the app', // 0
      '# with Go', // 1
      'FROM golang', // 2
      '# one line', // 3
      'RUN go build', // 4
      '# block', // 5
      '#   continued', // 6
      '#   and more', // 7
      'CMD ["x"]', // 8
    ]),
    ['0-1 comment', '2-8', '5-7 comment'],
  );
});

test('# region / # endregion fold as regions, nested; unmatched markers are ignored', async () => {
  assert.deepEqual(
    await folds([
      '# region base', // 0
      'FROM alpine AS base', // 1
      '#region tools', // 2
      'RUN apk add curl', // 3
      '# endregion', // 4
      '# endregion', // 5
      '# endregion', // 6
      '# region never closed', // 7
      'FROM base', // 8
    ]),
    ['0-5 region', '1-3', '2-4 region'],
  );
});

test('a long file: one fold per stage, instruction, heredoc and comment block', async () => {
  const service = await getService();
  const lines: string[] = [];
  for (let i = 0; i < 300; i++) {
    lines.push(`# stage ${i}`, '# comment', `FROM alpine AS s${i}`, 'RUN a \\', '  b', 'RUN <<EOF', 'x', 'EOF', '', '');
  }
  const document = doc(lines.join('\n'));
  service.getModel(document);
  const ranges = service.foldingRanges(document);
  assert.equal(ranges.length, 300 * 4);
});
