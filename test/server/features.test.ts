/**
 * The editor features over the protocol, against the BUILT server (`npm run build` first):
 * completion, outline, folding, definition, references, highlights, rename, formatting.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type {
  CompletionList,
  DocumentHighlight,
  DocumentSymbol,
  FoldingRange,
  Location,
  Range,
  SymbolInformation,
  TextEdit,
  WorkspaceEdit,
} from 'vscode-languageserver-protocol';
import type { ClientCapabilities } from 'vscode-languageserver-protocol';
import { DEFAULT_CAPABILITIES, TestClient } from '../helpers/lsp';

const TEXT = [
  'ARG VERSION=1.23', // 0
  'from golang:${VERSION} as build', // 1
  'ENV CGO_ENABLED=0', // 2
  'RUN go build \\', // 3
  '        -o /out/app ./...', // 4
  'FROM scratch', // 5
  'COPY --from=build /out/app /app', // 6
  'CMD ["/app"]', // 7
  '',
].join('\n');

const CAPABILITIES: ClientCapabilities = {
  ...DEFAULT_CAPABILITIES,
  textDocument: {
    ...DEFAULT_CAPABILITIES.textDocument,
    completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'] as const } },
    documentSymbol: { hierarchicalDocumentSymbolSupport: true },
    rename: { prepareSupport: true },
  },
};

let client: TestClient;
let flatClient: TestClient;

before(async () => {
  client = new TestClient({ capabilities: CAPABILITIES, settings: { format: { ignoreMultilineInstructions: false } } });
  flatClient = new TestClient({
    locale: 'zh-cn',
    capabilities: { ...DEFAULT_CAPABILITIES, textDocument: { ...DEFAULT_CAPABILITIES.textDocument } },
  });
  await Promise.all([client.initialize(), flatClient.initialize()]);
});

after(async () => {
  await Promise.all([client.shutdown(), flatClient.shutdown()]);
});

function show(range: Range): string {
  return `${range.start.line}:${range.start.character}-${range.end.line}:${range.end.character}`;
}

test('initialize announces the editor features', () => {
  const caps = client.initializeResult!.capabilities;
  assert.deepEqual(caps.completionProvider?.triggerCharacters, ['-', '=', '$', '{', ',']);
  assert.ok(caps.documentSymbolProvider);
  assert.equal(caps.foldingRangeProvider, true);
  assert.equal(caps.definitionProvider, true);
  assert.equal(caps.referencesProvider, true);
  assert.equal(caps.documentHighlightProvider, true);
  assert.deepEqual(caps.renameProvider, { prepareProvider: true });
  assert.equal(caps.documentFormattingProvider, true);
  assert.equal(caps.documentRangeFormattingProvider, true);
});

test('completion: instruction snippets, flags, stage names', async () => {
  const uri = 'file:///features/completion/Dockerfile';
  await client.open(uri, TEXT + 'COPY --from=\n\n');
  const keywords = await client.request<CompletionList>('textDocument/completion', {
    textDocument: { uri },
    position: { line: 9, character: 0 },
  });
  const from = keywords.items.find((i) => i.label === 'FROM');
  assert.ok(from);
  assert.equal((from.textEdit as TextEdit).newText, 'FROM ${1:image}:${2:tag}');
  const stages = await client.request<CompletionList>('textDocument/completion', {
    textDocument: { uri },
    position: { line: 8, character: 12 },
    context: { triggerKind: 2, triggerCharacter: '=' },
  });
  // Only earlier stages: the COPY is in stage 1 itself.
  assert.deepEqual(
    stages.items.map((i) => i.label),
    ['build'],
  );
});

test('document symbols: a tree for VS Code, a flat list for clients without hierarchy', async () => {
  const uri = 'file:///features/symbols/Dockerfile';
  await client.open(uri, TEXT);
  const tree = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
  assert.deepEqual(
    tree.map((s) => [s.name, (s.children ?? []).map((c) => c.name)]),
    [
      ['VERSION', []],
      ['build', ['CGO_ENABLED', 'RUN']],
      ['stage 1: scratch', ['COPY', 'CMD']],
    ],
  );
  await flatClient.open(uri, TEXT);
  const flat = await flatClient.request<SymbolInformation[]>('textDocument/documentSymbol', { textDocument: { uri } });
  assert.deepEqual(
    flat.map((s) => [s.name, s.containerName ?? null]),
    [
      ['VERSION', null],
      ['build', null],
      ['CGO_ENABLED', 'build'],
      ['RUN', 'build'],
      ['阶段 1：scratch', null],
      ['COPY', '阶段 1：scratch'],
      ['CMD', '阶段 1：scratch'],
    ],
  );
});

test('folding ranges', async () => {
  const uri = 'file:///features/folding/Dockerfile';
  await client.open(uri, TEXT);
  const ranges = await client.request<FoldingRange[]>('textDocument/foldingRange', { textDocument: { uri } });
  assert.deepEqual(
    ranges.map((r) => `${r.startLine}-${r.endLine}`),
    ['1-4', '3-4', '5-7'],
  );
});

test('definition, references and highlights for stage names and variables', async () => {
  const uri = 'file:///features/navigation/Dockerfile';
  await client.open(uri, TEXT);
  const definition = await client.request<Location[]>('textDocument/definition', {
    textDocument: { uri },
    position: { line: 6, character: 14 },
  });
  assert.deepEqual(
    definition.map((l) => [l.uri, show(l.range)]),
    [[uri, '1:26-1:31']],
  );
  const references = await client.request<Location[]>('textDocument/references', {
    textDocument: { uri },
    position: { line: 0, character: 5 },
    context: { includeDeclaration: true },
  });
  assert.deepEqual(
    references.map((l) => show(l.range)),
    ['0:4-0:11', '1:14-1:21'],
  );
  const highlights = await client.request<DocumentHighlight[]>('textDocument/documentHighlight', {
    textDocument: { uri },
    position: { line: 1, character: 28 },
  });
  assert.deepEqual(
    highlights.map((h) => [show(h.range), h.kind]),
    [
      ['1:26-1:31', 3],
      ['6:12-6:17', 2],
    ],
  );
});

test('rename: prepare, edit, and a refused name answered with an error', async () => {
  const uri = 'file:///features/rename/Dockerfile';
  await client.open(uri, TEXT);
  const prepared = await client.request<{ range: Range; placeholder: string }>('textDocument/prepareRename', {
    textDocument: { uri },
    position: { line: 6, character: 14 },
  });
  assert.deepEqual(
    { range: show(prepared.range), placeholder: prepared.placeholder },
    {
      range: '6:12-6:17',
      placeholder: 'build',
    },
  );
  const edit = await client.request<WorkspaceEdit>('textDocument/rename', {
    textDocument: { uri },
    position: { line: 6, character: 14 },
    newName: 'compile',
  });
  const renamed = TextDocument.applyEdits(TextDocument.create(uri, 'dockerfile', 1, TEXT), edit.changes![uri]!);
  assert.equal(renamed, TEXT.replace('as build', 'as compile').replace('--from=build', '--from=compile'));
  await assert.rejects(
    client.request('textDocument/rename', {
      textDocument: { uri },
      position: { line: 6, character: 14 },
      newName: 'Bad Name',
    }),
    (error: Error & { code?: number }) => {
      assert.equal(error.code, -32803);
      assert.match(error.message, /not a valid stage name/);
      return true;
    },
  );
});

test('formatting: document and range, with the ignoreMultilineInstructions setting', async () => {
  const uri = 'file:///features/format/Dockerfile';
  await client.open(uri, TEXT);
  const options = { tabSize: 4, insertSpaces: true };
  const apply = (edits: TextEdit[]) => TextDocument.applyEdits(TextDocument.create(uri, 'dockerfile', 1, TEXT), edits);
  const all = await client.request<TextEdit[]>('textDocument/formatting', { textDocument: { uri }, options });
  assert.equal(
    apply(all),
    TEXT.replace('from golang:${VERSION} as build', 'FROM golang:${VERSION} AS build').replace(
      '        -o /out/app',
      '    -o /out/app',
    ),
  );
  const range = await client.request<TextEdit[]>('textDocument/rangeFormatting', {
    textDocument: { uri },
    range: { start: { line: 3, character: 0 }, end: { line: 4, character: 5 } },
    options,
  });
  assert.equal(apply(range), TEXT.replace('        -o /out/app', '    -o /out/app'));
  // The setting is read per document through workspace/configuration.
  await client.changeSettings(uri, { format: { ignoreMultilineInstructions: true } });
  const ignoring = await client.request<TextEdit[]>('textDocument/formatting', { textDocument: { uri }, options });
  assert.equal(apply(ignoring), TEXT.replace('from golang:${VERSION} as build', 'FROM golang:${VERSION} AS build'));
});
