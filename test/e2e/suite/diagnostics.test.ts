// Diagnostics in the real VS Code: codes and documentation links, severities and ranges, `docksmith.rules` and
// `docksmith.language` applied without reopening the file, suppression comments.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  READY_TIMEOUT_MS,
  RULE_DOCS_BASE,
  SOURCE,
  SettingGuard,
  activateExtension,
  closeDocument,
  codeOf,
  openUntitled,
  summary,
  targetOf,
  waitForCodes,
  waitForDiagnostics,
} from './util';

/** A consecutive-run (info, on the second RUN) and a json-args (warning, on the command of CMD); nothing else. */
const SMALL = ['FROM alpine:3.20', 'RUN apk add --no-cache curl', 'RUN echo hello', 'CMD node server.js', ''].join(
  '\n',
);

function only(diagnostics: vscode.Diagnostic[], code: string): vscode.Diagnostic {
  const found = diagnostics.filter((d) => codeOf(d) === code);
  assert.equal(found.length, 1, `expected one ${code}; got: ${summary(diagnostics).join(', ')}`);
  return found[0]!;
}

function rangeText(range: vscode.Range): string {
  return `${range.start.line}:${range.start.character}-${range.end.line}:${range.end.character}`;
}

/** Every rule id the extension declares (the keys of `docksmith.rules` in package.json). */
function declaredRules(extension: vscode.Extension<unknown>): string[] {
  const configuration = (extension.packageJSON as { contributes?: { configuration?: unknown } }).contributes
    ?.configuration;
  const sections = (Array.isArray(configuration) ? configuration : [configuration]) as {
    properties?: Record<string, { properties?: Record<string, unknown> }>;
  }[];
  const rules = sections.map((s) => s?.properties?.['docksmith.rules']?.properties).find((p) => p !== undefined);
  assert.ok(rules, 'package.json declares no docksmith.rules properties');
  return Object.keys(rules).sort();
}

suite('Diagnostics', () => {
  const settings = new SettingGuard();
  let extension: vscode.Extension<unknown>;
  let document: vscode.TextDocument | undefined;

  suiteSetup(async () => {
    extension = await activateExtension();
    await settings.set('docksmith', 'language', 'en');
  });

  teardown(async () => {
    await closeDocument(document);
    document = undefined;
    await settings.set('docksmith', 'language', 'en');
    await settings.set('docksmith', 'rules', undefined);
  });

  suiteTeardown(async () => {
    await settings.restore();
  });

  test('examples/every-rule/Dockerfile shows every rule, each linked to its docs page', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'no workspace folder: the e2e run must open examples/');
    const uri = vscode.Uri.joinPath(folder.uri, 'every-rule', 'Dockerfile');
    document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    assert.equal(document.languageId, 'dockerfile');

    const rules = declaredRules(extension);
    assert.ok(rules.length >= 30, `only ${rules.length} rules declared`);
    const diagnostics = await waitForCodes(uri, rules, READY_TIMEOUT_MS);
    for (const d of diagnostics) {
      assert.equal(d.source, SOURCE);
      const id = codeOf(d)!;
      assert.ok(rules.includes(id), `diagnostic with an undeclared code ${id}`);
      assert.equal(targetOf(d), `${RULE_DOCS_BASE}${id}.md`, `link of ${id}`);
      assert.ok(d.message.length > 20, `${id} has no real message: ${d.message}`);
      assert.ok(!d.range.isEmpty, `${id} has an empty range at line ${d.range.start.line + 1}`);
    }
    // Tags where they are true.
    const tagged = (id: string, tag: vscode.DiagnosticTag) =>
      diagnostics.filter((d) => codeOf(d) === id).every((d) => d.tags?.includes(tag));
    assert.ok(tagged('maintainer-deprecated', vscode.DiagnosticTag.Deprecated), 'MAINTAINER is not tagged Deprecated');
    assert.ok(
      tagged('overridden-instruction', vscode.DiagnosticTag.Unnecessary),
      'the overridden CMD is not Unnecessary',
    );
  });

  test('codes, links, severities and exact ranges on a small file', async () => {
    document = await openUntitled(SMALL);
    const diagnostics = await waitForCodes(document.uri, ['consecutive-run', 'json-args'], READY_TIMEOUT_MS);
    assert.deepEqual(summary(diagnostics), ['consecutive-run@3', 'json-args@4']);

    const run = only(diagnostics, 'consecutive-run');
    assert.equal(run.severity, vscode.DiagnosticSeverity.Information);
    assert.equal(rangeText(run.range), '2:0-2:3', 'consecutive-run should cover the second RUN keyword');
    assert.equal(targetOf(run), `${RULE_DOCS_BASE}consecutive-run.md`);
    assert.match(run.message, /^2 consecutive RUN instructions/);

    const json = only(diagnostics, 'json-args');
    assert.equal(json.severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(document.getText(json.range), 'node server.js', 'json-args should cover the shell-form command');
    assert.equal(targetOf(json), `${RULE_DOCS_BASE}json-args.md`);
    assert.match(json.message, /exec form/);
  });

  test('docksmith.rules turns a rule off, and raises it to error, without reopening the file', async () => {
    document = await openUntitled(SMALL);
    const uri = document.uri;
    await waitForCodes(uri, ['consecutive-run', 'json-args'], READY_TIMEOUT_MS);

    await settings.set('docksmith', 'rules', { 'json-args': 'off' });
    let diagnostics = await waitForDiagnostics(uri, (list) => !list.some((d) => codeOf(d) === 'json-args'));
    assert.deepEqual(summary(diagnostics), ['consecutive-run@3'], '"json-args": "off" did not remove it');

    await settings.set('docksmith', 'rules', { 'json-args': 'error', 'consecutive-run': 'hint' });
    const changed = (list: vscode.Diagnostic[]) =>
      list.some((d) => codeOf(d) === 'json-args' && d.severity === vscode.DiagnosticSeverity.Error) &&
      list.some((d) => codeOf(d) === 'consecutive-run' && d.severity === vscode.DiagnosticSeverity.Hint);
    diagnostics = await waitForDiagnostics(uri, changed);
    assert.ok(changed(diagnostics), `severities did not change: ${JSON.stringify(diagnostics.map(severityOf))}`);

    await settings.set('docksmith', 'rules', undefined);
    diagnostics = await waitForDiagnostics(uri, (list) =>
      list.some((d) => codeOf(d) === 'json-args' && d.severity === vscode.DiagnosticSeverity.Warning),
    );
    assert.equal(only(diagnostics, 'json-args').severity, vscode.DiagnosticSeverity.Warning, 'default not restored');
  });

  test('# docksmith ignore=json-args above the CMD removes that diagnostic only', async () => {
    document = await openUntitled(SMALL);
    const uri = document.uri;
    const before = await waitForCodes(uri, ['consecutive-run', 'json-args'], READY_TIMEOUT_MS);
    const cmdLine = only(before, 'json-args').range.start.line;

    const edit = new vscode.WorkspaceEdit();
    edit.insert(uri, new vscode.Position(cmdLine, 0), '# docksmith ignore=json-args\n');
    assert.ok(await vscode.workspace.applyEdit(edit), 'the edit was not applied');
    const after = await waitForDiagnostics(uri, (list) => !list.some((d) => codeOf(d) === 'json-args'));
    assert.deepEqual(summary(after), ['consecutive-run@3'], 'the suppression comment did not remove json-args');
  });

  test("hadolint's # hadolint ignore=DL3059 suppresses consecutive-run (its peer)", async () => {
    document = await openUntitled(SMALL);
    const uri = document.uri;
    const before = await waitForCodes(uri, ['consecutive-run', 'json-args'], READY_TIMEOUT_MS);
    const runLine = only(before, 'consecutive-run').range.start.line;

    const edit = new vscode.WorkspaceEdit();
    edit.insert(uri, new vscode.Position(runLine, 0), '# hadolint ignore=DL3059\n');
    assert.ok(await vscode.workspace.applyEdit(edit), 'the edit was not applied');
    const after = await waitForDiagnostics(uri, (list) => !list.some((d) => codeOf(d) === 'consecutive-run'));
    assert.deepEqual(summary(after), ['json-args@5']);
  });

  test('docksmith.language = zh-cn turns the messages Chinese, and en back', async () => {
    document = await openUntitled(SMALL);
    const uri = document.uri;
    const english = await waitForCodes(uri, ['consecutive-run', 'json-args'], READY_TIMEOUT_MS);
    assert.match(only(english, 'json-args').message, /shell form/);

    const han = /[\u4e00-\u9fff]/;
    const chinese = (list: vscode.Diagnostic[]) => list.length === 2 && list.every((d) => han.test(d.message));
    await settings.set('docksmith', 'language', 'zh-cn');
    let diagnostics = await waitForDiagnostics(uri, chinese);
    assert.ok(chinese(diagnostics), `messages are not Chinese: ${diagnostics.map((d) => d.message).join(' | ')}`);
    assert.match(only(diagnostics, 'json-args').message, /shell 格式/);
    assert.match(only(diagnostics, 'consecutive-run').message, /连续 2 条 RUN 指令/);
    // Codes and links do not depend on the language.
    assert.equal(targetOf(only(diagnostics, 'json-args')), `${RULE_DOCS_BASE}json-args.md`);

    await settings.set('docksmith', 'language', 'en');
    diagnostics = await waitForDiagnostics(uri, (list) => list.length === 2 && !list.some((d) => han.test(d.message)));
    assert.match(only(diagnostics, 'json-args').message, /shell form/, 'messages did not switch back to English');
  });
});

function severityOf(d: vscode.Diagnostic): string {
  return `${codeOf(d)}:${vscode.DiagnosticSeverity[d.severity]}`;
}
