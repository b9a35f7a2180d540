// Hover documentation through the real `vscode` API, on examples/Dockerfile (the workspace folder of the e2e run).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'docksmith.docksmith';
/** How long the language server may take to answer with real content (start-up included). */
const READY_TIMEOUT_MS = 30_000;
/** How long a settings change may take to show in the hover. */
const SETTING_TIMEOUT_MS = 15_000;
const POLL_MS = 100;

let document: vscode.TextDocument;

/** The position of the first `keyword` that starts an instruction line (inside the keyword, not on its edge). */
function keywordPosition(keyword: string): vscode.Position {
  const pattern = new RegExp(`^\\s*(${keyword})\\b`);
  for (let line = 0; line < document.lineCount; line++) {
    const match = pattern.exec(document.lineAt(line).text);
    if (match) return new vscode.Position(line, match[0].length - keyword.length + 1);
  }
  assert.fail(`examples/Dockerfile has no ${keyword} instruction`);
}

function contentText(content: vscode.MarkdownString | vscode.MarkedString): string {
  return typeof content === 'string' ? content : content.value;
}

/** All hover text VS Code shows at `position`, from every provider, joined. */
async function hoverText(position: vscode.Position): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
    'vscode.executeHoverProvider',
    document.uri,
    position,
  );
  return (hovers ?? []).flatMap((hover) => hover.contents.map(contentText)).join('\n---\n');
}

/**
 * Asks for the hover again and again until `done(text)` holds or the deadline passes; returns the last text.
 * VS Code has no event for "the server now answers differently", so the request itself is polled.
 */
async function waitForHover(
  position: vscode.Position,
  done: (text: string) => boolean,
  timeoutMs: number,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = await hoverText(position);
    if (done(text) || Date.now() > deadline) return text;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS)); // poll interval, not a wait for the editor
  }
}

async function setLanguage(value: string | undefined): Promise<void> {
  await vscode.workspace.getConfiguration('docksmith').update('language', value, vscode.ConfigurationTarget.Global);
}

suite('Hover documentation', () => {
  let previousLanguage: string | undefined;

  suiteSetup(async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `extension ${EXTENSION_ID} is not loaded (is extensionDevelopmentPath the repo root?)`);
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'no workspace folder: the e2e run must open examples/');
    document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, 'Dockerfile'));
    await vscode.window.showTextDocument(document);
    assert.equal(document.languageId, 'dockerfile');
    await extension.activate();
    assert.ok(extension.isActive, `${EXTENSION_ID} did not activate`);

    previousLanguage = vscode.workspace.getConfiguration('docksmith').inspect<string>('language')?.globalValue;
    if (previousLanguage !== undefined && previousLanguage !== 'en') await setLanguage('en');
    // The server answers once it is up: wait for the first real hover.
    const text = await waitForHover(keywordPosition('FROM'), (t) => t.trim().length > 0, READY_TIMEOUT_MS);
    assert.ok(text.trim().length > 0, `no hover on FROM within ${READY_TIMEOUT_MS / 1000} s`);
  });

  suiteTeardown(async () => {
    await setLanguage(previousLanguage);
  });

  test('FROM explains the base image and scratch', async () => {
    const text = await hoverText(keywordPosition('FROM'));
    assert.match(text, /base image/i);
    assert.ok(text.includes('scratch'), `FROM hover lacks "scratch":\n${text}`);
  });

  test('RUN explains layers and &&', async () => {
    const text = await hoverText(keywordPosition('RUN'));
    assert.ok(text.includes('&&'), `RUN hover lacks "&&":\n${text}`);
    assert.match(text, /layer/i);
  });

  test('CMD shows the foreground nginx example from the notes', async () => {
    const text = await hoverText(keywordPosition('CMD'));
    assert.ok(text.includes('CMD ["nginx", "-g", "daemon off;"]'), `CMD hover lacks the exec-form example:\n${text}`);
    assert.ok(text.includes('service nginx start'), `CMD hover lacks "service nginx start":\n${text}`);
  });

  test('docksmith.language = zh-cn switches the hover to Chinese', async () => {
    const run = keywordPosition('RUN');
    const cmd = keywordPosition('CMD');
    const english = await hoverText(run);
    await setLanguage('zh-cn');
    const chinese = await waitForHover(run, (t) => t !== english && t.includes('层'), SETTING_TIMEOUT_MS);
    assert.notEqual(chinese, english, `RUN hover did not change within ${SETTING_TIMEOUT_MS / 1000} s`);
    assert.ok(chinese.includes('层'), `Chinese RUN hover lacks "层":\n${chinese}`);
    const cmdText = await hoverText(cmd);
    assert.ok(cmdText.includes('前台'), `Chinese CMD hover lacks "前台":\n${cmdText}`);
  });

  test('docksmith.language = en switches it back to English', async () => {
    const run = keywordPosition('RUN');
    await setLanguage('en');
    const text = await waitForHover(run, (t) => /layer/i.test(t), SETTING_TIMEOUT_MS);
    assert.match(text, /layer/i, `RUN hover is not English again:\n${text}`);
    assert.ok(!text.includes('层'), `RUN hover still Chinese:\n${text}`);
  });
});
