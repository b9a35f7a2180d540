import type { Instruction } from 'dockerfile-ast';
import { defineRule } from './types';
import { effectiveInstruction, isExecForm, literalWord, type ShNode } from '../shell';

/** The exec-form array for a shell-form command, when the shell would see plain words only. */
export function execFormFor(root: ShNode): string[] | undefined {
  const statements = root.children.filter((c) => c.type !== 'comment');
  if (statements.length !== 1) return undefined;
  const command = statements[0]!;
  if (command.type !== 'command') return undefined;
  const words: string[] = [];
  for (const child of command.children) {
    if (child.field === 'name') {
      const word = child.children[0];
      const value = word ? literalWord(word) : undefined;
      if (value === undefined || child.children.length !== 1) return undefined;
      words.push(value);
    } else if (child.field === 'argument') {
      const value = literalWord(child);
      if (value === undefined || /[*?[]/.test(child.type === 'word' ? child.text : '')) return undefined;
      words.push(value);
    } else return undefined; // assignments, redirects, anything else needs a shell
  }
  return words.length > 0 ? words : undefined;
}

export default defineRule({
  id: 'json-args',
  severity: 'warning',
  peers: ['DL3025', 'JSONArgsRecommended'],
  instructions: ['CMD', 'ENTRYPOINT'],
  scope: 'stage',
  messages: {
    default: {
      en: '{0} in shell form runs under `/bin/sh -c`: the shell is PID 1 and signals such as `docker stop` never reach your program. Use the exec form `{0} ["executable", "arg"]`.',
      'zh-cn':
        'shell 格式的 {0} 由 `/bin/sh -c` 执行：shell 成为 1 号进程，`docker stop` 等信号到不了你的程序。请使用 exec 格式 `{0} ["可执行文件", "参数"]`。',
    },
  },
  check({ model, instructions, report }) {
    for (const outer of instructions) {
      const instruction: Instruction = effectiveInstruction(outer);
      const keyword = instruction.getKeyword();
      if ((keyword !== 'CMD' && keyword !== 'ENTRYPOINT') || isExecForm(instruction)) continue;
      const args = instruction.getArguments();
      if (args.length === 0) continue;
      const range = { start: args[0]!.getRange().start, end: args[args.length - 1]!.getRange().end };
      const script = model.shellScripts(outer)[0];
      const exec = script ? execFormFor(script.root) : undefined;
      report({ range, args: [keyword], data: exec ? { exec } : undefined });
    }
  },
  fix({ model, range, data }) {
    const exec = (data as { exec?: string[] } | undefined)?.exec;
    if (!exec) return [];
    const instruction = model.instructionAtLine(range.start.line);
    if (!instruction) return [];
    return [
      {
        title: { en: 'Use the exec form {0}', 'zh-cn': '改用 exec 格式 {0}' },
        titleArgs: [JSON.stringify(exec).replace(/","/g, '", "')],
        edits: [{ range, newText: JSON.stringify(exec).replace(/","/g, '", "') }],
        preferred: true,
      },
    ];
  },
});
