import type { Instruction } from 'dockerfile-ast';
import type { Range } from 'vscode-languageserver-types';
import type { Localized } from '../locale';
import { consecutiveRunGroups, isMergeEdits, mergeRefusal, planMerge } from '../merge';
import { effectiveInstruction } from '../shell';
import { defineRule } from './types';

/** What the code-action layer reads from `Diagnostic.data.data`. */
export interface ConsecutiveRunData {
  /** 0-based start lines of the RUN instructions of the group. */
  readonly lines: readonly number[];
  /** 0-based last line of the group (the end of its last RUN). */
  readonly end: number;
  /** Present when the merge is not offered: why (for `CodeAction.disabled.reason`). */
  readonly reason?: Localized;
  readonly reasonCode?: string;
}

/** `RUN`, or `ONBUILD RUN` as one range. */
function keywordRange(outer: Instruction): Range {
  return { start: outer.getRange().start, end: effectiveInstruction(outer).getInstructionRange().end };
}

export default defineRule({
  id: 'consecutive-run',
  severity: 'info',
  peers: ['DL3059'],
  instructions: ['RUN'],
  scope: 'stage',
  messages: {
    default: {
      en: '{0} consecutive RUN instructions: each RUN creates an image layer. Chain the commands with `&&` in one RUN to avoid the extra layers.',
      'zh-cn': '连续 {0} 条 RUN 指令：每条 RUN 都会新建一层镜像。使用 && 把命令连在同一条 RUN 里执行，避免创建多层。',
    },
  },
  check({ model, instructions, report }) {
    for (const group of consecutiveRunGroups(model, instructions)) {
      const runs = group.runs;
      const refusal = mergeRefusal(model, runs);
      const lines = runs.map((r) => r.getRange().start.line);
      const end = runs[runs.length - 1]!.getRange().end.line;
      const range = { start: runs[1]!.getRange().start, end: keywordRange(runs[runs.length - 1]!).end };
      const related: { range: Range; message: Localized; args?: (string | number)[] }[] = [
        {
          range: keywordRange(runs[0]!),
          message: { en: 'the first of the {0} RUN instructions', 'zh-cn': '这 {0} 条 RUN 指令中的第一条' },
          args: [runs.length],
        },
      ];
      let data: ConsecutiveRunData = { lines, end };
      if (refusal) {
        data = { lines, end, reason: refusal.reason, reasonCode: refusal.code };
        related.push({
          range: refusal.range ?? range,
          message: {
            en: `No automatic merge: ${refusal.reason.en}.`,
            'zh-cn': `无法自动合并：${refusal.reason['zh-cn']}。`,
          },
        });
      }
      report({ range, args: [runs.length], data, related, ...(data.reason ? { noFixReason: data.reason } : {}) });
    }
  },
  fix({ model, range }) {
    const group = consecutiveRunGroups(model).find((g) => g.runs[1]!.getRange().start.line === range.start.line);
    if (!group) return [];
    const plan = planMerge(model, group.runs);
    if (!isMergeEdits(plan)) return [];
    return [
      {
        title: { en: 'Merge {0} RUN instructions into one', 'zh-cn': '将 {0} 条 RUN 指令合并为一条' },
        titleArgs: [group.runs.length],
        edits: plan.edits,
        preferred: true,
      },
    ];
  },
});
