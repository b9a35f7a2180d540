import { defineRule } from './types';
import { effectiveInstruction, findAll } from '../shell';
import { commandChain, mayRun } from '../shellFacts';

const CD: ReadonlySet<string> = new Set(['cd']);

export default defineRule({
  id: 'cd-in-run',
  severity: 'warning',
  peers: ['DL3003'],
  instructions: ['RUN', 'WORKDIR'],
  scope: 'stage',
  messages: {
    default: {
      en: '`cd` in RUN lasts only for this RUN: the next instruction starts again in the WORKDIR, which makes the Dockerfile hard to follow. Use `WORKDIR <dir>` to switch directories (it also creates the directory).',
      'zh-cn':
        'RUN 中的 `cd` 只在这一条 RUN 内有效：下一条指令又回到 WORKDIR，Dockerfile 因此难以理解。请用 `WORKDIR <目录>` 切换目录（目录不存在时会自动创建）。',
    },
  },
  check({ model, instructions, report }) {
    for (const outer of instructions) {
      if (effectiveInstruction(outer).getKeyword() !== 'RUN') continue;
      for (const script of model.shellScripts(outer)) {
        for (const command of findAll(script.root, 'command')) {
          if (!mayRun(command, CD)) continue;
          const { chain } = commandChain(command);
          if (chain[chain.length - 1]?.base === 'cd') report({ range: script.rangeOf(command) });
        }
      }
    }
  },
});
