import { defineRule } from './types';
import { literalWord, type ShNode } from '../shell';
import {
  aptInstallsWithout,
  aptOptionSettings,
  effectiveCommand,
  shortFlags,
  type EffectiveCommand,
} from '../shellFacts';

const ASSUME_YES_SETTING = /^APT::Get::Assume-?Yes=(1|true|yes|on)$/i;
const ASSUME_YES_CONFIG = /APT::Get::Assume-?Yes["'\s]+(1|true|yes|on)\b/i;

/** `-y`, `--yes`, `--assume-yes`, `-qq` / `-q=2` (quiet level 2 implies -y), `-o APT::Get::Assume-Yes=true`. */
export function assumesYes(command: EffectiveCommand): boolean {
  let quiet = 0;
  for (const node of command.args) {
    const word = literalWord(node);
    if (word === undefined) continue;
    if (word === '--yes' || word === '--assume-yes') return true;
    if (word === '--quiet') quiet++;
    const level = /^(?:-q|--quiet)=(\d+)$/.exec(word);
    if (level) quiet = Math.max(quiet, Number(level[1]));
    const flags = shortFlags(word);
    if (flags.includes('y')) return true;
    for (const f of flags) if (f === 'q') quiet++;
  }
  return quiet >= 2 || aptOptionSettings(command).some((s) => ASSUME_YES_SETTING.test(s));
}

/** `yes | apt-get install x`: the answers come from `yes`. */
function fedByYes(command: ShNode): boolean {
  const pipeline = command.parent;
  if (pipeline?.type !== 'pipeline') return false;
  const first = pipeline.children.find((c) => c.named);
  if (!first || first === command || first.type !== 'command') return false;
  return effectiveCommand(first)?.base === 'yes';
}

export default defineRule({
  id: 'apt-get-yes',
  severity: 'warning',
  peers: ['DL3014'],
  instructions: ['RUN'],
  scope: 'stage',
  messages: {
    default: {
      en: '`{0} install` without `-y` asks "Do you want to continue?" and a build cannot answer: it aborts as soon as a package pulls in dependencies. Add `-y`.',
      'zh-cn':
        '不带 `-y` 的 `{0} install` 会询问“是否继续？”，而构建过程无法回答：只要软件包带有依赖就会中止。请加上 `-y`。',
    },
  },
  check({ model, instructions, report }) {
    const lacking = aptInstallsWithout(
      model,
      instructions,
      (install) => assumesYes(install.command) || fedByYes(install.command.node),
      ASSUME_YES_CONFIG,
    );
    for (const { script, install } of lacking) {
      report({ range: script.range(install.command.nameNode.start, install.verb.end), args: [install.tool] });
    }
  },
  fix({ range }) {
    return [
      {
        title: { en: 'Add -y', 'zh-cn': '加上 -y' },
        edits: [{ range: { start: range.end, end: range.end }, newText: ' -y' }],
        preferred: true,
      },
    ];
  },
});
