import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { CodeAction, Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { SERVER, TestClient } from '../helpers/lsp';

const URI = 'file:///work/Dockerfile';
const TEXT = 'FROM nginx:1.27\nRUN echo hi\nCMD nginx -g "daemon off;"\n';

let en: TestClient;
let zh: TestClient;

before(async () => {
  en = new TestClient({ locale: 'en' });
  zh = new TestClient({ locale: 'zh-cn' });
  await Promise.all([en.initialize(), zh.initialize()]);
});

after(async () => {
  await Promise.all([en.shutdown(), zh.shutdown()]);
});

function hoverValue(hover: Hover | null): string {
  assert.ok(hover, 'no hover');
  return (hover.contents as MarkupContent).value;
}

test('initialize announces the capabilities', () => {
  const caps = en.initializeResult!.capabilities;
  assert.equal(caps.hoverProvider, true);
  assert.ok(caps.codeActionProvider);
  assert.equal(en.initializeResult!.serverInfo?.name, 'docksmith');
});

test('hover follows the locale of the initialize request (zh-cn and en)', async () => {
  await en.open(URI, TEXT);
  await zh.open(URI, TEXT);
  const position = { line: 2, character: 1 };
  const english = hoverValue(await en.request('textDocument/hover', { textDocument: { uri: URI }, position }));
  assert.ok(english.includes('CMD ["nginx", "-g", "daemon off;"]'));
  assert.match(english, /foreground/);
  const chinese = hoverValue(await zh.request('textDocument/hover', { textDocument: { uri: URI }, position }));
  assert.match(chinese, /前台/);
  assert.ok(chinese.includes('service nginx start'));
});

test('diagnostics on open carry source, code, docs link and data', async () => {
  const uri = 'file:///work/open/Dockerfile';
  const diagnostics = await en.open(uri, TEXT);
  const jsonArgs = diagnostics.find((d) => d.code === 'json-args');
  assert.ok(jsonArgs, JSON.stringify(diagnostics));
  assert.equal(jsonArgs.source, 'docksmith');
  assert.match(jsonArgs.codeDescription!.href, /docs\/rules\/json-args\.md$/);
  assert.deepEqual(jsonArgs.range, { start: { line: 2, character: 4 }, end: { line: 2, character: 26 } });
  assert.equal((jsonArgs.data as { rule: string }).rule, 'json-args');
});

test('a script only tree-sitter reads is checked: the server loads the parser then, in a fresh server too', async () => {
  const client = new TestClient({ locale: 'en' });
  await client.initialize();
  try {
    const uri = 'file:///work/tree-sitter/Dockerfile';
    const text = 'FROM alpine:3.20\nARG N=1\nRUN [[ -n "$N" ]] && echo $((N + 1)) && cd /src && make\n';
    // Asked right after the open, before its diagnostics: the request waits for the parser as the
    // validation does, whichever of the two needs it first.
    const opened = client.open(uri, text);
    const definition = await client.request<{ range: { start: { line: number } } }[]>('textDocument/definition', {
      textDocument: { uri },
      position: { line: 2, character: 12 },
    });
    assert.equal(definition[0]?.range.start.line, 1, JSON.stringify(definition));
    const diagnostics = await opened;
    assert.ok(
      diagnostics.some((d) => d.code === 'cd-in-run' && d.range.start.line === 2),
      JSON.stringify(diagnostics),
    );
  } finally {
    await client.shutdown();
  }
});

test('didChange re-validates; the version is echoed', async () => {
  const uri = 'file:///work/change/Dockerfile';
  await en.open(uri, TEXT);
  const fixed = await en.change(uri, 'FROM nginx:1.27\nCMD ["nginx", "-g", "daemon off;"]\n');
  assert.equal(fixed.filter((d) => d.code === 'json-args').length, 0);
  const broken = await en.change(uri, 'FROM nginx:1.27\nENTRYPOINT run me\n');
  assert.equal(broken.filter((d) => d.code === 'json-args').length, 1);
});

test('settings: language and rule severities are re-read on change', async () => {
  const client = new TestClient({ locale: 'en' });
  await client.initialize();
  try {
    const uri = 'file:///work/settings/Dockerfile';
    const first = await client.open(uri, TEXT);
    const message = first.find((d) => d.code === 'json-args')!.message;
    assert.match(message, /shell form/);
    const zhDiagnostics = await client.changeSettings(uri, { language: 'zh-cn' });
    assert.match(zhDiagnostics.find((d) => d.code === 'json-args')!.message, /shell 格式/);
    const position = { line: 1, character: 1 };
    const hover = hoverValue(await client.request('textDocument/hover', { textDocument: { uri }, position }));
    assert.match(hover, /层/);
    const off = await client.changeSettings(uri, { language: 'zh-cn', rules: { 'json-args': 'off' } });
    assert.equal(off.filter((d) => d.code === 'json-args').length, 0);
    const error = await client.changeSettings(uri, { rules: { 'json-args': 'error' } });
    assert.equal(error.find((d) => d.code === 'json-args')!.severity, 1);
  } finally {
    await client.shutdown();
  }
});

test('code actions: the fix as a versioned edit, ignore comments, docs', async () => {
  const uri = 'file:///work/actions/Dockerfile';
  const diagnostics = await en.open(uri, TEXT);
  const diagnostic = diagnostics.find((d) => d.code === 'json-args')!;
  const actions = await en.request<CodeAction[]>('textDocument/codeAction', {
    textDocument: { uri },
    range: diagnostic.range,
    context: { diagnostics: [diagnostic] },
  });
  const fix = actions.find((a) => a.isPreferred);
  assert.ok(fix, JSON.stringify(actions.map((a) => a.title)));
  assert.equal(fix.kind, 'quickfix');
  const change = fix.edit!.documentChanges![0] as { textDocument: { version: number }; edits: { newText: string }[] };
  assert.equal(change.textDocument.version, en.version(uri));
  assert.equal(change.edits[0]!.newText, '["nginx", "-g", "daemon off;"]');
  const titles = actions.map((a) => a.title);
  assert.ok(titles.includes('Ignore json-args for this instruction'));
  assert.ok(titles.includes('Ignore json-args in this file'));
  const docs = actions.find((a) => a.title === 'Show documentation for json-args');
  assert.equal(docs?.command?.command, 'docksmith.showRuleDocs');
});

test('fix-all source action (editor.codeActionsOnSave)', async () => {
  const uri = 'file:///work/fixall/Dockerfile';
  await en.open(uri, 'FROM a:1\nCMD run a\nENTRYPOINT /bin/app --x\n');
  const actions = await en.request<CodeAction[]>('textDocument/codeAction', {
    textDocument: { uri },
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    context: { diagnostics: [], only: ['source.fixAll'] },
  });
  assert.equal(actions.length, 1);
  assert.equal(actions[0]!.kind, 'source.fixAll.docksmith');
  const edits = (actions[0]!.edit!.documentChanges![0] as { edits: { newText: string }[] }).edits.map((e) => e.newText);
  assert.deepEqual(edits.sort(), ['["/bin/app", "--x"]', '["run", "a"]']);
});

test('plain-text hover for clients without Markdown', async () => {
  const client = new TestClient({
    locale: 'en',
    capabilities: { textDocument: { hover: { contentFormat: ['plaintext'] } } },
  });
  await client.initialize();
  try {
    const uri = 'file:///work/plain/Dockerfile';
    await client.open(uri, TEXT);
    const hover = await client.request<Hover>('textDocument/hover', {
      textDocument: { uri },
      position: { line: 0, character: 1 },
    });
    const contents = hover.contents as MarkupContent;
    assert.equal(contents.kind, 'plaintext');
    assert.ok(!contents.value.includes('**'));
  } finally {
    await client.shutdown();
  }
});

test('bad input never crashes the server', async () => {
  const inputs: Record<string, string> = {
    empty: '',
    garbage: Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)).toString('latin1'),
    nul: 'FROM a\u0000\nRUN \u0000\u0001\n',
    json: 'FROM a\nCMD ["unterminated\nENTRYPOINT [\n',
    heredoc: 'FROM a\nRUN <<EOF\necho never closed\n',
    crlf: 'FROM a\r\nRUN echo a \\\r\n  && echo b\r\nCMD run\r\n',
    bom: '\uFEFFFROM a\nCMD run\n',
    escape: '# escape=`\nFROM a\nRUN echo a `\n  && echo b\nCMD run\n',
    big: 'FROM alpine:3.20\n' + 'RUN echo "a line of a large file" && true\n'.repeat(25000),
    continuationEof: 'FROM a\nRUN echo \\',
    onlyComments: '# a\n# b\n',
    weird: 'FROM\nRUN\nCOPY\nARG\nENV\nONBUILD\nHEALTHCHECK\nSHELL []\nEXPOSE 99999999\n',
  };
  for (const [name, text] of Object.entries(inputs)) {
    const uri = `file:///work/bad/${name}/Dockerfile`;
    const diagnostics = await en.open(uri, text);
    assert.ok(Array.isArray(diagnostics), name);
    await en.request('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 1 } });
    await en.request('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } },
      context: { diagnostics },
    });
  }
  assert.equal(en.process.exitCode, null, en.stderr.join(''));
});

test('without the shell parser WASM the server still starts, checks the scripts it reads itself, and says why it cannot read the others', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'docksmith-nowasm-'));
  try {
    const server = join(dir, 'server.js');
    copyFileSync(SERVER, server); // no tree-sitter*.wasm next to it
    copyFileSync(join(dirname(SERVER), 'langserver.js'), join(dir, 'langserver.js'));
    const client = new TestClient({ server });
    try {
      await client.initialize();
      // tree-sitter is loaded when a script first needs it: `$((...))` does, `cd /src && make` does not.
      const diagnostics = await client.open(
        'file:///nowasm/Dockerfile',
        'FROM alpine:latest\nRUN cd /src && make\nRUN echo $((1 + 2)) && cd /other\n',
      );
      const codes = diagnostics.map((d) => `${d.range.start.line}:${String(d.code)}`);
      assert.ok(codes.includes('0:latest-tag'), codes.join(','));
      assert.ok(codes.includes('1:cd-in-run'), codes.join(','));
      assert.ok(!codes.includes('2:cd-in-run'), 'a script only tree-sitter reads is unreadable without it');
      assert.ok(
        client.logMessages.some((m) => m.includes('shell parser could not be loaded')),
        client.logMessages.join('\n'),
      );
    } finally {
      await client.shutdown();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
