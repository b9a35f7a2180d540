/** Every editor feature, at every position of odd Dockerfiles: never throws, always answers. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { doc, getService } from '../helpers/service';

const ODD = [
  '',
  '\n\n',
  'FROM',
  'FROM \\',
  'RUN',
  '# escape=`\nFROM a `\n  AS b\nRUN dir `\n',
  'ONBUILD',
  'ONBUILD ONBUILD RUN x',
  'FROM a AS\nCOPY --from= /a /b\nRUN --mount= --mount=type= x\n',
  'ARG\nARG =\nENV\nENV =x\nFROM ${\nRUN echo ${\nRUN echo $',
  'FROM a\r\nRUN <<EOF\r\nx\r\n',
  'COPY <<A <<B\n',
  'HEALTHCHECK\nHEALTHCHECK CMD\nHEALTHCHECK --interval=\n',
  'FROM a AS b\nFROM b AS a\nFROM a\nCOPY --from=a --from=b / /\n',
  '\t  \n  # region\n#endregion\n# endregion\n',
  'R\\\nUN echo\nRU\\\nN echo\n',
  'FROM a\nRUN echo "unterminated \\\n   and\n',
  'FROM a\nENV A=1 B=$A C=${A:-${B}} D=$\n',
];

test('completion, symbols, folding, navigation, rename and formatting never throw', async () => {
  const service = await getService();
  for (const text of ODD) {
    const document = doc(text);
    service.documentSymbols(document, { lang: 'en' });
    service.documentSymbols(document, { lang: 'zh-cn', hierarchical: false });
    service.foldingRanges(document);
    assert.ok(Array.isArray(service.format(document, { tabSize: 2, insertSpaces: true })));
    service.format(document, { tabSize: 4, insertSpaces: false, ignoreMultilineInstructions: true });
    for (let line = 0; line <= document.lineCount; line++) {
      const length = document.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).length;
      for (let character = 0; character <= length + 1; character++) {
        const position = { line, character };
        const where = `${JSON.stringify(text)} at ${line}:${character}`;
        try {
          for (const snippets of [true, false]) {
            service.completion(document, position, { lang: 'en', markdown: snippets, snippets });
          }
          service.definition(document, position);
          service.references(document, position, true);
          service.documentHighlights(document, position);
          service.prepareRename(document, position);
          service.rename(document, position, 'renamed', { lang: 'en' });
          service.formatRange(
            document,
            { start: position, end: { line: line + 1, character: 0 } },
            { tabSize: 4, insertSpaces: true },
          );
        } catch (error) {
          assert.fail(`${where}: ${(error as Error).stack}`);
        }
      }
    }
  }
});
