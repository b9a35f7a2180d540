import type { Instruction } from 'dockerfile-ast';
import type { Localized } from '../locale';
import { isMergeEdits, mergeRefusal, planMerge } from '../merge';
import type { DockerfileModel } from '../model';
import { commands, commandWords, effectiveInstruction, isExecForm, perNode, type ShNode } from '../shell';
import { defineRule } from './types';

type Family = 'apt' | 'apk' | 'yum' | 'zypper';

interface Manager {
  readonly family: Family;
  /** The subcommands that refresh the package index. */
  readonly refresh: ReadonlySet<string>;
  /** Subcommands that use the index (install, upgrade, ...). */
  readonly install: ReadonlySet<string>;
  /** Options that take a value in the next word. */
  readonly valued: ReadonlySet<string>;
}

const APT: Manager = {
  family: 'apt',
  refresh: new Set(['update']),
  install: new Set([
    'install',
    'upgrade',
    'dist-upgrade',
    'full-upgrade',
    'build-dep',
    'source',
    'download',
    'reinstall',
    'satisfy',
    'safe-upgrade',
  ]),
  valued: new Set(['-o', '-c', '-t', '--option', '--config-file', '--target-release', '--default-release']),
};
const APK: Manager = {
  family: 'apk',
  refresh: new Set(['update']),
  install: new Set(['add', 'upgrade', 'fix', 'fetch']),
  valued: new Set(['-X', '--repository', '-p', '--root', '--arch', '--cache-dir', '--repositories-file', '--keys-dir']),
};
const YUM: Manager = {
  family: 'yum',
  refresh: new Set(['makecache']),
  install: new Set([
    'install',
    'upgrade',
    'update',
    'reinstall',
    'groupinstall',
    'localinstall',
    'builddep',
    'distro-sync',
    'group',
    'module',
    'downgrade',
    'swap',
  ]),
  valued: new Set([
    '-c',
    '--config',
    '--installroot',
    '--releasever',
    '--setopt',
    '--enablerepo',
    '--disablerepo',
    '-x',
    '--exclude',
  ]),
};
const ZYPPER: Manager = {
  family: 'zypper',
  refresh: new Set(['refresh', 'ref']),
  install: new Set(['install', 'in', 'update', 'up', 'dist-upgrade', 'dup', 'source-install', 'si', 'patch']),
  valued: new Set(['--root', '-R', '--config', '-c', '--reposd-dir', '-D', '--cache-dir', '-C']),
};

const MANAGERS: Readonly<Record<string, Manager>> = {
  'apt-get': APT,
  apt: APT,
  aptitude: APT,
  apk: APK,
  yum: YUM,
  dnf: YUM,
  microdnf: YUM,
  zypper: ZYPPER,
};

/** Commands that run the next words as a command. */
const WRAPPERS = new Set(['sudo', 'env', 'eatmydata', 'nice', 'nohup', 'time', 'command', 'stdbuf']);

/**
 * Commands that cannot install packages: with only these beside the index refresh, the RUN
 * certainly refreshes the index for nothing. Anything else (a script, `xargs apt-get install`,
 * `curl ... | bash`) might install, and the rule stays quiet.
 */
const HARMLESS = new Set([
  'echo',
  'printf',
  'set',
  'true',
  'false',
  ':',
  'test',
  '[',
  'rm',
  'mkdir',
  'ln',
  'cp',
  'mv',
  'chmod',
  'chown',
  'touch',
  'cat',
  'tee',
  'sed',
  'export',
  'cd',
  'curl',
  'wget',
  'gpg',
  'apt-key',
  'add-apt-repository',
  'apt-add-repository',
  'sleep',
  'mktemp',
  'grep',
  'update-ca-certificates',
  'dpkg',
  'lsb_release',
  'debconf-set-selections',
]);

interface Invocation {
  readonly manager: Manager;
  readonly command: ShNode;
  readonly words: readonly string[];
  readonly subcommand: string | undefined;
}

/** The words after wrappers such as `sudo` or `env X=1`; undefined when a word is not literal. */
function unwrap(words: readonly (string | undefined)[]): string[] | undefined {
  let i = 0;
  while (i < words.length) {
    const word = words[i];
    if (word === undefined) return undefined;
    if (!WRAPPERS.has(word)) break;
    i++;
    // the wrapper's own options and `env` assignments
    while (i < words.length && (words[i]?.startsWith('-') || (word === 'env' && words[i]?.includes('=')))) {
      if (word === 'sudo' && (words[i] === '-u' || words[i] === '-g')) i++;
      if (word === 'nice' && words[i] === '-n') i++;
      i++;
    }
  }
  const rest = words.slice(i);
  return rest.every((w) => w !== undefined) ? (rest as string[]) : undefined;
}

function subcommandOf(manager: Manager, args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg.startsWith('-')) {
      if (manager.valued.has(arg)) i++;
      continue;
    }
    return arg;
  }
  return undefined;
}

/** What each simple command of a RUN is: a package manager invocation, harmless, or unknown (kept per node). */
const classify = perNode((command): Invocation | 'harmless' | 'unknown' => {
  const words = unwrap(commandWords(command));
  if (!words || words.length === 0) return 'unknown';
  const name = words[0]!.split('/').pop()!;
  const manager = MANAGERS[name];
  if (manager) return { manager, command, words, subcommand: subcommandOf(manager, words.slice(1)) };
  if (name === 'dpkg')
    return words.some((w) => w === '--add-architecture' || w === '--print-architecture') ? 'harmless' : 'unknown';
  return HARMLESS.has(name) ? 'harmless' : 'unknown';
});

function invocations(model: DockerfileModel, outer: Instruction): (Invocation | 'harmless' | 'unknown')[] {
  return model.shellScripts(outer).flatMap((script) => commands(script.root).map(classify));
}

function installs(model: DockerfileModel, outer: Instruction, family: Family): boolean {
  return invocations(model, outer).some(
    (i) =>
      typeof i !== 'string' &&
      i.manager.family === family &&
      i.subcommand !== undefined &&
      i.manager.install.has(i.subcommand),
  );
}

/** What the code-action layer reads from `Diagnostic.data.data`. */
export interface AptUpdateAloneData {
  /** 0-based start line of the RUN to merge with (the next instruction), when the merge is offered. */
  readonly next?: number;
  readonly reason?: Localized;
  readonly reasonCode?: string;
}

export default defineRule({
  id: 'apt-update-alone',
  severity: 'warning',
  peers: [],
  instructions: ['RUN'],
  scope: 'stage',
  messages: {
    default: {
      en: '`{0}` without an install in the same RUN: this layer is cached, so a later install uses a stale package index. Refresh and install in one RUN: `{0} && ... install ...`.',
      'zh-cn':
        '`{0}` 所在的 RUN 中没有安装命令：这一层会被缓存，之后的安装用的是过期的软件包索引。请在同一条 RUN 中更新并安装：`{0} && ... install ...`。',
    },
  },
  check({ model, instructions, report }) {
    for (const outer of instructions) {
      const run = effectiveInstruction(outer);
      if (run.getKeyword() !== 'RUN' || isExecForm(run)) continue;
      const scripts = model.shellScripts(outer);
      const found: { script: (typeof scripts)[number]; invocation: Invocation }[] = [];
      let unknown = false;
      const used = new Set<Family>();
      for (const script of scripts) {
        for (const command of commands(script.root)) {
          const c = classify(command);
          if (c === 'unknown') unknown = true;
          else if (c !== 'harmless') {
            if (c.subcommand !== undefined && c.manager.refresh.has(c.subcommand))
              found.push({ script, invocation: c });
            else used.add(c.manager.family); // any other use of the same manager: not alone
          }
        }
      }
      if (unknown || found.length === 0) continue;
      const stage = model.stageOf(outer);
      const next = stage?.instructions[stage.instructions.indexOf(outer) + 1];
      for (const { script, invocation } of found) {
        if (used.has(invocation.manager.family)) continue;
        const name = invocation.words[0]!.split('/').pop()!;
        const label = `${name} ${invocation.subcommand}`;
        let data: AptUpdateAloneData;
        if (!next || !installs(model, next, invocation.manager.family)) {
          data = {
            reasonCode: 'no-install-next',
            reason: {
              en: 'the next instruction is not a RUN that installs packages',
              'zh-cn': '下一条指令不是安装软件包的 RUN',
            },
          };
        } else {
          const refusal = mergeRefusal(model, [outer, next]);
          data = refusal ? { reasonCode: refusal.code, reason: refusal.reason } : { next: next.getRange().start.line };
        }
        report({
          range: script.rangeOf(invocation.command),
          args: [label],
          data,
          ...('reason' in data && data.reason ? { noFixReason: data.reason } : {}),
        });
      }
    }
  },
  fix({ model, range, data }) {
    const nextLine = (data as AptUpdateAloneData | undefined)?.next;
    if (nextLine === undefined) return [];
    const outer = model.instructionAtLine(range.start.line);
    const next = model.instructionAtLine(nextLine);
    if (!outer || !next || next.getRange().start.line !== nextLine) return [];
    const plan = planMerge(model, [outer, next]);
    if (!isMergeEdits(plan)) return [];
    return [
      {
        title: { en: 'Merge with the next RUN', 'zh-cn': '与下一条 RUN 合并' },
        edits: plan.edits,
        preferred: true,
      },
    ];
  },
});
