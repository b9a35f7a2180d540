/**
 * The Docksmith client: starts the bundled language server over IPC for Dockerfiles.
 * All product logic lives in the server and its service; the one command here opens a rule's
 * documentation page shipped with the extension (offline).
 */
import * as path from 'node:path';
import { commands, env, Uri, type ExtensionContext } from 'vscode';
import type { LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';
// `import x = require()`, not `import { ... } from`: for ES module interop the bundler would wrap
// the CommonJS module in a copy of its ~310 exports, each behind a new getter, on every activation.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- see above
import languageClient = require('vscode-languageclient/node');
import serverNodeFlags from './serverNodeFlags.json';

const { LanguageClient, TransportKind } = languageClient;

/**
 * Node flags for the server process (`npm run bench` starts the server with them too); the first two
 * lower its memory, the last two its first analysis's CPU (docs/performance.md, "The process"):
 * - a young generation of at most 2 x 4 MB: the server's garbage is short-lived (the analyses of
 *   earlier versions), and V8's default lets it grow to 2 x 16 MB, which was a third of the server's
 *   peak memory after a few dozen edits;
 * - two V8 worker threads instead of four: each thread that compiles or collects in the background
 *   keeps its own malloc arena, 3-4 MB of the peak of a first analysis, with no CPU difference
 *   measured on the main thread;
 * - an old generation whose first collection limit is 32 MB: by default V8 starts an incremental
 *   mark-compact as soon as the heap reaches ~10 MB, which is in the middle of the first analysis of
 *   any file of a few hundred lines, and collects what that analysis is still building. Cold opens
 *   2-11% less CPU on all eight bench files, the same peak (the limit reserves nothing). One full
 *   collection remains, early: V8 counts tree-sitter's WebAssembly memory (34.5 MB) against it;
 * - Sparkplug (V8's baseline compiler) compiling on a worker thread: a first analysis runs hundreds
 *   of functions for the first time, and compiling them in batches on the server's own thread was
 *   8% of its instructions. Later V8 versions do this by default (there the flag changes nothing);
 *   where V8 cannot (macOS on Apple silicon without JIT write protection) it keeps the flag at its
 *   read-only default and ignores it.
 */
const SERVER_NODE_FLAGS: readonly string[] = serverNodeFlags;

let client: languageClient.LanguageClient | undefined;

export async function activate(context: ExtensionContext): Promise<void> {
  const module = context.asAbsolutePath(path.join('server', 'out', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_FLAGS] } },
    debug: {
      module,
      transport: TransportKind.ipc,
      options: { execArgv: [...SERVER_NODE_FLAGS, '--nolazy', '--inspect=6010'] },
    },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'dockerfile' },
      { scheme: 'untitled', language: 'dockerfile' },
    ],
    synchronize: { configurationSection: 'docksmith' },
  };
  context.subscriptions.push(
    commands.registerCommand('docksmith.showRuleDocs', async (id: unknown, lang?: unknown) => {
      if (typeof id !== 'string' || !/^[a-z0-9-]+$/.test(id)) return;
      const zh = lang === 'zh-cn' || (lang === undefined && env.language.toLowerCase().startsWith('zh'));
      const page = Uri.file(context.asAbsolutePath(path.join('docs', 'rules', zh ? `${id}.zh-cn.md` : `${id}.md`)));
      await commands.executeCommand('markdown.showPreview', page);
    }),
  );
  client = new LanguageClient('docksmith', 'Docksmith', serverOptions, clientOptions);
  context.subscriptions.push(client);
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
