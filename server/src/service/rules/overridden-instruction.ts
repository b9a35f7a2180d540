import type { Instruction } from 'dockerfile-ast';
import { defineRule } from './types';
import { DockerfileModel } from '../model';

const SINGLE = new Set(['CMD', 'ENTRYPOINT', 'HEALTHCHECK']);

/**
 * Per stage, the CMD / ENTRYPOINT / HEALTHCHECK instructions grouped by keyword; ONBUILD
 * triggers form their own groups (they run together in a later build).
 */
function groups(instructions: readonly Instruction[]): Instruction[][] {
  const byKey = new Map<string, Instruction[]>();
  for (const instruction of instructions) {
    const trigger = DockerfileModel.triggerOf(instruction);
    const keyword = (trigger ?? instruction).getKeyword();
    if (!SINGLE.has(keyword)) continue;
    const key = trigger ? `ONBUILD ${keyword}` : keyword;
    const list = byKey.get(key) ?? [];
    list.push(instruction);
    byKey.set(key, list);
  }
  return [...byKey.values()];
}

export default defineRule({
  id: 'overridden-instruction',
  severity: 'warning',
  peers: ['DL4003', 'DL4004', 'MultipleInstructionsDisallowed'],
  instructions: ['CMD', 'ENTRYPOINT', 'HEALTHCHECK'],
  scope: 'stage',
  messages: {
    default: {
      en: 'This {0} has no effect: a later {0} in the same stage replaces it (only the last one counts). Remove it.',
      'zh-cn': '这条 {0} 不起作用：同一阶段后面的 {0} 会覆盖它（只有最后一条生效）。请删除它。',
    },
  },
  check({ stages, report }) {
    for (const stage of stages) {
      for (const group of groups(stage.instructions)) {
        const last = group[group.length - 1]!;
        const lastKeyword = DockerfileModel.triggerOf(last) ?? last;
        for (const instruction of group.slice(0, -1)) {
          const keyword = (DockerfileModel.triggerOf(instruction) ?? instruction).getKeyword();
          report({
            range: instruction.getRange(),
            args: [keyword],
            unnecessary: true,
            related: [
              {
                range: lastKeyword.getInstructionRange(),
                message: { en: 'The {0} that takes effect', 'zh-cn': '生效的 {0}' },
                args: [keyword],
              },
            ],
          });
        }
      }
    }
  },
  fix({ model, range }) {
    const document = model.document;
    const endOfLine = (text: string, lineStart: number) =>
      document.positionAt(lineStart - (text.slice(lineStart - 2, lineStart) === '\r\n' ? 2 : 1));
    const instruction = model.instructionAtLine(range.start.line);
    if (!instruction) return [];
    const { start, end } = instruction.getRange();
    const lastLine = document.lineCount - 1;
    // Whole lines, continuation lines included; the comments above it stay.
    const deletion =
      end.line < lastLine
        ? { start: { line: start.line, character: 0 }, end: { line: end.line + 1, character: 0 } }
        : {
            start: start.line > 0 ? endOfLine(document.getText(), document.offsetAt(start) - start.character) : start,
            end: document.positionAt(document.getText().length),
          };
    return [
      {
        title: { en: 'Remove the overridden {0}', 'zh-cn': '删除被覆盖的 {0}' },
        titleArgs: [(DockerfileModel.triggerOf(instruction) ?? instruction).getKeyword()],
        edits: [{ range: deletion, newText: '' }],
        preferred: true,
      },
    ];
  },
});
