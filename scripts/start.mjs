// `npm start`: VS Code (code-server 4.100.3) in the browser, serving examples/ with Docksmith loaded from this repo.
// Prints the URL and runs until Ctrl+C. Installs code-server into .vscode-test/ on first use (needs ripgrep; see
// docs/e2e.md). Options: --port=N (default: a free port), [folder] (default: examples/).
// The server listens on 127.0.0.1 only, without authentication.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { CODE_SERVER_VERSION, ensureCodeServer, payloadUrl, repoRoot, startCodeServer } from './code-server.mjs';

const args = process.argv.slice(2);
const portArg = args.find((a) => a.startsWith('--port='));
const port = portArg ? Number(portArg.slice('--port='.length)) : undefined;
const folder = resolve(args.find((a) => !a.startsWith('--')) ?? resolve(repoRoot, 'examples'));

if (!existsSync(folder)) {
  console.error(`start: no such folder: ${folder}`);
  process.exit(1);
}
if (!existsSync(resolve(repoRoot, 'client/out/extension.js'))) {
  console.error('start: client/out/extension.js is missing: run `npm run build` (npm start does it for you)');
  process.exit(1);
}

try {
  await ensureCodeServer();
} catch (err) {
  console.error(`start: ${err.message}`);
  process.exit(1);
}
const server = await startCodeServer({ workspace: folder, port, extensionDevelopmentPath: repoRoot });
const url = payloadUrl({ url: server.url, folder, extensionDevelopmentPath: server.extensionDevelopmentPath });
console.log(`Docksmith is running in VS Code at ${url}`);
console.log(`(code-server ${CODE_SERVER_VERSION}, log: ${server.logFile}; Ctrl+C to stop)`);

let stopping = false;
const shutdown = async (signal) => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping code-server`);
  await server.stop();
  process.exit(0);
};
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGHUP', () => shutdown('SIGHUP'));

const { code, signal } = await server.exited;
if (!stopping) {
  console.error(`code-server exited unexpectedly (${signal ?? code}); log: ${server.logFile}`);
  await server.stop({ keepTemp: true });
  process.exit(1);
}
