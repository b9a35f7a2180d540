// Quick fixes in the real VS Code, through `vscode.executeCodeActionProvider` + `applyEdit` as the lightbulb does:
// the RUN merge, the exec-form fix of json-args, "Ignore <id> for this instruction", the merge-all source action,
// and fix-all on save (`editor.codeActionsOnSave`).
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import {
  CHANGE_TIMEOUT_MS,
  READY_TIMEOUT_MS,
  SettingGuard,
  activateExtension,
  closeDocument,
  codeOf,
  openUntitled,
  summary,
  tempDockerfile,
  waitForCodes,
  waitForDiagnostics,
} from './util';

const lines = (...text: string[]) => text.join('\n') + '\n';

const MERGE_BEFORE = lines(
  'FROM debian:12-slim',
  'WORKDIR /opt/tool',
  'RUN apt-get update \\',
  '    && apt-get install -y --no-install-recommends ca-certificates curl \\',
  '    && rm -rf /var/lib/apt/lists/*',
  '# download the release',
  'RUN curl -fsSL -o tool.tgz https://example.com/tool-1.2.3.tgz',
  'RUN tar -xzf tool.tgz && rm tool.tgz # unpack, then drop the archive',
  'ENTRYPOINT ["/opt/tool/bin/tool"]',
);
/** One RUN, the first RUN's text as it was, ` && \` + newline between the parts, 4-space continuation, comments kept. */
const MERGE_AFTER = lines(
  'FROM debian:12-slim',
  'WORKDIR /opt/tool',
  'RUN apt-get update \\',
  '    && apt-get install -y --no-install-recommends ca-certificates curl \\',
  '    && rm -rf /var/lib/apt/lists/* && \\',
  '    # download the release',
  '    curl -fsSL -o tool.tgz https://example.com/tool-1.2.3.tgz && \\',
  '    # unpack, then drop the archive',
  '    tar -xzf tool.tgz && rm tool.tgz',
  'ENTRYPOINT ["/opt/tool/bin/tool"]',
);

type Action = vscode.CodeAction | vscode.Command;

function isCodeAction(action: Action): action is vscode.CodeAction {
  return !('command' in action && typeof action.command === 'string');
}

/** The code actions VS Code gathers for `range` (all providers), of `kind` when given. */
async function codeActions(uri: vscode.Uri, range: vscode.Range, kind?: string): Promise<vscode.CodeAction[]> {
  const actions = await vscode.commands.executeCommand<Action[]>('vscode.executeCodeActionProvider', uri, range, kind);
  return (actions ?? []).filter(isCodeAction);
}

/** The action titled `title` (a string or a pattern) among the quick fixes at `diagnostic`. */
async function quickFix(
  uri: vscode.Uri,
  diagnostic: vscode.Diagnostic,
  title: string | RegExp,
): Promise<vscode.CodeAction> {
  const actions = await codeActions(uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value);
  const found = actions.find((a) => (typeof title === 'string' ? a.title === title : title.test(a.title)));
  assert.ok(
    found,
    `no quick fix ${title} at ${codeOf(diagnostic)}; offered: ${actions.map((a) => a.title).join(' | ')}`,
  );
  return found;
}

async function apply(action: vscode.CodeAction): Promise<void> {
  assert.ok(action.edit, `"${action.title}" has no edit`);
  assert.ok(!action.disabled, `"${action.title}" is disabled: ${action.disabled?.reason}`);
  assert.ok(await vscode.workspace.applyEdit(action.edit), `"${action.title}" could not be applied`);
}

function one(diagnostics: vscode.Diagnostic[], code: string): vscode.Diagnostic {
  const found = diagnostics.filter((d) => codeOf(d) === code);
  assert.equal(found.length, 1, `expected one ${code}; got: ${summary(diagnostics).join(', ')}`);
  return found[0]!;
}

suite('Quick fixes', () => {
  const settings = new SettingGuard();
  let document: vscode.TextDocument | undefined;
  let temp: { dispose(): void } | undefined;

  suiteSetup(async () => {
    await activateExtension();
    await settings.set('docksmith', 'language', 'en'); // the titles below are English
  });

  teardown(async () => {
    await closeDocument(document);
    document = undefined;
    temp?.dispose();
    temp = undefined;
    await settings.restore();
    await settings.set('docksmith', 'language', 'en');
  });

  suiteTeardown(async () => {
    await settings.restore();
  });

  test('"Merge 3 RUN instructions into one" gives one RUN joined with && \\, comments kept', async () => {
    document = await openUntitled(MERGE_BEFORE);
    const diagnostics = await waitForCodes(document.uri, ['consecutive-run'], READY_TIMEOUT_MS);
    const action = await quickFix(
      document.uri,
      one(diagnostics, 'consecutive-run'),
      'Merge 3 RUN instructions into one',
    );
    assert.equal(action.kind?.value, vscode.CodeActionKind.QuickFix.value);
    assert.equal(action.isPreferred, true, 'the merge should be the preferred fix');
    await apply(action);
    assert.equal(document.getText(), MERGE_AFTER);
    const after = await waitForDiagnostics(document.uri, (list) => !list.some((d) => codeOf(d) === 'consecutive-run'));
    assert.deepEqual(summary(after), [], 'the merged file still has findings');
  });

  test('the merge keeps the first RUN flags and puts a cd in a subshell', async () => {
    document = await openUntitled(
      lines(
        'FROM golang:1.23',
        'RUN --mount=type=cache,target=/root/.cache/go-build cd /src && go generate ./...',
        'RUN --mount=type=cache,target=/root/.cache/go-build go build -o /out/app ./cmd/app',
      ),
    );
    const diagnostics = await waitForCodes(document.uri, ['consecutive-run'], READY_TIMEOUT_MS);
    await apply(await quickFix(document.uri, one(diagnostics, 'consecutive-run'), 'Merge 2 RUN instructions into one'));
    assert.equal(
      document.getText(),
      lines(
        'FROM golang:1.23',
        'RUN --mount=type=cache,target=/root/.cache/go-build ( cd /src && go generate ./... ) && \\',
        '    go build -o /out/app ./cmd/app',
      ),
    );
  });

  test('no merge is offered when it would change the build (a heredoc), and the diagnostic says why', async () => {
    document = await openUntitled(lines('FROM alpine:3.20', 'RUN echo one', 'RUN <<EOF', 'echo two', 'EOF'));
    const diagnostics = await waitForCodes(document.uri, ['consecutive-run'], READY_TIMEOUT_MS);
    const diagnostic = one(diagnostics, 'consecutive-run');
    const why = (diagnostic.relatedInformation ?? []).map((r) => r.message).join(' | ');
    const actions = await codeActions(document.uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value);
    const merges = actions.filter((a) => /^Merge \d+ RUN/.test(a.title));
    assert.ok(
      merges.every((a) => a.disabled),
      `a merge is offered: ${merges.map((a) => a.title).join(' | ')}`,
    );
    const reasons = [why, ...merges.map((a) => a.disabled?.reason ?? '')].join(' | ');
    assert.match(reasons, /No automatic merge|heredoc/i, `no reason given; related: ${why}`);
    // The other actions are still there.
    assert.ok(actions.some((a) => a.title === 'Ignore consecutive-run for this instruction'));
  });

  test('json-args: "Use the exec form" rewrites CMD in exec form', async () => {
    document = await openUntitled(lines('FROM node:22-alpine', 'CMD node server.js --port 8080'));
    const diagnostics = await waitForCodes(document.uri, ['json-args'], READY_TIMEOUT_MS);
    const action = await quickFix(document.uri, one(diagnostics, 'json-args'), /^Use the exec form /);
    assert.equal(action.title, 'Use the exec form ["node", "server.js", "--port", "8080"]');
    await apply(action);
    assert.equal(document.getText(), lines('FROM node:22-alpine', 'CMD ["node", "server.js", "--port", "8080"]'));
    const after = await waitForDiagnostics(document.uri, (list) => !list.some((d) => codeOf(d) === 'json-args'));
    assert.deepEqual(summary(after), []);
  });

  test('"Ignore json-args for this instruction" inserts the comment and the diagnostic goes away', async () => {
    document = await openUntitled(lines('FROM node:22-alpine', 'WORKDIR /app', '  CMD node server.js'));
    const diagnostics = await waitForCodes(document.uri, ['json-args'], READY_TIMEOUT_MS);
    await apply(await quickFix(document.uri, one(diagnostics, 'json-args'), 'Ignore json-args for this instruction'));
    assert.equal(
      document.getText(),
      lines('FROM node:22-alpine', 'WORKDIR /app', '  # docksmith ignore=json-args', '  CMD node server.js'),
    );
    const after = await waitForDiagnostics(document.uri, (list) => !list.some((d) => codeOf(d) === 'json-args'));
    assert.deepEqual(summary(after), [], 'json-args is still reported below the comment');
  });

  test('the source action "Merge all consecutive RUN instructions in this file" merges every group', async () => {
    document = await openUntitled(
      lines(
        'FROM alpine:3.20 AS build',
        'RUN echo one',
        'RUN echo two',
        'FROM alpine:3.20',
        'RUN echo three',
        'RUN echo four',
        'CMD ["sh"]',
      ),
    );
    await waitForCodes(document.uri, ['consecutive-run'], READY_TIMEOUT_MS);
    const whole = new vscode.Range(0, 0, document.lineCount, 0);
    const actions = await codeActions(document.uri, whole, 'source.docksmith.mergeRuns');
    const action = actions.find((a) => a.title === 'Merge all consecutive RUN instructions in this file');
    assert.ok(action, `no merge-all source action; offered: ${actions.map((a) => a.title).join(' | ')}`);
    await apply(action);
    assert.equal(
      document.getText(),
      lines(
        'FROM alpine:3.20 AS build',
        'RUN echo one && \\',
        '    echo two',
        'FROM alpine:3.20',
        'RUN echo three && \\',
        '    echo four',
        'CMD ["sh"]',
      ),
    );
  });

  test('fix-all on save: editor.codeActionsOnSave source.fixAll.docksmith fixes the file on disk', async () => {
    const file = tempDockerfile(lines('FROM alpine:3.20', 'RUN apk add --no-cache curl', 'CMD node server.js'));
    temp = file;
    await settings.set('editor', 'codeActionsOnSave', { 'source.fixAll.docksmith': 'explicit' }, 'dockerfile');
    document = await vscode.workspace.openTextDocument(file.uri);
    await vscode.window.showTextDocument(document);
    assert.equal(document.languageId, 'dockerfile');
    await waitForCodes(document.uri, ['json-args'], READY_TIMEOUT_MS);

    // Type a second RUN, then save: the merge and the exec form are applied before the file is written.
    const edit = new vscode.WorkspaceEdit();
    edit.insert(document.uri, new vscode.Position(2, 0), 'RUN echo hello\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(document.isDirty);
    assert.ok(await document.save(), 'save failed');
    const expected = lines(
      'FROM alpine:3.20',
      'RUN apk add --no-cache curl && \\',
      '    echo hello',
      'CMD ["node", "server.js"]',
    );
    assert.equal(readFileSync(file.path, 'utf8'), expected, 'the saved file does not have the fixes');
    assert.equal(document.getText(), expected);
    assert.ok(!document.isDirty, 'the document is dirty after the save');
    const after = await waitForDiagnostics(document.uri, (list) => list.length === 0, CHANGE_TIMEOUT_MS);
    assert.deepEqual(summary(after), [], 'findings are left after fix-all');

    // Fix-all is idempotent: another save with nothing to fix leaves the text as it is.
    const touch = new vscode.WorkspaceEdit();
    touch.insert(document.uri, new vscode.Position(0, 0), '# saved twice\n');
    assert.ok(await vscode.workspace.applyEdit(touch));
    assert.ok(await document.save(), 'second save failed');
    assert.equal(readFileSync(file.path, 'utf8'), '# saved twice\n' + expected);
  });
});
