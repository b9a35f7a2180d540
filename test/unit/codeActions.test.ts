import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CodeAction, Diagnostic, TextEdit } from 'vscode-languageserver-types';
import { doc, getService } from '../helpers/service';
import { applyEdits } from '../helpers/rules';

const SETTINGS = { lang: 'en' as const };

async function actionsFor(text: string, code: string, only?: string[]) {
  const service = await getService();
  const document = doc(text);
  const diagnostics = service.validate(document, SETTINGS);
  const diagnostic = diagnostics.find((d) => d.code === code);
  const context = { diagnostics: diagnostic ? [diagnostic] : [], ...(only ? { only } : {}) };
  const range = diagnostic?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  const actions = service.codeActions(document, range, context, {
    settings: SETTINGS,
    documentChanges: false,
    disabledSupport: true,
  });
  return { document, diagnostics, diagnostic, actions };
}

function editsOf(action: CodeAction | undefined, uri: string): TextEdit[] {
  assert.ok(action?.edit?.changes, `no edit in ${JSON.stringify(action)}`);
  return action.edit.changes[uri]!;
}

test('ignore for this instruction: a comment above it with its indentation', async () => {
  const text = 'FROM alpine:3.20\nONBUILD RUN true\n  CMD run me\n';
  const { document, actions } = await actionsFor(text, 'json-args');
  const ignore = actions.find((a) => a.title === 'Ignore json-args for this instruction');
  assert.equal(
    applyEdits(text, editsOf(ignore, document.uri)),
    'FROM alpine:3.20\nONBUILD RUN true\n  # docksmith ignore=json-args\n  CMD run me\n',
  );
});

test('ignore for this instruction extends an existing docksmith ignore comment', async () => {
  const text = 'FROM alpine:3.20\n# docksmith ignore=latest-tag\nCMD run me\n';
  const { document, actions } = await actionsFor(text, 'json-args');
  const ignore = actions.find((a) => a.title === 'Ignore json-args for this instruction');
  assert.equal(
    applyEdits(text, editsOf(ignore, document.uri)),
    'FROM alpine:3.20\n# docksmith ignore=latest-tag,json-args\nCMD run me\n',
  );
});

test('ignore in this file goes after the parser directives, keeping CRLF', async () => {
  const text = '# syntax=docker/dockerfile:1\r\n# escape=\\\r\nFROM alpine:3.20\r\nCMD run me\r\n';
  const { document, actions } = await actionsFor(text, 'json-args');
  const ignore = actions.find((a) => a.title === 'Ignore json-args in this file');
  const fixed = applyEdits(text, editsOf(ignore, document.uri));
  assert.equal(
    fixed,
    '# syntax=docker/dockerfile:1\r\n# escape=\\\r\n# docksmith global ignore=json-args\r\nFROM alpine:3.20\r\nCMD run me\r\n',
  );
  const service = await getService();
  assert.equal(service.validate(doc(fixed), SETTINGS).filter((d) => d.code === 'json-args').length, 0);
});

test('show documentation is a client command with the rule id and language', async () => {
  const { actions } = await actionsFor('FROM alpine:3.20\nCMD run me\n', 'json-args');
  const docs = actions.find((a) => a.title === 'Show documentation for json-args');
  assert.deepEqual(docs?.command?.arguments, ['json-args', 'en']);
  assert.equal(docs?.edit, undefined);
});

test('only: source.fixAll returns just the fix-all action, with every preferred fix', async () => {
  const text = 'FROM alpine:3.20\nCMD run me\nENTRYPOINT /app --x\n';
  const { document, actions } = await actionsFor(text, 'json-args', ['source.fixAll']);
  assert.deepEqual(
    actions.map((a) => a.kind),
    ['source.fixAll.docksmith'],
  );
  assert.equal(
    applyEdits(text, editsOf(actions[0], document.uri)),
    'FROM alpine:3.20\nCMD ["run", "me"]\nENTRYPOINT ["/app", "--x"]\n',
  );
});

test('source action: merge all consecutive RUN instructions in the file', async () => {
  const text = 'FROM alpine:3.20\nRUN a\nRUN b\nCOPY x /x\nRUN c\nRUN d\n';
  const { document, actions } = await actionsFor(text, 'consecutive-run', ['source']);
  const merge = actions.find((a) => a.kind === 'source.docksmith.mergeRuns');
  assert.ok(merge, JSON.stringify(actions.map((a) => a.kind)));
  const merged = applyEdits(text, editsOf(merge, document.uri));
  assert.equal(merged, 'FROM alpine:3.20\nRUN a && \\\n    b\nCOPY x /x\nRUN c && \\\n    d\n');
});

test('fix-all edits never overlap, and a second pass converges', async () => {
  const service = await getService();
  let text = 'FROM alpine:3.20\nMAINTAINER me\nRUN apt-get update\nRUN apt-get install curl\nCMD run me\nENV A b\n';
  for (let pass = 0; pass < 10; pass++) {
    const document = doc(text);
    const edits = service.fixAll(document, SETTINGS);
    if (edits.length === 0) break;
    const offsets = edits
      .map((e) => [document.offsetAt(e.range.start), document.offsetAt(e.range.end)] as const)
      .sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < offsets.length; i++) assert.ok(offsets[i]![0] >= offsets[i - 1]![1], 'overlapping edits');
    text = applyEdits(text, edits);
  }
  assert.deepEqual(service.fixAll(doc(text), SETTINGS), []);
  assert.match(text, /LABEL org\.opencontainers\.image\.authors="me"/);
  assert.match(text, /CMD \["run", "me"\]/);
  assert.match(text, /ENV A=b/);
});

test('a diagnostic from another tool gets no Docksmith actions', async () => {
  const service = await getService();
  const document = doc('FROM alpine:3.20\n');
  const foreign: Diagnostic = {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 4 } },
    message: 'x',
    source: 'hadolint',
    code: 'DL3006',
  };
  const actions = service.codeActions(
    document,
    foreign.range,
    { diagnostics: [foreign] },
    {
      settings: SETTINGS,
      documentChanges: true,
      disabledSupport: true,
    },
  );
  assert.deepEqual(actions, []);
});

test('a merge that cannot be made safe shows a disabled action with the reason', async () => {
  const text = 'FROM alpine:3.20\nRUN <<EOF\necho a\nEOF\nRUN echo b\n';
  const { actions } = await actionsFor(text, 'consecutive-run');
  const disabled = actions.find((a) => a.disabled);
  assert.ok(disabled, JSON.stringify(actions.map((a) => a.title)));
  assert.equal(disabled.title, 'Fix consecutive-run');
  assert.match(disabled.disabled!.reason, /heredoc/i);
  assert.equal(disabled.edit, undefined);
});
