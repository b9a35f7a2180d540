import type { Instruction } from 'dockerfile-ast';
import type { Range } from 'vscode-languageserver-types';
import { defineRule } from './types';
import { DockerfileModel, isPosixShell, type Stage } from '../model';
import { isExecForm, walk } from '../shell';

interface Entry {
  /** The top-level instruction (the ONBUILD for a trigger). */
  readonly outer: Instruction;
  /** The instruction itself (the trigger of an ONBUILD). */
  readonly instruction: Instruction;
}

function argumentsRange(instruction: Instruction): Range | undefined {
  const args = instruction.getArguments();
  return args.length === 0
    ? undefined
    : { start: args[0]!.getRange().start, end: args[args.length - 1]!.getRange().end };
}

/** Top-level instructions, or ONBUILD triggers, of a stage. */
function view(stage: Stage, triggers: boolean): Entry[] {
  const out: Entry[] = [];
  for (const outer of stage.instructions) {
    const trigger = DockerfileModel.triggerOf(outer);
    if (triggers && trigger) out.push({ outer, instruction: trigger });
    else if (!triggers && !trigger) out.push({ outer, instruction: outer });
  }
  return out;
}

/** True when a shell script reads its positional parameters (`$@`, `$*`, `$1`, `$0`, `$#`): then it gets the CMD. */
function readsArguments(model: DockerfileModel, outer: Instruction): boolean {
  let found = false;
  for (const script of model.shellScripts(outer)) {
    walk(script.root, (node) => {
      if (found) return false;
      if (node.type !== 'simple_expansion' && node.type !== 'expansion') return;
      const m = /^\$\{?(#?)(.?)/.exec(node.text);
      if (!m) return;
      const ch = m[2]!;
      found = m[1] === '#' ? '}@*0123456789'.includes(ch) && ch !== '' : '@*#0123456789'.includes(ch) && ch !== '';
    });
  }
  return found;
}

/**
 * Windows images run shell forms with `cmd /S /C`, which appends the CMD to the command line: the
 * CMD does reach the program there. Known by the base image's name.
 */
function isWindowsStage(model: DockerfileModel, stage: Stage | undefined, depth = 0): boolean {
  if (!stage || depth > 32) return false;
  const image = stage.from.getImage() ?? '';
  if (/windows|nanoserver|servercore/i.test(image)) return true;
  const parent = model.parentStage(stage);
  return parent !== undefined && parent !== stage && isWindowsStage(model, parent, depth + 1);
}

/** The ENTRYPOINT in effect, when it is in shell form under a POSIX shell and ignores its arguments. */
function ignoringEntrypoint(model: DockerfileModel, entry: Entry | undefined): Entry | undefined {
  if (!entry) return undefined;
  const { outer, instruction } = entry;
  if (isExecForm(instruction) || instruction.getArguments().length === 0) return undefined;
  if (isWindowsStage(model, model.stageOf(outer))) return undefined;
  if (!isPosixShell(model.shellFor(outer)) || readsArguments(model, outer)) return undefined;
  return entry;
}

function isCmdWithArguments(instruction: Instruction): boolean {
  if (instruction.getKeyword() !== 'CMD') return false;
  const args = instruction.getArguments();
  if (args.length === 0) return false;
  return !(
    isExecForm(instruction) &&
    args
      .map((a) => a.getValue())
      .join('')
      .replace(/\s/g, '') === '[]'
  );
}

/** The last ENTRYPOINT of a stage, else of the stage it is built on (FROM <stage>). */
function inheritedEntrypoint(model: DockerfileModel, stage: Stage, depth = 0): Entry | undefined {
  if (depth > 32) return undefined;
  const own = view(stage, false).filter((e) => e.instruction.getKeyword() === 'ENTRYPOINT');
  if (own.length > 0) return own[own.length - 1];
  const parent = model.parentStage(stage);
  return parent && parent !== stage ? inheritedEntrypoint(model, parent, depth + 1) : undefined;
}

export default defineRule({
  id: 'entrypoint-shell-ignores-cmd',
  severity: 'warning',
  peers: [],
  instructions: ['ENTRYPOINT', 'CMD'],
  scope: 'stage',
  messages: {
    default: {
      en: 'ENTRYPOINT in shell form runs `/bin/sh -c "<command>"` and ignores the CMD of this stage: the CMD is never passed to it. Use the exec form `ENTRYPOINT ["executable"]` so CMD supplies its arguments.',
      'zh-cn':
        'shell 格式的 ENTRYPOINT 以 `/bin/sh -c "<命令>"` 执行，会忽略本阶段的 CMD：CMD 永远传不到它。请改用 exec 格式 `ENTRYPOINT ["可执行文件"]`，让 CMD 提供它的参数。',
    },
    inherited: {
      en: 'This CMD is never used: the ENTRYPOINT this stage inherits from stage `{0}` is in shell form (`/bin/sh -c "<command>"`), which ignores CMD. Use the exec form for that ENTRYPOINT.',
      'zh-cn':
        '这条 CMD 永远不会被用到：本阶段从阶段 `{0}` 继承的 ENTRYPOINT 是 shell 格式（`/bin/sh -c "<命令>"`），会忽略 CMD。请把那条 ENTRYPOINT 改成 exec 格式。',
    },
  },
  check({ model, stages, report }) {
    for (const stage of stages) {
      for (const triggers of [false, true]) {
        const entries = view(stage, triggers);
        const entrypoints = entries.filter((e) => e.instruction.getKeyword() === 'ENTRYPOINT');
        const cmds = entries.filter((e) => isCmdWithArguments(e.instruction));
        if (cmds.length === 0) continue;
        if (entrypoints.length > 0) {
          const entrypoint = ignoringEntrypoint(model, entrypoints[entrypoints.length - 1]);
          const range = entrypoint && argumentsRange(entrypoint.instruction);
          if (!range) continue;
          report({
            range,
            related: cmds.map((c) => ({
              range: c.instruction.getInstructionRange(),
              message: { en: 'The CMD that is ignored', 'zh-cn': '被忽略的 CMD' },
            })),
          });
        } else if (!triggers) {
          const parent = model.parentStage(stage);
          const entrypoint = parent && ignoringEntrypoint(model, inheritedEntrypoint(model, parent));
          if (!entrypoint) continue;
          const cmd = cmds[cmds.length - 1]!.instruction;
          const range = argumentsRange(cmd);
          if (!range) continue;
          const owner = model.stageOf(entrypoint.outer);
          report({
            range,
            message: 'inherited',
            args: [owner?.from.getBuildStage() ?? String(owner?.index ?? '')],
            related: [
              {
                range: entrypoint.instruction.getInstructionRange(),
                message: { en: 'The shell-form ENTRYPOINT', 'zh-cn': 'shell 格式的 ENTRYPOINT' },
              },
            ],
          });
        }
      }
    }
  },
});
