import type { Instruction } from 'dockerfile-ast';
import { SymbolKind, type DocumentSymbol, type Position, type SymbolInformation } from 'vscode-languageserver-types';
import { localize, type Lang, type Localized } from './locale';
import type { DockerfileModel, Stage, VariableDefinition } from './model';

const TEXT = {
  unnamedStage: { en: 'stage {0}: {1}', 'zh-cn': '阶段 {0}：{1}' },
} satisfies Record<string, Localized>;

/** Instructions that run commands: shown as functions. */
const COMMANDS = new Set(['RUN', 'CMD', 'ENTRYPOINT', 'HEALTHCHECK', 'SHELL', 'ONBUILD']);

const DETAIL_LENGTH = 60;

/**
 * The outline: global ARGs at the top level, then one symbol per build stage (its name, or
 * `stage N: image`) holding its instructions; ARG/ENV show the variables they define.
 */
export function documentSymbols(model: DockerfileModel, lang: Lang): DocumentSymbol[] {
  const variables = new Map<Instruction, VariableDefinition[]>();
  for (const def of model.definitions()) {
    const list = variables.get(def.instruction) ?? [];
    list.push(def);
    variables.set(def.instruction, list);
  }
  const result: DocumentSymbol[] = [];
  const firstFrom = model.stages[0]?.from;
  for (const instruction of model.instructions) {
    if (firstFrom && instruction === firstFrom) break;
    result.push(...instructionSymbols(model, variables, instruction));
  }
  for (const stage of model.stages) result.push(stageSymbol(model, variables, stage, lang));
  return result;
}

/** For clients without `hierarchicalDocumentSymbolSupport`: the tree flattened, children naming their stage. */
export function flattenSymbols(uri: string, symbols: readonly DocumentSymbol[]): SymbolInformation[] {
  const out: SymbolInformation[] = [];
  const visit = (list: readonly DocumentSymbol[], container: string | undefined) => {
    for (const s of list) {
      const info: SymbolInformation = { name: s.name, kind: s.kind, location: { uri, range: s.range } };
      if (container !== undefined) info.containerName = container;
      out.push(info);
      visit(s.children ?? [], s.name);
    }
  };
  visit(symbols, undefined);
  return out;
}

type Variables = ReadonlyMap<Instruction, readonly VariableDefinition[]>;

function stageSymbol(model: DockerfileModel, variables: Variables, stage: Stage, lang: Lang): DocumentSymbol {
  const { from } = stage;
  const image = from.getImage() ?? '';
  const name = from.getBuildStage() ?? localize(TEXT.unnamedStage, lang, stage.index, image || '?');
  const last = stage.instructions[stage.instructions.length - 1] ?? from;
  const children: DocumentSymbol[] = [];
  for (const instruction of stage.instructions) {
    if (instruction !== from) children.push(...instructionSymbols(model, variables, instruction));
  }
  return {
    name,
    detail: from.getBuildStage() ? image : '',
    kind: SymbolKind.Namespace,
    range: { start: from.getRange().start, end: last.getRange().end },
    selectionRange: stage.nameRange ?? from.getImageRange() ?? from.getInstructionRange(),
    children,
  };
}

function instructionSymbols(model: DockerfileModel, variables: Variables, instruction: Instruction): DocumentSymbol[] {
  const keyword = instruction.getKeyword();
  if (keyword === 'ARG' || keyword === 'ENV') {
    return (variables.get(instruction) ?? [])
      .filter((def) => def.name !== '')
      .map((def) => ({
        name: def.name,
        detail: def.raw === undefined ? keyword : `${keyword} = ${shorten(def.raw)}`,
        kind: SymbolKind.Variable,
        range: instruction.getRange(),
        selectionRange: def.property.getNameRange(),
      }));
  }
  return [
    {
      name: keyword,
      detail: summary(model, instruction),
      kind: COMMANDS.has(keyword) ? SymbolKind.Function : SymbolKind.Field,
      range: instruction.getRange(),
      selectionRange: instruction.getInstructionRange(),
    },
  ];
}

/** The rest of the first line after the keyword (flags included), without a line continuation. */
function summary(model: DockerfileModel, instruction: Instruction): string {
  const start = instruction.getInstructionRange().end;
  const end = instruction.getRange().end;
  const lineEnd: Position = start.line === end.line ? end : { line: start.line, character: Number.MAX_SAFE_INTEGER };
  let text = model.document
    .getText({ start, end: lineEnd })
    .replace(/\r?\n$/, '')
    .trim();
  if (text.endsWith(model.escape)) text = text.slice(0, -1).trimEnd();
  return shorten(text);
}

function shorten(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > DETAIL_LENGTH ? `${oneLine.slice(0, DETAIL_LENGTH - 1)}…` : oneLine;
}
