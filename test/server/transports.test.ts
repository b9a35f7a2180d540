import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fork, spawnSync } from 'node:child_process';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import {
  createMessageConnection,
  IPCMessageReader,
  IPCMessageWriter,
  SocketMessageReader,
  SocketMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import type { Hover, InitializeResult, MarkupContent } from 'vscode-languageserver-protocol';
import { SERVER } from '../helpers/lsp';

/** initialize, open a Dockerfile, hover RUN: the server works over this connection. */
async function exercise(connection: MessageConnection): Promise<void> {
  connection.onRequest('workspace/configuration', () => [null]);
  connection.onRequest('client/registerCapability', () => null);
  connection.listen();
  const init = await connection.sendRequest<InitializeResult>('initialize', {
    processId: process.pid,
    rootUri: null,
    locale: 'zh-cn',
    capabilities: {},
  });
  assert.equal(init.serverInfo?.name, 'docksmith');
  await connection.sendNotification('initialized', {});
  const uri = 'file:///transport/Dockerfile';
  await connection.sendNotification('textDocument/didOpen', {
    textDocument: { uri, languageId: 'dockerfile', version: 1, text: 'FROM alpine:3.20\nRUN echo hi\n' },
  });
  const hover = await connection.sendRequest<Hover>('textDocument/hover', {
    textDocument: { uri },
    position: { line: 1, character: 1 },
  });
  assert.match((hover.contents as MarkupContent).value, /层/);
  await connection.sendRequest('shutdown');
  await connection.sendNotification('exit');
}

test('--node-ipc', async () => {
  const child = fork(SERVER, ['--node-ipc'], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const connection = createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
  await exercise(connection);
  assert.equal(await exited, 0);
  connection.dispose();
});

test('--socket=<port>: the server connects to the editor', async () => {
  const accepted = new Promise<Socket>((resolve) => {
    const server = createServer((socket) => {
      server.close();
      resolve(socket);
    });
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      fork(SERVER, [`--socket=${port}`], { stdio: 'ignore' });
    });
  });
  const socket = await accepted;
  const connection = createMessageConnection(new SocketMessageReader(socket), new SocketMessageWriter(socket));
  await exercise(connection);
  connection.dispose();
  socket.destroy();
});

test('without a transport: usage on stderr, exit 2; --version', () => {
  const bare = spawnSync(process.execPath, [SERVER], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  assert.equal(bare.status, 2);
  assert.match(bare.stderr, /--stdio/);
  const version = spawnSync(process.execPath, [SERVER, '--version'], { encoding: 'utf8' });
  assert.match(version.stdout, /^docksmith-langserver \d+\.\d+\.\d+/);
});
