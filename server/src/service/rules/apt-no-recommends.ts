import { defineRule } from './types';
import { literalWord } from '../shell';
import { aptInstallsWithout, aptOptionSettings, type EffectiveCommand } from '../shellFacts';

const NO_RECOMMENDS_SETTING = /^APT::Install-Recommends=(0|false|no|off)$/i;
const NO_RECOMMENDS_CONFIG = /APT::Install-Recommends["'\s]+(0|false|no|off)\b/i;

export function disablesRecommends(command: EffectiveCommand): boolean {
  return (
    command.args.some((a) => literalWord(a) === '--no-install-recommends') ||
    aptOptionSettings(command).some((s) => NO_RECOMMENDS_SETTING.test(s))
  );
}

export default defineRule({
  id: 'apt-no-recommends',
  severity: 'info',
  peers: ['DL3015'],
  instructions: ['RUN'],
  scope: 'stage',
  messages: {
    default: {
      en: '`{0} install` also installs every "recommended" package, which often adds hundreds of megabytes you never use. Add `--no-install-recommends` and list what you need.',
      'zh-cn':
        '`{0} install` 还会安装所有“推荐”的软件包，常常多出几百 MB 用不到的内容。请加上 `--no-install-recommends`，并列出真正需要的包。',
    },
  },
  check({ model, instructions, report }) {
    const lacking = aptInstallsWithout(
      model,
      instructions,
      (install) => disablesRecommends(install.command),
      NO_RECOMMENDS_CONFIG,
    );
    for (const { script, install } of lacking) {
      report({ range: script.range(install.command.nameNode.start, install.verb.end), args: [install.tool] });
    }
  },
  fix({ range }) {
    return [
      {
        title: { en: 'Add --no-install-recommends', 'zh-cn': '加上 --no-install-recommends' },
        edits: [{ range: { start: range.end, end: range.end }, newText: ' --no-install-recommends' }],
        // Not applied by fix-all: some programs need a recommended package (curl and ca-certificates).
        preferred: false,
      },
    ];
  },
});
