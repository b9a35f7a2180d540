import { Run, type Instruction } from 'dockerfile-ast';
import type { Position } from 'vscode-languageserver-types';
import { defineRule } from './types';
import type { DockerfileModel, Stage } from '../model';
import { effectiveInstruction, findAll, hasError, literalWord, type ShellScript } from '../shell';
import { ANY_ENTRY, aptCommands, commandBase, effectiveCommands, hasGlob, removes, resolvePath } from '../shellFacts';

const LISTS = '/var/lib/apt/lists';
/** Sub-commands that read the package lists `apt-get update` fetched. */
const USES_LISTS = new Set(['install', 'upgrade', 'dist-upgrade', 'full-upgrade', 'build-dep', 'reinstall']);
const CLEANUP = ' && rm -rf /var/lib/apt/lists/*';
const RM_FIND: ReadonlySet<string> = new Set(['rm', 'find']);

/**
 * `rm ... /var/lib/apt/lists/*` (or the directory, or a parent), `find /var/lib/apt/lists ... -delete`,
 * `apt-get dist-clean` (apt 2.9+: `clean` plus the lists), or a script whose name says it cleans.
 */
function cleansLists(scripts: readonly ShellScript[]): boolean {
  for (const script of scripts) {
    if (aptCommands(script.root).some((c) => c.verbText === 'dist-clean')) return true;
    // A cleanup script we cannot see (`clean-layer.sh`, `/usr/local/bin/cleanup`): trust its name.
    if (findAll(script.root, 'command').some((c) => /clean/i.test(commandBase(c) ?? ''))) return true;
    for (const command of effectiveCommands(script.root, RM_FIND)) {
      for (const arg of command.args) {
        const value = literalWord(arg);
        const path = value === undefined || !value.startsWith('/') ? undefined : resolvePath(value, '/');
        if (path === undefined) continue;
        if (path === LISTS || path.startsWith(LISTS + '/') || removes(path, `${LISTS}/${ANY_ENTRY}`)) return true;
      }
    }
  }
  return false;
}

/** A `--mount=type=cache|tmpfs` whose target holds /var/lib/apt/lists: the lists never reach the layer. */
function listsMounted(instruction: Instruction): boolean {
  if (!(instruction instanceof Run)) return false;
  for (const flag of instruction.getFlags()) {
    if (flag.getName() !== 'mount') continue;
    const options = new Map(flag.getOptions().map((o) => [o.getName(), o.getValue() ?? '']));
    const type = options.get('type') ?? 'bind';
    if (type !== 'cache' && type !== 'tmpfs') continue;
    const target = options.get('target') ?? options.get('dst') ?? options.get('destination');
    const path = target === undefined || hasGlob(target) ? undefined : resolvePath(target, '/');
    if (path !== undefined && (path === LISTS || path.startsWith(LISTS + '/') || removes(path, LISTS))) return true;
  }
  return false;
}

type AptUpdate = { script: ShellScript; command: ReturnType<typeof aptCommands>[number] };
const updateCache = new WeakMap<readonly ShellScript[], AptUpdate | null>();

/** The `apt-get update` of scripts that install with the lists and do not remove them; cached per scripts array. */
function updateLeftInLayer(scripts: readonly ShellScript[]): AptUpdate | undefined {
  let result = updateCache.get(scripts);
  if (result === undefined) {
    const apt = scripts.flatMap((script) => aptCommands(script.root).map((command) => ({ script, command })));
    const update = apt.find((a) => a.command.verbText === 'update');
    result = update && apt.some((a) => USES_LISTS.has(a.command.verbText)) && !cleansLists(scripts) ? update : null;
    updateCache.set(scripts, result);
  }
  return result ?? undefined;
}

/** Per scripts array (the same object while its RUN is unchanged, across versions of the document). */
const installsWithoutUpdateCache = new WeakMap<readonly ShellScript[], boolean>();

/** The first apt command of these scripts that touches the lists uses them without fetching them. */
function installsWithoutUpdate(scripts: readonly ShellScript[]): boolean {
  let result = installsWithoutUpdateCache.get(scripts);
  if (result === undefined) {
    const apt = scripts.flatMap((s) => aptCommands(s.root));
    const first = apt.find((c) => c.verbText === 'update' || USES_LISTS.has(c.verbText));
    result = first !== undefined && first.verbText !== 'update';
    installsWithoutUpdateCache.set(scripts, result);
  }
  return result;
}

/**
 * What the check needs about the stage of a RUN and the stages built FROM it (the rule's `family`
 * scope): does the stage ship, and does a later RUN of the image install without its own update.
 */
class StageFacts {
  private readonly needLines = new Map<Stage | undefined, number[]>();

  constructor(
    private readonly model: DockerfileModel,
    private readonly stage: Stage | undefined,
    instructions: readonly Instruction[],
  ) {
    this.collect(stage, instructions);
    for (const child of this.children()) this.collect(child, child.instructions);
  }

  /** Start lines of the RUNs whose first apt command uses the lists without an update. */
  private collect(stage: Stage | undefined, instructions: readonly Instruction[]): void {
    for (const other of instructions) {
      if (effectiveInstruction(other).getKeyword() !== 'RUN') continue;
      if (!installsWithoutUpdate(this.model.shellScripts(other))) continue;
      const lines = this.needLines.get(stage) ?? [];
      lines.push(other.getRange().start.line);
      this.needLines.set(stage, lines);
    }
  }

  /** The stages built FROM this one. */
  private children(): Stage[] {
    const stage = this.stage;
    return stage ? this.model.stages.filter((s) => this.model.parentStage(s) === stage) : [];
  }

  /** The stage ends up in an image: the last stage, or one that another stage builds on. */
  shipped(): boolean {
    const stages = this.model.stages;
    if (!this.stage) return stages.length === 0;
    return this.stage === stages[stages.length - 1] || this.children().length > 0;
  }

  /** A later RUN of the image installs without its own `apt-get update`: it needs these lists. */
  laterRunNeedsLists(instruction: Instruction): boolean {
    const line = instruction.getRange().end.line;
    const own = this.needLines.get(this.stage);
    if (own && own[own.length - 1]! > line) return true;
    return this.children().some((c) => (this.needLines.get(c)?.length ?? 0) > 0);
  }
}

/** Where ` && rm -rf /var/lib/apt/lists/*` goes: right after the script's last command. */
function appendPosition(instruction: Instruction, scripts: readonly ShellScript[]): Position | undefined {
  if (scripts.length !== 1 || (instruction instanceof Run && instruction.getHeredocs().length > 0)) return undefined;
  const script = scripts[0]!;
  if (script.kind !== 'body' || hasError(script.root)) return undefined;
  const children = script.root.children;
  let lastIndex = -1;
  children.forEach((c, i) => {
    if (c.named && c.type !== 'comment') lastIndex = i;
  });
  const last = children[lastIndex];
  if (!last || last.type === 'function_definition') return undefined;
  if (children.slice(lastIndex + 1).some((c) => c.type === '&')) return undefined;
  if (findAll(last, 'heredoc_body').length > 0) return undefined;
  return script.range(last.end - 1, last.end).end;
}

export default defineRule({
  id: 'apt-lists-cleanup',
  severity: 'info',
  peers: ['DL3009'],
  instructions: ['RUN'],
  // Reads the stages built FROM this one (do they ship it, do their RUNs need the lists?).
  scope: 'family',
  messages: {
    default: {
      en: '`{0}` downloads package lists (tens of megabytes) into /var/lib/apt/lists, and this RUN leaves them in its layer. End the same RUN with `&& rm -rf /var/lib/apt/lists/*`; a later RUN cannot shrink the layer.',
      'zh-cn':
        '`{0}` 会把软件包列表（几十 MB）下载到 /var/lib/apt/lists，而这条 RUN 把它们留在了自己的层里。请在同一条 RUN 末尾加上 `&& rm -rf /var/lib/apt/lists/*`；之后的 RUN 再删也无法让这一层变小。',
    },
  },
  check({ model, instructions, report }) {
    let facts: StageFacts | undefined;
    for (const outer of instructions) {
      const instruction = effectiveInstruction(outer);
      if (instruction.getKeyword() !== 'RUN') continue;
      const scripts = model.shellScripts(outer);
      const update = updateLeftInLayer(scripts);
      if (!update || listsMounted(instruction)) continue;
      // An ONBUILD trigger runs in whatever image builds on this one.
      facts ??= new StageFacts(model, model.stageOf(outer), instructions);
      if (instruction === outer && !facts.shipped()) continue;
      const { script, command } = update;
      const range = script.range(command.command.nameNode.start, command.verb.end);
      const at =
        instruction === outer && facts.laterRunNeedsLists(outer) ? undefined : appendPosition(instruction, scripts);
      report({
        range,
        args: [`${command.tool} update`],
        data: at ? { at } : undefined,
        noFixReason: at
          ? undefined
          : {
              en: 'No automatic fix: a heredoc, a trailing `&`, or a later RUN that installs without `apt-get update` needs the lists.',
              'zh-cn':
                '无法自动修复：有 heredoc、末尾的 `&`，或之后有 RUN 不执行 `apt-get update` 就安装，需要这些列表。',
            },
      });
    }
  },
  fix({ data }) {
    const at = (data as { at?: Position } | undefined)?.at;
    if (!at) return [];
    return [
      {
        title: { en: 'Remove the apt lists at the end of this RUN', 'zh-cn': '在这条 RUN 末尾删除 apt 列表' },
        edits: [{ range: { start: at, end: at }, newText: CLEANUP }],
        preferred: true,
      },
    ];
  },
});
