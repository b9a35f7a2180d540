import { defineRule } from './types';
import { effectiveInstruction, literalWord, type ShellScript, type ShNode } from '../shell';
import { aptGetInstalls, aptOptionSettings, scriptsUpTo, someText, type EffectiveCommand } from '../shellFacts';

const NO_RECOMMENDS_SETTING = /^APT::Install-Recommends=(0|false|no|off)$/i;
const NO_RECOMMENDS_CONFIG = /APT::Install-Recommends["'\s]+(0|false|no|off)\b/i;

export function disablesRecommends(command: EffectiveCommand): boolean {
  return (
    command.args.some((a) => literalWord(a) === '--no-install-recommends') ||
    aptOptionSettings(command).some((s) => NO_RECOMMENDS_SETTING.test(s))
  );
}

/** Per tree (trees are immutable and shared across versions): does it configure no recommends? */
const configures = new WeakMap<ShNode, boolean>();

function configuredNoRecommends(scripts: readonly ShellScript[]): boolean {
  return scripts.some((s) => {
    let result = configures.get(s.root);
    if (result === undefined) {
      result = someText(s.root, (text) => NO_RECOMMENDS_CONFIG.test(text));
      configures.set(s.root, result);
    }
    return result;
  });
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
    for (const outer of instructions) {
      if (effectiveInstruction(outer).getKeyword() !== 'RUN') continue;
      let configured: boolean | undefined;
      for (const script of model.shellScripts(outer)) {
        for (const install of aptGetInstalls(script.root, ['apt-get', 'apt'])) {
          if (disablesRecommends(install.command)) continue;
          configured ??= configuredNoRecommends(scriptsUpTo(model, outer));
          if (configured) continue;
          report({ range: script.range(install.command.nameNode.start, install.verb.end), args: [install.tool] });
        }
      }
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
