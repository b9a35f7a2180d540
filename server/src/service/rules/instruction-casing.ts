import { ValidationCode } from 'dockerfile-utils';
import { headerValidatorDiagnostics, validationCode } from './syntax';
import { defineRule } from './types';
import { INSTRUCTION_SET } from '../keywords';

const KEYWORDS = INSTRUCTION_SET;

interface CasingData {
  readonly to: 'upper' | 'lower';
}

export default defineRule({
  id: 'instruction-casing',
  severity: 'warning',
  peers: ['ConsistentInstructionCasing'],
  instructions: [],
  // The majority casing of the whole file decides.
  scope: 'file',
  messages: {
    default: {
      en: '`{0}` should be uppercase like the other instructions of this file: consistent casing makes instructions easy to tell from their arguments.',
      'zh-cn': '`{0}` 应与本文件的其他指令一样使用大写：大小写一致才容易把指令和参数区分开。',
    },
    lower: {
      en: '`{0}` should be lowercase like the other instructions of this file: consistent casing makes instructions easy to tell from their arguments.',
      'zh-cn': '`{0}` 应与本文件的其他指令一样使用小写：大小写一致才容易把指令和参数区分开。',
    },
    directive: {
      en: 'Parser directives are written in lowercase (`# {1}=...`), not `{0}`.',
      'zh-cn': '解析器指令应使用小写（`# {1}=...`），而不是 `{0}`。',
    },
  },
  check({ model, report }) {
    // BuildKit's ConsistentInstructionCasing: the majority casing of the file wins; mixed case (`Run`) is always wrong.
    let lower = 0;
    let upper = 0;
    for (const instruction of model.instructions) {
      const written = instruction.getInstruction();
      if (!KEYWORDS.has(written.toUpperCase())) continue;
      if (written === written.toLowerCase()) lower++;
      else if (written === written.toUpperCase()) upper++;
    }
    const to: CasingData['to'] = lower > upper ? 'lower' : 'upper';
    for (const instruction of model.instructions) {
      const written = instruction.getInstruction();
      if (!KEYWORDS.has(written.toUpperCase())) continue;
      const wanted = to === 'lower' ? written.toLowerCase() : written.toUpperCase();
      if (written === wanted) continue;
      report({
        range: instruction.getInstructionRange(),
        ...(to === 'lower' ? { message: 'lower' } : {}),
        args: [written],
        data: { to } satisfies CasingData,
      });
    }
    // Parser directives are at the top, before the first FROM.
    for (const d of headerValidatorDiagnostics(model)) {
      if (validationCode(d) !== ValidationCode.CASING_DIRECTIVE) continue;
      const written = model.document.getText(d.range);
      report({ range: d.range, message: 'directive', args: [written, written.toLowerCase()], data: { to: 'lower' } });
    }
  },
  fix({ model, range, data }) {
    const to = (data as Partial<CasingData> | undefined)?.to;
    if (to !== 'lower' && to !== 'upper') return [];
    const written = model.document.getText(range);
    const newText = to === 'lower' ? written.toLowerCase() : written.toUpperCase();
    if (newText === written) return [];
    return [
      {
        title: { en: 'Change to `{0}`', 'zh-cn': '改为 `{0}`' },
        titleArgs: [newText],
        edits: [{ range, newText }],
        preferred: true,
      },
    ];
  },
});
