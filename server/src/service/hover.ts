import type { Instruction, Flag, Variable } from 'dockerfile-ast';
import { ModifiableInstruction, From, Arg, Env } from 'dockerfile-ast';
import { MarkupKind } from 'vscode-languageserver-types';
import type { Hover, Position, Range } from 'vscode-languageserver-types';
import type { DocsLibrary } from './docs';
import { localize, type Lang, type Localized } from './locale';
import type { DockerfileModel, Stage } from './model';
import { effectiveInstruction } from './shell';
import { renderMarkdown } from './markdown';

export interface HoverOptions {
  readonly lang: Lang;
  /** The client accepts Markdown (`hover.contentFormat`); plain text otherwise. */
  readonly markdown: boolean;
  /** Rule ids that apply to an instruction keyword, listed under its docs. */
  readonly rulesFor?: (keyword: string) => readonly { id: string; docsUrl: string }[];
}

const TEXT = {
  variable: { en: 'Variable **{0}**', 'zh-cn': '变量 **{0}**' },
  value: { en: 'Value here: `{0}`', 'zh-cn': '此处的值：`{0}`' },
  emptyValue: { en: 'Value here: empty string', 'zh-cn': '此处的值：空字符串' },
  noValue: {
    en: 'Declared without a value here: set it with `--build-arg {0}=...`.',
    'zh-cn': '此处声明时没有值：可用 `--build-arg {0}=...` 设置。',
  },
  undefinedVar: {
    en: 'Not defined at this line: Docker expands it to an empty string.',
    'zh-cn': '在此行未定义：Docker 会将其展开为空字符串。',
  },
  definedAt: { en: 'Defined by `{0}` on line {1}.', 'zh-cn': '由第 {1} 行的 `{0}` 定义。' },
  defaultForm: { en: 'Written: `{0}`', 'zh-cn': '写法：`{0}`' },
  stage: {
    en: 'Build stage **{0}** (stage {1}), line {2}:',
    'zh-cn': '构建阶段 **{0}**（第 {1} 个阶段），第 {2} 行：',
  },
  rules: { en: 'Docksmith rules for {0}:', 'zh-cn': '适用于 {0} 的 Docksmith 规则：' },
} satisfies Record<string, Localized>;

function contains(range: Range | null | undefined, position: Position): boolean {
  if (!range) return false;
  const { start, end } = range;
  if (position.line < start.line || position.line > end.line) return false;
  if (position.line === start.line && position.character < start.character) return false;
  if (position.line === end.line && position.character > end.character) return false;
  return true;
}

export function doHover(
  model: DockerfileModel,
  docs: DocsLibrary,
  position: Position,
  options: HoverOptions,
): Hover | null {
  const found = findHover(model, docs, position, options);
  if (!found) return null;
  const value = options.markdown ? found.markdown : renderMarkdown(found.markdown);
  return {
    contents: { kind: options.markdown ? MarkupKind.Markdown : MarkupKind.PlainText, value },
    range: found.range,
  };
}

interface Found {
  markdown: string;
  range: Range;
}

function findHover(model: DockerfileModel, docs: DocsLibrary, position: Position, options: HoverOptions): Found | null {
  const { lang } = options;
  for (const directive of model.directives) {
    if (contains(directive.getNameRange(), position)) {
      const doc = docs.get(lang, `directives/${directive.getName().toLowerCase()}`);
      return doc ? { markdown: doc, range: directive.getNameRange() } : null;
    }
  }
  const outer = model.instructionAt(position);
  if (!outer) return null;
  if (contains(outer.getInstructionRange(), position)) {
    return instructionDoc(outer.getKeyword(), outer.getInstructionRange(), docs, options);
  }
  const instruction = effectiveInstruction(outer);
  if (instruction !== outer && contains(instruction.getInstructionRange(), position)) {
    return instructionDoc(instruction.getKeyword(), instruction.getInstructionRange(), docs, options);
  }
  const keyword = instruction.getKeyword();

  if (instruction instanceof ModifiableInstruction) {
    for (const flag of instruction.getFlags()) {
      const hit = flagHover(model, docs, keyword, flag, position, lang);
      if (hit) return hit;
    }
  }

  for (const variable of instruction.getVariables()) {
    if (contains(variable.getRange(), position)) return variableHover(model, variable, position.line, lang);
  }

  if (instruction instanceof Arg || instruction instanceof Env) {
    const properties = instruction instanceof Arg ? [instruction.getProperty()] : instruction.getProperties();
    for (const property of properties) {
      if (property && contains(property.getNameRange(), position)) {
        const resolved = model.resolveVariable(property.getName(), property.getNameRange().end.line + 1);
        return {
          markdown: describeVariable(model, property.getName(), resolved, lang),
          range: property.getNameRange(),
        };
      }
    }
  }

  if (instruction instanceof From) {
    const stageRange = instruction.getBuildStageRange();
    if (stageRange && contains(stageRange, position)) {
      const stage = model.stages.find((s) => s.from === instruction);
      if (stage) return { markdown: stageMarkdown(model, stage, lang), range: stageRange };
    }
    const imageRange = instruction.getImageNameRange();
    if (imageRange && contains(imageRange, position)) {
      const image = instruction.getImageName() ?? '';
      if (image.toLowerCase() === 'scratch') {
        const doc = docs.get(lang, 'topics/scratch');
        if (doc) return { markdown: doc, range: imageRange };
      }
      const stage = model.findStage(image, instruction.getRange().start.line);
      if (stage) return { markdown: stageMarkdown(model, stage, lang), range: imageRange };
    }
  }
  return null;
}

function instructionDoc(keyword: string, range: Range, docs: DocsLibrary, options: HoverOptions): Found | null {
  const doc = docs.get(options.lang, `instructions/${keyword}`);
  if (!doc) return null;
  let markdown = doc.trimEnd();
  const rules = options.rulesFor?.(keyword) ?? [];
  if (rules.length > 0) {
    const list = rules.map((r) => `[\`${r.id}\`](${r.docsUrl})`).join(' · ');
    markdown += `\n\n---\n\n${localize(TEXT.rules, options.lang, keyword)} ${list}`;
  }
  return { markdown, range };
}

function flagHover(
  model: DockerfileModel,
  docs: DocsLibrary,
  keyword: string,
  flag: Flag,
  position: Position,
  lang: Lang,
): Found | null {
  if (!contains(flag.getRange(), position)) return null;
  const valueRange = flag.getValueRange();
  if (keyword === 'COPY' || keyword === 'ADD') {
    if (flag.getName() === 'from' && valueRange && contains(valueRange, position)) {
      const stage = model.findStage(flag.getValue() ?? '', flag.getRange().start.line);
      if (stage) return { markdown: stageMarkdown(model, stage, lang), range: valueRange };
    }
  }
  const topic = `flags/${keyword.toLowerCase()}-${flag.getName().toLowerCase()}`;
  const doc = docs.get(lang, topic);
  return doc ? { markdown: doc, range: flag.getNameRange() } : null;
}

function variableHover(model: DockerfileModel, variable: Variable, line: number, lang: Lang): Found {
  const name = variable.getName();
  return {
    markdown: describeVariable(model, name, model.resolveVariable(name, line), lang),
    range: variable.getRange(),
  };
}

function describeVariable(
  model: DockerfileModel,
  name: string,
  resolved: ReturnType<DockerfileModel['resolveVariable']>,
  lang: Lang,
): string {
  const lines = [localize(TEXT.variable, lang, name), ''];
  if (!resolved) {
    lines.push(localize(TEXT.undefinedVar, lang));
    return lines.join('\n');
  }
  const { value, definition } = resolved;
  if (value === undefined) lines.push(localize(TEXT.noValue, lang, name));
  else if (value === '') lines.push(localize(TEXT.emptyValue, lang));
  else lines.push(localize(TEXT.value, lang, inlineCode(value)));
  lines.push('');
  const line = definition.instruction.getRange().start.line;
  lines.push(localize(TEXT.definedAt, lang, inlineCode(firstLine(model, definition.instruction)), line + 1));
  return lines.join('\n');
}

function stageMarkdown(model: DockerfileModel, stage: Stage, lang: Lang): string {
  const line = stage.from.getRange().start.line;
  return [
    localize(TEXT.stage, lang, stage.from.getBuildStage() ?? String(stage.index), stage.index, line + 1),
    '',
    '```dockerfile',
    model.document.getText(stage.from.getRange()),
    '```',
  ].join('\n');
}

function firstLine(model: DockerfileModel, instruction: Instruction): string {
  return model.document.getText(instruction.getRange()).split(/\r?\n/)[0]!.trim();
}

/** Text safe inside an inline code span. */
function inlineCode(text: string): string {
  return text.replace(/`/g, "'").replace(/\r?\n/g, ' ');
}
