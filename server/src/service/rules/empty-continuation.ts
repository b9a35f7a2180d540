import { ValidationCode } from 'dockerfile-utils';
import { misjoined, validationCode, validatorDiagnostics } from './syntax';
import { defineRule } from './types';

export default defineRule({
  id: 'empty-continuation',
  severity: 'warning',
  peers: [],
  instructions: [],
  scope: 'stage',
  messages: {
    default: {
      en: 'Empty line inside a continued instruction: Docker skips it today but has deprecated it (it warns, and may become an error). It also hides where the instruction ends. Remove the empty line.',
      'zh-cn':
        '续行指令中间有空行：Docker 目前会跳过它，但已将其标记为弃用（会给出警告，将来可能报错）。空行也让人看不清指令在哪里结束。请删除空行。',
    },
  },
  check({ model, instructions, report }) {
    for (const d of validatorDiagnostics(model, instructions)) {
      if (validationCode(d) !== ValidationCode.EMPTY_CONTINUATION_LINE || misjoined(model, d.range)) continue;
      report({ range: d.range, deprecated: true });
    }
  },
  fix({ range }) {
    // Docker drops empty lines inside a continuation: removing them changes nothing in the build.
    return [
      {
        title: { en: 'Remove the empty line(s)', 'zh-cn': '删除空行' },
        edits: [{ range, newText: '' }],
        preferred: true,
      },
    ];
  },
});
