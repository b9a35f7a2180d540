// Shared helpers of the editor tests (bundled into each *.test.js by test/e2e/build.mjs; not a test file itself).
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'docksmith.docksmith';
export const SOURCE = 'docksmith';
export const RULE_DOCS_BASE = 'https://github.com/docksmith/docksmith/blob/main/docs/rules/';
/** How long the language server may take to answer at all (start-up included, on a loaded machine). */
export const READY_TIMEOUT_MS = 45_000;
/** How long a settings change or an edit may take to show in the diagnostics or an answer. */
export const CHANGE_TIMEOUT_MS = 20_000;
const POLL_MS = 100;

/** Activates Docksmith and checks it is the extension under development. */
export async function activateExtension(): Promise<vscode.Extension<unknown>> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension, `extension ${EXTENSION_ID} is not loaded (is extensionDevelopmentPath the repo root?)`);
  await extension.activate();
  assert.ok(extension.isActive, `${EXTENSION_ID} did not activate`);
  return extension;
}

/** The rule id of a diagnostic (`code` is `{ value, target }` when the server sends a codeDescription). */
export function codeOf(diagnostic: vscode.Diagnostic): string | undefined {
  const code = diagnostic.code;
  if (code === undefined) return undefined;
  return typeof code === 'object' ? String(code.value) : String(code);
}

/** The documentation link of a diagnostic's code, as a string. */
export function targetOf(diagnostic: vscode.Diagnostic): string | undefined {
  const code = diagnostic.code;
  return typeof code === 'object' ? code.target.toString(true) : undefined;
}

/** Docksmith's diagnostics of `uri`, in document order. */
export function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages
    .getDiagnostics(uri)
    .filter((d) => d.source === SOURCE)
    .sort((a, b) => a.range.start.compareTo(b.range.start));
}

/** `rule@line` for each diagnostic (1-based lines): readable in assertion messages. */
export function summary(diagnostics: readonly vscode.Diagnostic[]): string[] {
  return diagnostics.map((d) => `${codeOf(d)}@${d.range.start.line + 1}`);
}

/**
 * Waits until Docksmith's diagnostics of `uri` satisfy `done`, on `onDidChangeDiagnostics` (checked once at once
 * too), or until the deadline; returns the last diagnostics either way, for the caller to assert on.
 */
export function waitForDiagnostics(
  uri: vscode.Uri,
  done: (diagnostics: vscode.Diagnostic[]) => boolean,
  timeoutMs = CHANGE_TIMEOUT_MS,
): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      subscription.dispose();
      resolve(ours(uri));
    };
    const subscription = vscode.languages.onDidChangeDiagnostics((event) => {
      if (event.uris.some((u) => u.toString() === uri.toString()) && done(ours(uri))) finish();
    });
    const timer = setTimeout(finish, timeoutMs);
    if (done(ours(uri))) finish();
  });
}

/** Waits for a diagnostic with each of `codes`; fails with what there is after the deadline. */
export async function waitForCodes(
  uri: vscode.Uri,
  codes: readonly string[],
  timeoutMs = READY_TIMEOUT_MS,
): Promise<vscode.Diagnostic[]> {
  const has = (list: vscode.Diagnostic[]) => codes.every((c) => list.some((d) => codeOf(d) === c));
  const diagnostics = await waitForDiagnostics(uri, has, timeoutMs);
  assert.ok(
    has(diagnostics),
    `no ${codes.join(', ')} diagnostic within ${timeoutMs / 1000} s; got: ${summary(diagnostics).join(', ') || '(none)'}`,
  );
  return diagnostics;
}

/**
 * Asks `request` again and again until `done(answer)` holds or the deadline passes; returns the last answer. For
 * answers VS Code has no event for (a server that answers differently once it is up or after a change).
 */
export async function poll<T>(request: () => Thenable<T>, done: (answer: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await request();
    if (done(answer) || Date.now() > deadline) return answer;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS)); // poll interval, not a wait for the editor
  }
}

/** An untitled Dockerfile with `content`, shown in an editor. Close it with `closeDocument`. */
export async function openUntitled(content: string): Promise<vscode.TextDocument> {
  const document = await vscode.workspace.openTextDocument({ language: 'dockerfile', content });
  await vscode.window.showTextDocument(document);
  assert.equal(document.languageId, 'dockerfile');
  return document;
}

/** A Dockerfile on disk in a fresh temp folder; `dispose()` deletes the folder. */
export function tempDockerfile(content: string): { uri: vscode.Uri; path: string; dispose(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'docksmith-e2e-'));
  const path = join(dir, 'Dockerfile');
  writeFileSync(path, content);
  return { uri: vscode.Uri.file(path), path, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Closes the editors showing `document` without saving (an untitled document is discarded). */
export async function closeDocument(document: vscode.TextDocument | undefined): Promise<void> {
  if (!document || document.isClosed) return;
  await vscode.window.showTextDocument(document);
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
}

/** The position of the first occurrence of `text` in `document` (plus `offset` characters). */
export function positionOf(document: vscode.TextDocument, text: string, offset = 0): vscode.Position {
  const at = document.getText().indexOf(text);
  assert.ok(at >= 0, `the document has no ${JSON.stringify(text)}`);
  return document.positionAt(at + offset);
}

/** A settings value of the user (global) scope, remembered so that `restore()` puts it back. */
export class SettingGuard {
  private readonly saved: { section: string; key: string; language?: string; value: unknown }[] = [];

  /** Sets `section.key` globally (in `[language]` when given), remembering the first previous value. */
  async set(section: string, key: string, value: unknown, language?: string): Promise<void> {
    const config = vscode.workspace.getConfiguration(section, language ? { languageId: language } : undefined);
    if (!this.saved.some((s) => s.section === section && s.key === key && s.language === language)) {
      const inspected = config.inspect(key);
      this.saved.push({
        section,
        key,
        language,
        value: language ? inspected?.globalLanguageValue : inspected?.globalValue,
      });
    }
    await config.update(key, value, vscode.ConfigurationTarget.Global, language ? true : undefined);
  }

  async restore(): Promise<void> {
    for (const { section, key, language, value } of this.saved.splice(0).reverse()) {
      const config = vscode.workspace.getConfiguration(section, language ? { languageId: language } : undefined);
      await config.update(key, value, vscode.ConfigurationTarget.Global, language ? true : undefined);
    }
  }
}
