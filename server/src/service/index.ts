import type { TextDocument } from 'vscode-languageserver-textdocument';
import type {
  CodeAction,
  CodeActionContext,
  CompletionList,
  Diagnostic,
  DocumentHighlight,
  DocumentSymbol,
  FoldingRange,
  Hover,
  Location,
  Position,
  Range,
  SymbolInformation,
  TextEdit,
  WorkspaceEdit,
} from 'vscode-languageserver-types';
import { codeActions, fixAllEdits } from './codeActions';
import { mergeAllEdits } from './merge';
import { doComplete, type CompletionOptions } from './completion';
import { DocsLibrary, type DocsSource } from './docs';
import { FindingsCache, runSteps, validationSteps, type ValidationSettings } from './diagnostics';
import { foldingRanges } from './folding';
import { formatModel, type FormatOptions } from './formatting';
import { doHover } from './hover';
import type { Lang } from './locale';
import { DockerfileModel } from './model';
import {
  findDefinition,
  findDocumentHighlights,
  findReferences,
  prepareRename,
  rename,
  type RenameRejection,
} from './navigation';
import { RULES } from './rules';
import type { Rule } from './rules/types';
import { ruleDocsUrl } from './rules/types';
import type { ShellParser } from './shell';
import { documentSymbols, flattenSymbols } from './symbols';

export interface DockerfileServiceOptions {
  /** Hover docs (Markdown keyed `en/instructions/FROM.md`), bundled by the server/CLI. */
  readonly docs: DocsSource;
  /** The shell parser (its WASM is loaded by the caller); shell rules are off without it. */
  readonly shellParser?: ShellParser;
  /** Rules to run; default: the whole registry. */
  readonly rules?: readonly Rule[];
  /**
   * How many lines of documents keep their analysis (model, findings) in memory, least recently used
   * dropped first; the document in use always keeps its own. Default 40,000: dozens of ordinary
   * Dockerfiles, or two of 20,000 lines.
   */
  readonly analysisCacheLines?: number;
}

export interface LanguageOptions {
  readonly lang: Lang;
}

export interface SymbolRequestOptions extends LanguageOptions {
  /** The client shows a tree (`hierarchicalDocumentSymbolSupport`); default true. */
  readonly hierarchical?: boolean;
}

export interface HoverRequestOptions extends LanguageOptions {
  readonly markdown: boolean;
}

export interface DockerfileService {
  /** The parsed model for this document version (parsed once, then cached). */
  getModel(document: TextDocument): DockerfileModel;
  /** Drops the cached model of a closed document; the number of lines it had (0 when there was none). */
  forget(uri: string): number;
  hover(document: TextDocument, position: Position, options: HoverRequestOptions): Hover | null;
  validate(document: TextDocument, settings: ValidationSettings, isCancelled?: () => boolean): Diagnostic[];
  /**
   * The same validation in steps, for a caller that yields to other work between them and may stop
   * early (`return()`); the result is cached like validate()'s. A step may yield a promise (the
   * shell parser loading, see validationSteps()): go on once it has settled.
   */
  validateSteps(
    document: TextDocument,
    settings: ValidationSettings,
  ): Generator<Promise<void> | void, Diagnostic[], void>;
  codeActions(
    document: TextDocument,
    range: Range,
    context: CodeActionContext,
    options: CodeActionRequestOptions,
  ): CodeAction[];
  /** Every preferred fix for the current findings, as non-overlapping edits (one pass). */
  fixAll(document: TextDocument, settings: ValidationSettings): TextEdit[];
  /** Instructions, flags, `--mount` keys, stage names, variables in scope, parser directives. */
  completion(document: TextDocument, position: Position, options: CompletionOptions): CompletionList;
  /** The outline: global ARGs, then build stages holding their instructions (flat for old clients). */
  documentSymbols(document: TextDocument, options: SymbolRequestOptions): DocumentSymbol[] | SymbolInformation[];
  foldingRanges(document: TextDocument): FoldingRange[];
  /** Stage names and ARG/ENV variables, scoped as Docker scopes them (see symbolIndex.ts). */
  definition(document: TextDocument, position: Position): Location[] | null;
  references(document: TextDocument, position: Position, includeDeclaration: boolean): Location[];
  documentHighlights(document: TextDocument, position: Position): DocumentHighlight[];
  prepareRename(document: TextDocument, position: Position): { range: Range; placeholder: string } | null;
  /** A workspace edit, or why the new name is refused (the server answers with an error). */
  rename(
    document: TextDocument,
    position: Position,
    newName: string,
    options: LanguageOptions,
  ): WorkspaceEdit | RenameRejection | null;
  format(document: TextDocument, options: FormatOptions): TextEdit[];
  formatRange(document: TextDocument, range: Range, options: FormatOptions): TextEdit[];
  readonly rules: readonly Rule[];
}

export interface CodeActionRequestOptions {
  readonly settings: ValidationSettings;
  readonly documentChanges: boolean;
  readonly disabledSupport: boolean;
}

export function createDockerfileService(options: DockerfileServiceOptions): DockerfileService {
  const docs = new DocsLibrary(options.docs);
  const rules = options.rules ?? RULES;
  const models = new Map<string, DockerfileModel>();
  const rulesByInstruction = new Map<string, { id: string; docsUrl: string }[]>();
  for (const rule of rules) {
    for (const keyword of rule.instructions) {
      const list = rulesByInstruction.get(keyword) ?? [];
      list.push({ id: rule.id, docsUrl: ruleDocsUrl(rule.id) });
      rulesByInstruction.set(keyword, list);
    }
  }

  /** Diagnostics per model and settings: hover, code actions and fix-all reuse them. */
  const diagnosticsCache = new WeakMap<DockerfileModel, Map<string, Diagnostic[]>>();
  /** Per document: the findings of unchanged scopes, reused by the next version's validation. */
  const findingsCaches = new Map<string, FindingsCache>();
  function* validateSteps(
    document: TextDocument,
    settings: ValidationSettings,
  ): Generator<Promise<void> | void, Diagnostic[], void> {
    const model = getModel(document);
    const key = JSON.stringify([settings.lang, settings.rules ?? {}]);
    let perSettings = diagnosticsCache.get(model);
    const cached = perSettings?.get(key);
    if (cached) return cached;
    let findings = findingsCaches.get(document.uri);
    if (!findings) findingsCaches.set(document.uri, (findings = new FindingsCache()));
    const diagnostics = yield* validationSteps(model, rules, settings, findings);
    if (!perSettings) diagnosticsCache.set(model, (perSettings = new Map()));
    perSettings.set(key, diagnostics);
    return diagnostics;
  }

  function validate(document: TextDocument, settings: ValidationSettings, isCancelled?: () => boolean): Diagnostic[] {
    return runSteps(validateSteps(document, settings), isCancelled);
  }

  const cacheLines = options.analysisCacheLines ?? 40_000;

  function getModel(document: TextDocument): DockerfileModel {
    const cached = models.get(document.uri);
    // Most recently used last.
    models.delete(document.uri);
    if (cached && cached.version === document.version && cached.source === document) {
      models.set(document.uri, cached);
      return cached;
    }
    // The previous version's model: its unchanged segments are reused (see incrementalParse.ts).
    const model = new DockerfileModel(document, options.shellParser, cached);
    models.set(document.uri, model);
    let lines = 0;
    for (const m of models.values()) lines += m.document.lineCount;
    for (const [uri, m] of models) {
      if (lines <= cacheLines || uri === document.uri) break;
      models.delete(uri);
      findingsCaches.delete(uri);
      lines -= m.document.lineCount;
    }
    return model;
  }

  return {
    rules,
    getModel,
    forget: (uri) => {
      const lines = models.get(uri)?.document.lineCount ?? 0;
      models.delete(uri);
      findingsCaches.delete(uri);
      return lines;
    },
    hover: (document, position, hoverOptions) =>
      doHover(getModel(document), docs, position, {
        lang: hoverOptions.lang,
        markdown: hoverOptions.markdown,
        rulesFor: (keyword) => rulesByInstruction.get(keyword) ?? [],
      }),
    validate,
    validateSteps,
    codeActions: (document, range, context, actionOptions) =>
      codeActions(getModel(document), rules, range, context, {
        lang: actionOptions.settings.lang,
        documentChanges: actionOptions.documentChanges,
        disabledSupport: actionOptions.disabledSupport,
        allDiagnostics: () => validate(document, actionOptions.settings),
        mergeAll: mergeAllEdits,
      }),
    fixAll: (document, settings) => fixAllEdits(getModel(document), rules, validate(document, settings)),
    completion: (document, position, completionOptions) =>
      doComplete(getModel(document), docs, position, completionOptions),
    documentSymbols: (document, symbolOptions) => {
      const symbols = documentSymbols(getModel(document), symbolOptions.lang);
      return symbolOptions.hierarchical === false ? flattenSymbols(document.uri, symbols) : symbols;
    },
    foldingRanges: (document) => foldingRanges(getModel(document)),
    definition: (document, position) => findDefinition(getModel(document), position),
    references: (document, position, includeDeclaration) =>
      findReferences(getModel(document), position, includeDeclaration),
    documentHighlights: (document, position) => findDocumentHighlights(getModel(document), position),
    prepareRename: (document, position) => prepareRename(getModel(document), position),
    rename: (document, position, newName, languageOptions) =>
      rename(getModel(document), position, newName, languageOptions.lang),
    format: (document, formatOptions) => formatModel(getModel(document), formatOptions),
    formatRange: (document, range, formatOptions) => formatModel(getModel(document), formatOptions, range),
  };
}

export { DockerfileModel } from './model';
export { ShellParser, ShellParserPending, type ShellParserWasm } from './shell';
export type { DocsSource } from './docs';
export type { ValidationSettings } from './diagnostics';
export type { CompletionOptions } from './completion';
export type { FormatOptions } from './formatting';
export type { RenameRejection } from './navigation';
export { resolveLang, type Lang, type LanguageSetting } from './locale';
export type { Rule, Severity, SeveritySetting } from './rules/types';
