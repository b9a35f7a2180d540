import type { Instruction } from 'dockerfile-ast';
import { effectiveInstruction } from '../shell';
import { defineRule } from './types';

const MAX_PORT = 65535;

export default defineRule({
  id: 'expose-port',
  severity: 'error',
  peers: ['DL3011'],
  instructions: ['EXPOSE'],
  scope: 'stage',
  messages: {
    default: {
      en: 'Port {0} is out of range: ports go from 0 to 65535. Docker refuses this EXPOSE.',
      'zh-cn': '端口 {0} 超出范围：端口号只能是 0 到 65535。Docker 会拒绝这条 EXPOSE。',
    },
    range: {
      en: 'The port range {0}-{1} ends before it starts: Docker refuses it. Write the lower port first (`{1}-{0}`).',
      'zh-cn': '端口范围 {0}-{1} 的结束值小于起始值：Docker 会拒绝它。请把较小的端口写在前面（`{1}-{0}`）。',
    },
  },
  check({ model, instructions, report }) {
    const text = model.document.getText();
    for (const outer of instructions) {
      const instruction: Instruction = effectiveInstruction(outer);
      if (instruction.getKeyword() !== 'EXPOSE') continue;
      for (const arg of instruction.getArguments()) {
        const range = arg.getRange();
        const start = model.document.offsetAt(range.start);
        const raw = text.slice(start, model.document.offsetAt(range.end));
        if (raw.includes('$')) continue; // the value is only known at build time
        // `80`, `"80"`, `8000-8010/tcp`: numbers and their offsets in the argument.
        const m = /^(["']?)(\d+)(?:-(\d+))?(?:\/[A-Za-z]*)?\1$/.exec(raw);
        if (!m) continue; // not a port spec: the syntax rule reports it
        const first = m[2]!;
        const firstAt = start + m[1]!.length;
        const numbers = [{ value: first, at: firstAt }];
        if (m[3] !== undefined) numbers.push({ value: m[3], at: firstAt + first.length + 1 });
        let reported = false;
        for (const n of numbers) {
          if (Number(n.value) > MAX_PORT) {
            reported = true;
            report({
              range: { start: model.document.positionAt(n.at), end: model.document.positionAt(n.at + n.value.length) },
              args: [n.value],
            });
          }
        }
        if (!reported && m[3] !== undefined && Number(m[3]) < Number(first)) {
          const end = firstAt + first.length + 1 + m[3].length;
          report({
            range: { start: model.document.positionAt(firstAt), end: model.document.positionAt(end) },
            message: 'range',
            args: [first, m[3]],
          });
        }
      }
    }
  },
});
