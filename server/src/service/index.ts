import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic, Hover, Position } from 'vscode-languageserver-types';
import { DocsLibrary, type DocsSource } from './docs';
import { validateModel, type ValidationSettings } from './diagnostics';
import { doHover } from './hover';
import type { Lang } from './locale';
import { DockerfileModel } from './model';
import { RULES } from './rules';
import type { Rule } from './rules/types';
import { ruleDocsUrl } from './rules/types';
import type { ShellParser } from './shell';

export interface DockerfileServiceOptions {
  /** Hover docs (Markdown keyed `en/instructions/FROM.md`), bundled by the server/CLI. */
  readonly docs: DocsSource;
  /** The shell parser (its WASM is loaded by the caller); shell rules are off without it. */
  readonly shellParser?: ShellParser;
  /** Rules to run; default: the whole registry. */
  readonly rules?: readonly Rule[];
}

export interface LanguageOptions {
  readonly lang: Lang;
}

export interface HoverRequestOptions extends LanguageOptions {
  readonly markdown: boolean;
}

export interface DockerfileService {
  /** The parsed model for this document version (parsed once, then cached). */
  getModel(document: TextDocument): DockerfileModel;
  /** Drops the cached model of a closed document. */
  forget(uri: string): void;
  hover(document: TextDocument, position: Position, options: HoverRequestOptions): Hover | null;
  validate(document: TextDocument, settings: ValidationSettings, isCancelled?: () => boolean): Diagnostic[];
  readonly rules: readonly Rule[];
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

  function getModel(document: TextDocument): DockerfileModel {
    const cached = models.get(document.uri);
    if (cached && cached.version === document.version && cached.document === document) return cached;
    const model = new DockerfileModel(document, options.shellParser);
    models.set(document.uri, model);
    return model;
  }

  return {
    rules,
    getModel,
    forget: (uri) => void models.delete(uri),
    hover: (document, position, hoverOptions) =>
      doHover(getModel(document), docs, position, {
        lang: hoverOptions.lang,
        markdown: hoverOptions.markdown,
        rulesFor: (keyword) => rulesByInstruction.get(keyword) ?? [],
      }),
    validate: (document, settings, isCancelled) => validateModel(getModel(document), rules, settings, isCancelled),
  };
}

export { DockerfileModel } from './model';
export { ShellParser } from './shell';
export type { DocsSource } from './docs';
export type { ValidationSettings } from './diagnostics';
export { resolveLang, type Lang, type LanguageSetting } from './locale';
export type { Rule, Severity, SeveritySetting } from './rules/types';
