import {
  DocumentHighlightKind,
  type DocumentHighlight,
  type Location,
  type Position,
  type Range,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver-types';
import { localize, type Lang, type Localized } from './locale';
import type { DockerfileModel } from './model';
import { symbolIndex, type Occurrence } from './symbolIndex';

/**
 * Go to definition, find references, document highlight and rename for build stage names
 * (`FROM x AS name`, `FROM name`, `COPY --from=name`, `RUN --mount=from=name`, compared
 * case-insensitively as BuildKit does) and ARG/ENV variables, scoped as Docker scopes them
 * (see `symbolIndex.ts`).
 */

const TEXT = {
  badStageName: {
    en: '`{0}` is not a valid stage name: use a lower-case letter, then lower-case letters, digits, `-`, `_` or `.`.',
    'zh-cn': '`{0}` 不是有效的构建阶段名：须以小写字母开头，其后只能是小写字母、数字、`-`、`_` 或 `.`。',
  },
  badVariableName: {
    en: '`{0}` is not a valid variable name: use a letter or `_`, then letters, digits or `_`.',
    'zh-cn': '`{0}` 不是有效的变量名：须以字母或 `_` 开头，其后只能是字母、数字或 `_`。',
  },
  stageExists: {
    en: 'A build stage named `{0}` already exists.',
    'zh-cn': '已存在名为 `{0}` 的构建阶段。',
  },
  variableExists: {
    en: 'A variable named `{0}` is already defined where `{1}` is used.',
    'zh-cn': '在使用 `{1}` 的地方已经定义了名为 `{0}` 的变量。',
  },
} satisfies Record<string, Localized>;

/** Why a rename was refused (the server answers with an error carrying this message). */
export interface RenameRejection {
  readonly rejected: string;
}

const STAGE_NAME = /^[a-z][a-z0-9-_.]*$/;
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function location(model: DockerfileModel, range: Range): Location {
  return { uri: model.uri, range };
}

export function findDefinition(model: DockerfileModel, position: Position): Location[] | null {
  const occurrence = symbolIndex(model).at(position);
  if (!occurrence) return null;
  return occurrence.targets.map((range) => location(model, range));
}

function sameSymbol(model: DockerfileModel, occurrence: Occurrence): readonly Occurrence[] {
  return symbolIndex(model).occurrencesOf(occurrence.symbol);
}

export function findReferences(model: DockerfileModel, position: Position, includeDeclaration: boolean): Location[] {
  const occurrence = symbolIndex(model).at(position);
  if (!occurrence) return [];
  return sameSymbol(model, occurrence)
    .filter((o) => includeDeclaration || !o.isDefinition)
    .map((o) => location(model, o.range));
}

export function findDocumentHighlights(model: DockerfileModel, position: Position): DocumentHighlight[] {
  const occurrence = symbolIndex(model).at(position);
  if (!occurrence) return [];
  return sameSymbol(model, occurrence).map((o) => ({
    range: o.range,
    kind: o.isDefinition ? DocumentHighlightKind.Write : DocumentHighlightKind.Read,
  }));
}

export function prepareRename(
  model: DockerfileModel,
  position: Position,
): { range: Range; placeholder: string } | null {
  const occurrence = symbolIndex(model).at(position);
  if (!occurrence || occurrence.byIndex) return null;
  return { range: occurrence.range, placeholder: occurrence.text };
}

export function rename(
  model: DockerfileModel,
  position: Position,
  newName: string,
  lang: Lang,
): WorkspaceEdit | RenameRejection | null {
  const index = symbolIndex(model);
  const occurrence = index.at(position);
  if (!occurrence || occurrence.byIndex) return null;
  const all = sameSymbol(model, occurrence);
  if (occurrence.kind === 'stage') {
    if (!STAGE_NAME.test(newName)) return { rejected: localize(TEXT.badStageName, lang, newName) };
    const existing = model.findStage(newName);
    if (existing && existing.name !== occurrence.symbol.name) {
      return { rejected: localize(TEXT.stageExists, lang, newName) };
    }
  } else {
    if (!VARIABLE_NAME.test(newName)) return { rejected: localize(TEXT.badVariableName, lang, newName) };
    if (newName !== occurrence.text) {
      const scopes = new Set(all.map((o) => o.scope));
      const clash = model.definitions().some((d) => d.name === newName && scopes.has(d.stage));
      if (clash) return { rejected: localize(TEXT.variableExists, lang, newName, occurrence.text) };
    }
  }
  const edits: TextEdit[] = all.filter((o) => !o.byIndex).map((o) => ({ range: o.range, newText: newName }));
  return { changes: { [model.uri]: edits } };
}
