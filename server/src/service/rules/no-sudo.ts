import { defineRule } from './types';
import { effectiveInstruction, findAll } from '../shell';
import { commandChain, mayRun } from '../shellFacts';

const SUDO: ReadonlySet<string> = new Set(['sudo']);

export default defineRule({
  id: 'no-sudo',
  severity: 'error',
  peers: ['DL3004'],
  instructions: ['RUN'],
  scope: 'stage',
  messages: {
    default: {
      en: 'Do not use `sudo` in RUN: the build already runs as root unless USER says otherwise, and sudo needs a sudoers entry and may prompt, so it fails or behaves unpredictably. Drop it, or switch with `USER root` and back; at runtime use `gosu` or `su-exec`.',
      'zh-cn':
        'RUN 中不要使用 `sudo`：除非 USER 另有指定，构建本来就以 root 运行；sudo 需要 sudoers 配置且可能要求输入密码，容易失败或行为不可预测。请去掉它，或用 `USER root` 切换后再切回；运行时请用 `gosu` 或 `su-exec`。',
    },
  },
  check({ model, instructions, report }) {
    for (const outer of instructions) {
      if (effectiveInstruction(outer).getKeyword() !== 'RUN') continue;
      for (const script of model.shellScripts(outer)) {
        for (const command of findAll(script.root, 'command')) {
          if (!mayRun(command, SUDO)) continue;
          for (const link of commandChain(command).chain) {
            if (link.base === 'sudo') report({ range: script.rangeOf(link.node) });
          }
        }
      }
    }
  },
});
