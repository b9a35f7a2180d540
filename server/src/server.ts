/**
 * The Docksmith language server: the LSP adapter over the service. Each handler gets the
 * document, calls the service, returns. Runs over IPC (the VS Code client), `--stdio`,
 * `--socket=<port>` or `--node-ipc`, as vscode-languageserver detects from the arguments.
 */
import {
  createConnection,
  DidChangeConfigurationNotification,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  MarkupKind,
  CodeActionKind,
  LSPErrorCodes,
  ResponseError,
  type FormattingOptions,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import docs from 'docksmith:docs';
import {
  createDockerfileService,
  resolveLang,
  ShellParserPending,
  type DockerfileService,
  type ShellParser,
} from './service';
import { IdleCollector } from './idleCollector';
import { hrtimeMs, runSliced } from './slices';
import { SettingsStore } from './settings';
import { deferShellParser } from './shellParserLoader';
import { debounceFromEnv } from './debounce';
import { FIX_ALL_KIND, MERGE_ALL_KIND } from './service/codeActions';

if (process.argv.includes('--version')) {
  console.log('docksmith-langserver 0.1.0');
  process.exit(0);
}
if (!process.argv.some((a) => a === '--stdio' || a === '--node-ipc' || a.startsWith('--socket')) && !process.send) {
  console.error('Usage: docksmith-langserver --stdio | --node-ipc | --socket=<port>');
  process.exit(2);
}

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);

let service: DockerfileService;
let shellParser: ShellParser;
let settings: SettingsStore;
let clientLocale: string | undefined;
let hoverMarkdown = true;
let pullConfiguration = false;
let documentChanges = false;
let disabledSupport = false;
let completionMarkdown = true;
let snippetSupport = false;
let triggerSuggest = false;
let hierarchicalSymbols = true;

/**
 * How long after an edit diagnostics are computed (an open is checked at once): at once for an edit
 * after a quiet moment, else, within a burst of keystrokes, a few times what the document's last
 * validation took, 20-150 ms, after the burst's last keystroke (debounce.ts);
 * DOCKSMITH_VALIDATION_DELAY_MS fixes it.
 */
const editDelay = debounceFromEnv(process.env['DOCKSMITH_VALIDATION_DELAY_MS']);
/**
 * Per open document: the validation to come (its timer, its generation: a newer one supersedes it),
 * how long the last finished one took (ms, wall time, pauses included), and when the document last
 * changed (ms, hrtimeMs(); its opening counts).
 */
interface Pending {
  timer: NodeJS.Timeout | undefined;
  generation: number;
  lastMs?: number;
  changedAt: number;
}
const pending = new Map<string, Pending>();
/**
 * Frees the garbage of large analyses, between slices of a validation and once the server is quiet,
 * and empties the young generation after a first analysis and after a close (idleCollector.ts).
 * `DOCKSMITH_IDLE_SCAVENGE=0` leaves the young generation to V8 (to measure what that does).
 */
const collector = new IdleCollector(process.env['DOCKSMITH_IDLE_SCAVENGE'] === '0' ? { collectYoung: undefined } : {});

/**
 * What the analysis of a document keeps alive, per line (43 MB for a generated 20,000-line file in a
 * heap snapshot, docs/performance.md): what closing it lets go of, as the collector counts it.
 */
const ANALYSIS_BYTES_PER_LINE = 2 * 1024;

connection.onInitialize(async (params): Promise<InitializeResult> => {
  clientLocale = params.locale;
  const caps = params.capabilities;
  const formats = caps.textDocument?.hover?.contentFormat;
  hoverMarkdown = formats === undefined || formats.length === 0 || formats[0] === MarkupKind.Markdown;
  pullConfiguration = caps.workspace?.configuration === true;
  documentChanges = caps.workspace?.workspaceEdit?.documentChanges === true;
  disabledSupport = caps.textDocument?.codeAction?.disabledSupport === true;
  const completionItem = caps.textDocument?.completion?.completionItem;
  const docFormats = completionItem?.documentationFormat;
  completionMarkdown = docFormats === undefined || docFormats.length === 0 || docFormats[0] === MarkupKind.Markdown;
  snippetSupport = completionItem?.snippetSupport === true;
  // VS Code (and its forks, code-server) run `editor.action.triggerSuggest` after `--mount=` and co.
  triggerSuggest = /code|codium/i.test(params.clientInfo?.name ?? '');
  hierarchicalSymbols = caps.textDocument?.documentSymbol?.hierarchicalDocumentSymbolSupport === true;
  settings = new SettingsStore(connection, pullConfiguration, params.initializationOptions);

  // tree-sitter loads when a script first needs it (most never do: shellFast.ts reads them).
  shellParser = deferShellParser();
  service = createDockerfileService({ docs, shellParser });

  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
      hoverProvider: true,
      codeActionProvider: {
        codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND, MERGE_ALL_KIND],
      },
      completionProvider: { triggerCharacters: ['-', '=', '$', '{', ','] },
      documentSymbolProvider: { label: 'Docksmith' },
      foldingRangeProvider: true,
      definitionProvider: true,
      referencesProvider: true,
      documentHighlightProvider: true,
      renameProvider: { prepareProvider: true },
      documentFormattingProvider: true,
      documentRangeFormattingProvider: true,
    },
    serverInfo: { name: 'docksmith', version: '0.1.0' },
  };
});

connection.onInitialized(() => {
  if (pullConfiguration) {
    void connection.client.register(DidChangeConfigurationNotification.type, { section: 'docksmith' });
  }
});

connection.onDidChangeConfiguration((change) => {
  settings.changed(change.settings);
  for (const document of documents.all()) scheduleValidation(document, 0);
});

/**
 * A service call, made again once the shell parser has loaded when it needed a script only
 * tree-sitter reads (ShellParserPending: nothing was cached half-way). A parser that failed to load
 * is said once in the log; the scripts it would have read then count as unreadable.
 */
async function withShellParser<T>(call: () => T): Promise<T> {
  for (;;) {
    try {
      return call();
    } catch (error) {
      if (!(error instanceof ShellParserPending)) throw error;
      await error.loaded;
      reportShellParserFailure();
    }
  }
}

let failureReported = false;
function reportShellParserFailure(): void {
  if (failureReported || shellParser.loadError === undefined) return;
  failureReported = true;
  connection.console.error(
    `Docksmith: the shell parser could not be loaded, the RUN scripts it would read count as unreadable: ${String(shellParser.loadError)}`,
  );
}

async function langFor(uri: string) {
  const s = await settings.get(uri);
  return resolveLang(s.language, clientLocale);
}

connection.onHover(async (params) => {
  const document = documents.get(params.textDocument.uri);
  if (!document) return null;
  const lang = await langFor(document.uri);
  return withShellParser(() => service.hover(document, params.position, { lang, markdown: hoverMarkdown }));
});

async function validationSettings(uri: string) {
  const s = await settings.get(uri);
  return { lang: resolveLang(s.language, clientLocale), rules: s.rules };
}

connection.onCodeAction(async (params) => {
  const document = documents.get(params.textDocument.uri);
  if (!document) return [];
  const options = { settings: await validationSettings(document.uri), documentChanges, disabledSupport };
  return withShellParser(() => service.codeActions(document, params.range, params.context, options));
});

connection.onCompletion(async (params) => {
  const document = documents.get(params.textDocument.uri);
  if (!document) return null;
  const lang = await langFor(document.uri);
  return withShellParser(() =>
    service.completion(document, params.position, {
      lang,
      markdown: completionMarkdown,
      snippets: snippetSupport,
      triggerSuggest,
    }),
  );
});

connection.onDocumentSymbol(async (params) => {
  const document = documents.get(params.textDocument.uri);
  if (!document) return null;
  const lang = await langFor(document.uri);
  return withShellParser(() => service.documentSymbols(document, { lang, hierarchical: hierarchicalSymbols }));
});

connection.onFoldingRanges((params) => {
  const document = documents.get(params.textDocument.uri);
  return document ? withShellParser(() => service.foldingRanges(document)) : null;
});

connection.onDefinition((params) => {
  const document = documents.get(params.textDocument.uri);
  return document ? withShellParser(() => service.definition(document, params.position)) : null;
});

connection.onReferences((params) => {
  const document = documents.get(params.textDocument.uri);
  return document
    ? withShellParser(() => service.references(document, params.position, params.context.includeDeclaration))
    : null;
});

connection.onDocumentHighlight((params) => {
  const document = documents.get(params.textDocument.uri);
  return document ? withShellParser(() => service.documentHighlights(document, params.position)) : null;
});

connection.onPrepareRename((params) => {
  const document = documents.get(params.textDocument.uri);
  return document ? withShellParser(() => service.prepareRename(document, params.position)) : null;
});

connection.onRenameRequest(async (params) => {
  const document = documents.get(params.textDocument.uri);
  if (!document) return null;
  const lang = await langFor(document.uri);
  const result = await withShellParser(() => service.rename(document, params.position, params.newName, { lang }));
  return result && 'rejected' in result ? new ResponseError(LSPErrorCodes.RequestFailed, result.rejected) : result;
});

async function formatOptions(uri: string, options: FormattingOptions) {
  const s = await settings.get(uri);
  return {
    tabSize: options.tabSize,
    insertSpaces: options.insertSpaces,
    ignoreMultilineInstructions: s.format.ignoreMultilineInstructions,
  };
}

connection.onDocumentFormatting(async (params) => {
  const document = documents.get(params.textDocument.uri);
  if (!document) return null;
  const options = await formatOptions(document.uri, params.options);
  return withShellParser(() => service.format(document, options));
});

connection.onDocumentRangeFormatting(async (params) => {
  const document = documents.get(params.textDocument.uri);
  if (!document) return null;
  const options = await formatOptions(document.uri, params.options);
  return withShellParser(() => service.formatRange(document, params.range, options));
});

function scheduleValidation(document: TextDocument, delay: number): void {
  const state = pending.get(document.uri) ?? { timer: undefined, generation: 0, changedAt: hrtimeMs() };
  if (state.timer) clearTimeout(state.timer);
  const generation = ++state.generation;
  state.timer = setTimeout(() => void validate(document.uri, generation), delay);
  pending.set(document.uri, state);
}

/** Longest stretch of validation before the server looks at incoming messages again. */
const SLICE_MS = 8;

/**
 * Runs `steps` in slices, answering requests between two; undefined when it went stale and was
 * stopped. A long validation's garbage is collected between two slices once it is large.
 */
const sliced = <T>(steps: Generator<Promise<void> | void, T, void>, stale: () => boolean) =>
  runSliced(steps, { stale, sliceMs: SLICE_MS, between: () => collector.between() });

async function validate(uri: string, generation: number): Promise<void> {
  const state = pending.get(uri);
  const document = documents.get(uri);
  if (!state || !document || state.generation !== generation) return;
  state.timer = undefined;
  const version = document.version;
  const stale = () =>
    pending.get(uri)?.generation !== generation || documents.get(uri) !== document || document.version !== version;
  try {
    const first = state.lastMs === undefined; // the document's first analysis
    if (await publishDiagnostics(document, stale)) collector.idle(first);
  } catch (error) {
    // A bug must not take the server down with it: the editor keeps working, the log says what happened.
    connection.console.error(
      `Docksmith: validating ${uri} failed: ${error instanceof Error ? error.stack : String(error)}`,
    );
  }
}

/** Validates `document` and publishes its diagnostics; false when it went stale first. */
async function publishDiagnostics(document: TextDocument, stale: () => boolean): Promise<boolean> {
  const { uri, version } = document;
  const s = await settings.get(uri);
  if (stale()) return false;
  collector.busy();
  // Validate in slices: between two, requests (a hover, a completion) are answered and a newer
  // version of the document stops this one; finished steps stay cached for the next run.
  const start = process.hrtime.bigint();
  const steps = service.validateSteps(document, { lang: resolveLang(s.language, clientLocale), rules: s.rules });
  const diagnostics = await sliced(steps, stale);
  reportShellParserFailure();
  if (!diagnostics) return false;
  const state = pending.get(uri);
  if (state) state.lastMs = Number(process.hrtime.bigint() - start) / 1e6;
  void connection.sendDiagnostics({ uri, version, diagnostics: diagnostics.value });
  return true;
}

// onDidChangeContent fires for open too (right after onDidOpen): an opened document is checked at
// once, and so is an edit after a quiet moment; within a burst of keystrokes, the check waits for
// the typing to pause.
documents.onDidChangeContent((e) => {
  const state = pending.get(e.document.uri);
  const now = hrtimeMs();
  const delay = state ? editDelay(state.lastMs, now - state.changedAt) : 0;
  if (state) state.changedAt = now;
  scheduleValidation(e.document, delay);
});
documents.onDidClose((e) => {
  const state = pending.get(e.document.uri);
  if (state?.timer) clearTimeout(state.timer);
  pending.delete(e.document.uri);
  collector.released(service.forget(e.document.uri) * ANALYSIS_BYTES_PER_LINE);
  settings.forget(e.document.uri);
  collector.idle(true);
  void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
});

documents.listen(connection);
connection.listen();
