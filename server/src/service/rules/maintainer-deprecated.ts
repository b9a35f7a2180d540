import type { Range } from 'vscode-languageserver-types';
import { defineRule } from './types';
import { effectiveInstruction } from '../shell';

/**
 * MAINTAINER's value as a double-quoted LABEL value: MAINTAINER takes its text literally, a LABEL
 * value is unquoted and expanded, so `"`, `$` and the escape character are escaped. A value that
 * is wholly in one pair of quotes (`MAINTAINER "Jane Doe"`) loses those quotes.
 */
export function labelValue(text: string, escape: string): string {
  let value = text.trim();
  const m = /^(["'])([^"']*)\1$/.exec(value);
  if (m) value = m[2]!;
  let out = '';
  for (const ch of value) out += ch === '"' || ch === '$' || ch === escape ? escape + ch : ch;
  return `"${out}"`;
}

export default defineRule({
  id: 'maintainer-deprecated',
  severity: 'warning',
  peers: ['DL4000', 'MaintainerDeprecated'],
  instructions: ['MAINTAINER'],
  scope: 'stage',
  messages: {
    default: {
      en: 'MAINTAINER is deprecated: record the author with `LABEL org.opencontainers.image.authors="..."`, which tools and registries read.',
      'zh-cn':
        'MAINTAINER 已被弃用：请用 `LABEL org.opencontainers.image.authors="..."` 记录作者，工具和镜像仓库都会读取这个标签。',
    },
  },
  check({ model, instructions, report }) {
    for (const outer of instructions) {
      const instruction = effectiveInstruction(outer);
      if (instruction.getKeyword() !== 'MAINTAINER') continue;
      const content = instruction.getArgumentsContent();
      // A comment line inside a continued MAINTAINER would be lost in the one-line LABEL.
      const commented = /\n[ \t]*#/.test(instruction.getRawArgumentsContent() ?? '');
      const keyword = model.document.getText(instruction.getInstructionRange());
      const label = keyword === keyword.toLowerCase() ? 'label' : 'LABEL';
      report({
        range: instruction.getInstructionRange(),
        deprecated: true,
        data:
          content && content.trim() !== '' && !commented
            ? {
                replace: { start: instruction.getInstructionRange().start, end: instruction.getRange().end },
                text: `${label} org.opencontainers.image.authors=${labelValue(content, model.escape)}`,
              }
            : undefined,
      });
    }
  },
  fix({ data }) {
    const fix = data as { replace?: Range; text?: string } | undefined;
    if (!fix?.replace || fix.text === undefined) return [];
    return [
      {
        title: {
          en: 'Replace with LABEL org.opencontainers.image.authors',
          'zh-cn': '改为 LABEL org.opencontainers.image.authors',
        },
        edits: [{ range: fix.replace, newText: fix.text }],
        preferred: true,
      },
    ];
  },
});
