import { CodeActionKind } from 'vscode-languageserver-types';
import type {
  CodeAction,
  CodeActionContext,
  Diagnostic,
  Range,
  TextEdit,
  WorkspaceEdit,
} from 'vscode-languageserver-types';
import { SOURCE, type DiagnosticData } from './diagnostics';
import { localize, type Lang, type Localized } from './locale';
import type { DockerfileModel } from './model';
import type { FixProposal, Rule } from './rules/types';

/** Kind of the "apply every preferred fix" source action (for `editor.codeActionsOnSave`). */
export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.docksmith`;
/** Kind of the "merge all consecutive RUN instructions" source action. */
export const MERGE_ALL_KIND = `${CodeActionKind.Source}.docksmith.mergeRuns`;
/** Client command that opens a rule's documentation (registered by the VS Code client). */
export const SHOW_DOCS_COMMAND = 'docksmith.showRuleDocs';

const TEXT = {
  ignoreHere: { en: 'Ignore {0} for this instruction', 'zh-cn': '对此指令忽略 {0}' },
  ignoreFile: { en: 'Ignore {0} in this file', 'zh-cn': '在此文件中忽略 {0}' },
  showDocs: { en: 'Show documentation for {0}', 'zh-cn': '查看 {0} 的文档' },
  fixAll: { en: 'Fix all Docksmith problems', 'zh-cn': '修复所有 Docksmith 问题' },
  mergeAll: {
    en: 'Merge all consecutive RUN instructions in this file',
    'zh-cn': '合并此文件中所有连续的 RUN 指令',
  },
  noFix: { en: 'Fix {0}', 'zh-cn': '修复 {0}' },
} satisfies Record<string, Localized>;

export interface CodeActionOptions {
  readonly lang: Lang;
  /** The client takes versioned `documentChanges` (workspace.workspaceEdit.documentChanges). */
  readonly documentChanges: boolean;
  /** The client shows disabled actions with their reason (codeAction.disabledSupport). */
  readonly disabledSupport: boolean;
  /** All current diagnostics of the document (for fix-all); computed lazily. */
  readonly allDiagnostics: () => Diagnostic[];
  /** Edits of the "merge all RUNs" action, when the merge engine is available. */
  readonly mergeAll?: (model: DockerfileModel) => TextEdit[];
}

function wanted(only: readonly string[] | undefined, kind: string): boolean {
  if (!only || only.length === 0) return true;
  return only.some((o) => kind === o || kind.startsWith(o + '.'));
}

function toEdit(model: DockerfileModel, edits: readonly TextEdit[], options: CodeActionOptions): WorkspaceEdit {
  if (options.documentChanges) {
    return {
      documentChanges: [{ textDocument: { uri: model.uri, version: model.version }, edits: [...edits] }],
    };
  }
  return { changes: { [model.uri]: [...edits] } };
}

function dataOf(diagnostic: Diagnostic): DiagnosticData | undefined {
  if (diagnostic.source !== SOURCE) return undefined;
  const data = diagnostic.data as DiagnosticData | undefined;
  return data && typeof data.rule === 'string' ? data : undefined;
}

function proposalsFor(model: DockerfileModel, rule: Rule, diagnostic: Diagnostic): readonly FixProposal[] {
  if (!rule.fix) return [];
  const data = dataOf(diagnostic);
  try {
    return rule.fix({ model, range: diagnostic.range, data: data?.data });
  } catch {
    return [];
  }
}

export function codeActions(
  model: DockerfileModel,
  rules: readonly Rule[],
  _range: Range,
  context: CodeActionContext,
  options: CodeActionOptions,
): CodeAction[] {
  const byId = new Map(rules.map((r) => [r.id, r]));
  const actions: CodeAction[] = [];
  const { lang } = options;

  if (wanted(context.only, CodeActionKind.QuickFix)) {
    for (const diagnostic of context.diagnostics) {
      const data = dataOf(diagnostic);
      const rule = data && byId.get(data.rule);
      if (!rule) continue;
      const proposals = proposalsFor(model, rule, diagnostic);
      for (const proposal of proposals) {
        actions.push({
          title: localize(proposal.title, lang, ...(proposal.titleArgs ?? [])),
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          isPreferred: proposal.preferred,
          edit: toEdit(model, proposal.edits, options),
        });
      }
      if (proposals.length === 0 && data.noFix && options.disabledSupport) {
        actions.push({
          title: localize(TEXT.noFix, lang, rule.id),
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          disabled: { reason: data.noFix },
        });
      }
      const ignoreHere = ignoreInstructionEdit(model, rule.id, diagnostic.range.start.line);
      if (ignoreHere) {
        actions.push({
          title: localize(TEXT.ignoreHere, lang, rule.id),
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          edit: toEdit(model, [ignoreHere], options),
        });
      }
      actions.push({
        title: localize(TEXT.ignoreFile, lang, rule.id),
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        edit: toEdit(model, [ignoreFileEdit(model, rule.id)], options),
      });
      actions.push({
        title: localize(TEXT.showDocs, lang, rule.id),
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        command: {
          title: localize(TEXT.showDocs, lang, rule.id),
          command: SHOW_DOCS_COMMAND,
          arguments: [rule.id, lang],
        },
      });
    }
  }

  if (context.only && wanted(context.only, FIX_ALL_KIND)) {
    const edits = fixAllEdits(model, rules, options.allDiagnostics());
    if (edits.length > 0) {
      actions.push({ title: localize(TEXT.fixAll, lang), kind: FIX_ALL_KIND, edit: toEdit(model, edits, options) });
    }
  }

  if (options.mergeAll && context.only && wanted(context.only, MERGE_ALL_KIND)) {
    const edits = options.mergeAll(model);
    if (edits.length > 0) {
      actions.push({ title: localize(TEXT.mergeAll, lang), kind: MERGE_ALL_KIND, edit: toEdit(model, edits, options) });
    }
  }
  return actions;
}

function offsetRange(model: DockerfileModel, edit: TextEdit): [number, number] {
  return [model.document.offsetAt(edit.range.start), model.document.offsetAt(edit.range.end)];
}

/**
 * Every preferred fix of the given diagnostics, as one set of non-overlapping edits (a fix whose
 * edits overlap an earlier chosen fix is left for the next run; `docksmith lint --fix` repeats
 * until nothing changes).
 */
export function fixAllEdits(
  model: DockerfileModel,
  rules: readonly Rule[],
  diagnostics: readonly Diagnostic[],
): TextEdit[] {
  const byId = new Map(rules.map((r) => [r.id, r]));
  const taken: [number, number][] = [];
  const result: TextEdit[] = [];
  const overlaps = ([s, e]: [number, number]) =>
    taken.some(([ts, te]) => (s < te && e > ts) || (s === e && s > ts && s < te) || (s === ts && e === te));
  for (const diagnostic of diagnostics) {
    const data = dataOf(diagnostic);
    const rule = data && byId.get(data.rule);
    if (!rule) continue;
    const preferred = proposalsFor(model, rule, diagnostic).find((p) => p.preferred);
    if (!preferred || preferred.edits.length === 0) continue;
    const spans = preferred.edits.map((e) => offsetRange(model, e));
    if (spans.some(overlaps)) continue;
    taken.push(...spans);
    result.push(...preferred.edits);
  }
  return result;
}

const IGNORE_COMMENT = /^(\s*)#\s*docksmith\s+ignore\s*=\s*(\S+)\s*$/i;

/** Inserts (or extends) `# docksmith ignore=<id>` above the instruction containing `line`. */
function ignoreInstructionEdit(model: DockerfileModel, id: string, line: number): TextEdit | undefined {
  const instruction = model.instructionAtLine(line);
  if (!instruction) return undefined;
  const start = instruction.getRange().start.line;
  const lineText = (n: number) =>
    model.document
      .getText({ start: { line: n, character: 0 }, end: { line: n + 1, character: 0 } })
      .replace(/\r?\n$/, '');
  const indent = /^\s*/.exec(lineText(start))![0];
  if (start > 0) {
    const above = lineText(start - 1);
    const m = IGNORE_COMMENT.exec(above);
    if (m) {
      const ids = m[2]!.split(',');
      if (ids.includes(id)) return undefined;
      return {
        range: {
          start: { line: start - 1, character: above.length },
          end: { line: start - 1, character: above.length },
        },
        newText: `,${id}`,
      };
    }
  }
  const eol = model.document.getText().includes('\r\n') ? '\r\n' : '\n';
  return {
    range: { start: { line: start, character: 0 }, end: { line: start, character: 0 } },
    newText: `${indent}# docksmith ignore=${id}${eol}`,
  };
}

/** Inserts `# docksmith global ignore=<id>` after the parser directives (a comment before them would end them). */
function ignoreFileEdit(model: DockerfileModel, id: string): TextEdit {
  const directives = model.directives;
  const line = directives.length > 0 ? directives[directives.length - 1]!.getRange().end.line + 1 : 0;
  const eol = model.document.getText().includes('\r\n') ? '\r\n' : '\n';
  const position = { line, character: 0 };
  if (line >= model.document.lineCount) {
    // The file is only directives without a final newline.
    const end = model.document.positionAt(model.document.getText().length);
    return { range: { start: end, end }, newText: `${eol}# docksmith global ignore=${id}` };
  }
  return { range: { start: position, end: position }, newText: `# docksmith global ignore=${id}${eol}` };
}
