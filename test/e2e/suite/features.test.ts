// Language features in the real VS Code through the `vscode` API: completion (instructions, flags, stage names), the
// outline (stages holding their instructions), folding, go to definition, references, highlights and rename of a
// stage name, and formatting. Each goes through the client bundle, which keeps only the client features of what the
// server announces (scripts/trim-language-client.mjs).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  READY_TIMEOUT_MS,
  SettingGuard,
  activateExtension,
  closeDocument,
  openUntitled,
  poll,
  positionOf,
} from './util';

const SOURCE = [
  'FROM golang:1.23 AS build',
  'WORKDIR /src',
  'COPY . .',
  'RUN go build -o /out/app ./cmd/app',
  '',
  'FROM alpine:3.20 AS assets',
  'RUN mkdir -p /assets',
  'COPY --',
  'COPY --from=',
  '',
  'FROM build AS test',
  'RUN go test ./...',
  '',
  'FROM scratch',
  'COPY --from=build /out/app /app',
  'COPY --from=assets /assets /assets',
  'ENTRYPOINT ["/app"]',
  '',
].join('\n');

function labelOf(item: vscode.CompletionItem): string {
  return typeof item.label === 'string' ? item.label : item.label.label;
}

async function completion(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.CompletionItem[]> {
  const list = await vscode.commands.executeCommand<vscode.CompletionList>(
    'vscode.executeCompletionItemProvider',
    document.uri,
    position,
  );
  return list?.items ?? [];
}

/** The labels of the items of `kind` (other providers, e.g. words of the document, are left out). */
async function labels(
  document: vscode.TextDocument,
  position: vscode.Position,
  kind: vscode.CompletionItemKind,
): Promise<string[]> {
  return (await completion(document, position)).filter((i) => i.kind === kind).map(labelOf);
}

function rangeText(range: vscode.Range): string {
  return `${range.start.line}:${range.start.character}-${range.end.line}:${range.end.character}`;
}

suite('Language features', () => {
  const settings = new SettingGuard();
  let document: vscode.TextDocument;

  suiteSetup(async () => {
    await activateExtension();
    await settings.set('docksmith', 'language', 'en'); // the name of an unnamed stage is localised
    document = await openUntitled(SOURCE);
    // The server answers once it is up: wait for the first outline.
    const symbols = await poll(
      () =>
        vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', document.uri),
      (answer) => (answer ?? []).length > 0,
      READY_TIMEOUT_MS,
    );
    assert.ok((symbols ?? []).length > 0, `no document symbols within ${READY_TIMEOUT_MS / 1000} s`);
  });

  suiteTeardown(async () => {
    await closeDocument(document);
    await settings.restore();
  });

  test('completion offers the instructions at the start of a line', async () => {
    const items = await labels(document, new vscode.Position(4, 0), vscode.CompletionItemKind.Keyword);
    for (const keyword of ['FROM', 'RUN', 'COPY', 'ADD', 'CMD', 'ENTRYPOINT', 'ENV', 'ARG', 'WORKDIR', 'HEALTHCHECK']) {
      assert.ok(items.includes(keyword), `no ${keyword} at the start of a line; got: ${items.join(' ')}`);
    }
  });

  test('completion offers the COPY flags after COPY --', async () => {
    const position = positionOf(document, 'COPY --\n', 'COPY --'.length);
    const items = await labels(document, position, vscode.CompletionItemKind.Property);
    for (const flag of ['--from=', '--chown=', '--chmod=', '--link']) {
      assert.ok(items.includes(flag), `no ${flag} after COPY --; got: ${items.join(' ')}`);
    }
    assert.ok(!items.includes('--mount='), '--mount is a RUN flag, not a COPY flag');
  });

  test('completion offers the earlier stage names after COPY --from=', async () => {
    const position = positionOf(document, 'COPY --from=\n', 'COPY --from='.length);
    const items = await labels(document, position, vscode.CompletionItemKind.Reference);
    // `assets` is the current stage and `test` comes later: only `build` can be copied from here.
    assert.deepEqual(items, ['build']);
  });

  test('the outline shows the stages with their instructions as children', async () => {
    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>(
      'vscode.executeDocumentSymbolProvider',
      document.uri,
    );
    const tree = (symbols ?? []).map((s) => [s.name, (s.children ?? []).map((c) => c.name)]);
    assert.deepEqual(tree, [
      ['build', ['WORKDIR', 'COPY', 'RUN']],
      ['assets', ['RUN', 'COPY', 'COPY']],
      ['test', ['RUN']],
      ['stage 3: scratch', ['COPY', 'COPY', 'ENTRYPOINT']],
    ]);
    const build = symbols[0]!;
    assert.equal(build.detail, 'golang:1.23');
    assert.equal(rangeText(build.range), '0:0-3:34', 'the build stage spans its FROM to its last instruction');
    assert.equal(document.getText(build.selectionRange), 'build');
  });

  test('go to definition on COPY --from=build lands on AS build', async () => {
    const position = positionOf(document, 'COPY --from=build', 'COPY --from=b'.length);
    const locations = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>(
      'vscode.executeDefinitionProvider',
      document.uri,
      position,
    );
    assert.equal(locations?.length, 1, `definitions: ${JSON.stringify(locations)}`);
    const target = locations[0]!;
    const range = 'targetRange' in target ? (target.targetSelectionRange ?? target.targetRange) : target.range;
    assert.equal(rangeText(range), '0:20-0:25');
  });

  test('references and highlights of a stage name: AS build, FROM build, COPY --from=build', async () => {
    const position = positionOf(document, 'AS build', 'AS b'.length);
    const references = await vscode.commands.executeCommand<vscode.Location[]>(
      'vscode.executeReferenceProvider',
      document.uri,
      position,
    );
    assert.deepEqual((references ?? []).map((l) => rangeText(l.range)).sort(), [
      '0:20-0:25',
      '10:5-10:10',
      '14:12-14:17',
    ]);
    const highlights = await vscode.commands.executeCommand<vscode.DocumentHighlight[]>(
      'vscode.executeDocumentHighlights',
      document.uri,
      position,
    );
    assert.deepEqual(
      (highlights ?? []).map((h) => [rangeText(h.range), h.kind]),
      [
        ['0:20-0:25', vscode.DocumentHighlightKind.Write],
        ['10:5-10:10', vscode.DocumentHighlightKind.Read],
        ['14:12-14:17', vscode.DocumentHighlightKind.Read],
      ],
    );
  });

  test('each stage folds from its FROM to its last instruction', async () => {
    const ranges = await vscode.commands.executeCommand<vscode.FoldingRange[]>(
      'vscode.executeFoldingRangeProvider',
      document.uri,
    );
    assert.deepEqual(
      (ranges ?? []).map((r) => [r.start, r.end]),
      [
        [0, 3],
        [5, 8],
        [10, 11],
        [13, 16],
      ],
    );
  });

  test('renaming a stage edits AS x, FROM x and COPY --from=x', async () => {
    const position = positionOf(document, 'AS build', 'AS b'.length);
    const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit>(
      'vscode.executeDocumentRenameProvider',
      document.uri,
      position,
      'compile',
    );
    assert.ok(edit, 'no rename edit');
    const edits = edit.get(document.uri).sort((a, b) => a.range.start.compareTo(b.range.start));
    assert.deepEqual(
      edits.map((e) => [rangeText(e.range), e.newText]),
      [
        ['0:20-0:25', 'compile'],
        ['10:5-10:10', 'compile'],
        ['14:12-14:17', 'compile'],
      ],
    );
    assert.ok(edits.every((e) => document.getText(e.range) === 'build'));
    assert.ok(await vscode.workspace.applyEdit(edit));
    const text = document.getText();
    assert.ok(text.includes('FROM golang:1.23 AS compile\n'));
    assert.ok(text.includes('FROM compile AS test\n'));
    assert.ok(text.includes('COPY --from=compile /out/app /app\n'));
    assert.ok(!/\bbuild\b/.test(text.replace('go build', '')), `a reference to build is left:\n${text}`);
  });

  test('formatting upper-cases instructions and evens out their spacing', async () => {
    const other = await openUntitled('from alpine:3.20\nrun   echo hi &&\\\n  echo there\n');
    try {
      const edits = await vscode.commands.executeCommand<vscode.TextEdit[]>(
        'vscode.executeFormatDocumentProvider',
        other.uri,
        { tabSize: 4, insertSpaces: true },
      );
      const edit = new vscode.WorkspaceEdit();
      edit.set(other.uri, edits ?? []);
      assert.ok(await vscode.workspace.applyEdit(edit));
      assert.equal(other.getText(), 'FROM alpine:3.20\nRUN echo hi &&\\\n    echo there\n');
    } finally {
      await closeDocument(other);
    }
  });
});
