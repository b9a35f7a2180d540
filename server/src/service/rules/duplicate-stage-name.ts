import type { Stage } from '../model';
import { defineRule } from './types';

export default defineRule({
  id: 'duplicate-stage-name',
  severity: 'error',
  peers: ['DL3024', 'DuplicateStageName'],
  instructions: ['FROM'],
  // Compares the names of all stages with each other (the message gives the first one's line).
  scope: 'file',
  messages: {
    default: {
      en: 'The stage name `{0}` is already used on line {1}: Docker refuses to build (stage names are compared without case). Rename one of the stages.',
      'zh-cn': '阶段名 `{0}` 已在第 {1} 行使用：Docker 会拒绝构建（阶段名比较时不区分大小写）。请重命名其中一个阶段。',
    },
  },
  check({ model, stages, report }) {
    const first = new Map<string, Stage>();
    for (const stage of stages) {
      if (stage.name === undefined || !stage.nameRange) continue;
      const earlier = first.get(stage.name);
      if (!earlier || !earlier.nameRange) {
        first.set(stage.name, stage);
        continue;
      }
      report({
        range: stage.nameRange,
        args: [model.document.getText(stage.nameRange), earlier.nameRange.start.line + 1],
        related: [
          {
            range: earlier.nameRange,
            message: { en: 'First stage named `{0}`', 'zh-cn': '第一个名为 `{0}` 的阶段' },
            args: [model.document.getText(earlier.nameRange)],
          },
        ],
      });
    }
  },
});
