/**
 * A minimal LSP client for protocol tests: starts the BUILT server (`server/out/server.js --stdio`)
 * as any editor would and speaks JSON-RPC to it. Waits on messages, never on timers.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import type {
  ClientCapabilities,
  Diagnostic,
  InitializeResult,
  PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol';
import { REPO } from './service';

export const SERVER = join(REPO, 'server', 'out', 'server.js');

export interface TestClientOptions {
  locale?: string;
  /** What `workspace/configuration` answers for the `docksmith` section (mutable: tests change it). */
  settings?: Record<string, unknown>;
  capabilities?: ClientCapabilities;
  initializationOptions?: unknown;
  /** The server bundle to start (default: the built `server/out/server.js`). */
  server?: string;
  /** Added to the server's environment. */
  env?: Record<string, string>;
}

export const DEFAULT_CAPABILITIES: ClientCapabilities = {
  workspace: {
    configuration: true,
    didChangeConfiguration: { dynamicRegistration: true },
    workspaceEdit: { documentChanges: true },
  },
  textDocument: {
    hover: { contentFormat: ['markdown', 'plaintext'] },
    publishDiagnostics: {
      relatedInformation: true,
      versionSupport: true,
      codeDescriptionSupport: true,
      dataSupport: true,
    },
    codeAction: {
      codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source', 'source.fixAll'] } },
      disabledSupport: true,
      isPreferredSupport: true,
      dataSupport: true,
    },
  },
};

export class TestClient {
  readonly connection: MessageConnection;
  readonly process: ChildProcessWithoutNullStreams;
  settings: Record<string, unknown>;
  initializeResult: InitializeResult | undefined;
  readonly stderr: string[] = [];
  /** `window/logMessage` texts, in order. */
  readonly logMessages: string[] = [];
  /** The methods the server registered dynamically (`client/registerCapability`), in order. */
  readonly registrations: string[] = [];
  private readonly diagnostics = new Map<string, PublishDiagnosticsParams[]>();
  private readonly waiters: {
    uri: string;
    predicate: (p: PublishDiagnosticsParams) => boolean;
    resolve: (p: PublishDiagnosticsParams) => void;
  }[] = [];
  private versions = new Map<string, number>();

  constructor(private readonly options: TestClientOptions = {}) {
    const server = options.server ?? SERVER;
    if (!existsSync(server)) throw new Error(`${server} is missing: run npm run build first`);
    this.settings = options.settings ?? {};
    this.process = spawn(process.execPath, [server, '--stdio'], {
      stdio: 'pipe',
      env: { ...process.env, ...options.env },
    });
    this.process.stderr.on('data', (chunk: Buffer) => this.stderr.push(chunk.toString()));
    this.connection = createMessageConnection(
      new StreamMessageReader(this.process.stdout),
      new StreamMessageWriter(this.process.stdin),
    );
    this.connection.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) =>
      params.items.map((item) => (item.section === 'docksmith' ? this.settings : null)),
    );
    this.connection.onRequest('client/registerCapability', (params: { registrations: { method: string }[] }) => {
      for (const registration of params.registrations) this.registrations.push(registration.method);
      return null;
    });
    this.connection.onNotification('window/logMessage', (params: { message: string }) =>
      this.logMessages.push(params.message),
    );
    this.connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      const list = this.diagnostics.get(params.uri) ?? [];
      list.push(params);
      this.diagnostics.set(params.uri, list);
      for (const waiter of [...this.waiters]) {
        if (waiter.uri === params.uri && waiter.predicate(params)) {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          waiter.resolve(params);
        }
      }
    });
    this.connection.listen();
  }

  async initialize(): Promise<InitializeResult> {
    this.initializeResult = await this.connection.sendRequest<InitializeResult>('initialize', {
      processId: process.pid,
      rootUri: null,
      locale: this.options.locale ?? 'en',
      capabilities: this.options.capabilities ?? DEFAULT_CAPABILITIES,
      initializationOptions: this.options.initializationOptions,
    });
    await this.connection.sendNotification('initialized', {});
    return this.initializeResult;
  }

  /** Resolves with the next diagnostics for `uri` that satisfy `predicate` (already received ones count). */
  nextDiagnostics(
    uri: string,
    predicate: (p: PublishDiagnosticsParams) => boolean = () => true,
    afterCount = 0,
  ): Promise<PublishDiagnosticsParams> {
    const seen = (this.diagnostics.get(uri) ?? []).slice(afterCount).find(predicate);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ uri, predicate, resolve }));
  }

  diagnosticsCount(uri: string): number {
    return this.diagnostics.get(uri)?.length ?? 0;
  }

  async open(uri: string, text: string): Promise<Diagnostic[]> {
    const before = this.diagnosticsCount(uri);
    this.versions.set(uri, 1);
    await this.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'dockerfile', version: 1, text },
    });
    return (await this.nextDiagnostics(uri, (p) => p.version === 1, before)).diagnostics;
  }

  async change(uri: string, text: string): Promise<Diagnostic[]> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    const before = this.diagnosticsCount(uri);
    await this.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ text }],
    });
    return (await this.nextDiagnostics(uri, (p) => p.version === version, before)).diagnostics;
  }

  version(uri: string): number {
    return this.versions.get(uri) ?? 0;
  }

  /** Changes the settings and tells the server; resolves with the re-published diagnostics. */
  async changeSettings(uri: string, settings: Record<string, unknown>): Promise<Diagnostic[]> {
    this.settings = settings;
    const before = this.diagnosticsCount(uri);
    await this.connection.sendNotification('workspace/didChangeConfiguration', { settings: { docksmith: settings } });
    return (await this.nextDiagnostics(uri, () => true, before)).diagnostics;
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.connection.sendRequest<R>(method, params);
  }

  async shutdown(): Promise<void> {
    try {
      await this.connection.sendRequest('shutdown');
      await this.connection.sendNotification('exit');
    } finally {
      this.connection.dispose();
      if (this.process.exitCode === null) {
        await new Promise<void>((resolve) => {
          this.process.once('exit', () => resolve());
          setTimeout(() => this.process.kill(), 2000).unref();
        });
      }
    }
  }
}
