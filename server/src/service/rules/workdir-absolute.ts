import type { Instruction } from 'dockerfile-ast';
import type { Range } from 'vscode-languageserver-types';
import { defineRule } from './types';
import { DockerfileModel, type Stage } from '../model';

type Kind = 'absolute' | 'relative' | 'none';

/**
 * `absolute` for `/x`, `C:\x`, `C:/x`, `\\server\share`, and a leading variable (`$HOME/x`,
 * which usually holds an absolute path); `relative` otherwise.
 */
function pathKind(instruction: Instruction): Kind {
  const args = instruction.getArguments();
  if (args.length === 0) return 'none';
  const path = args[0]!.getValue().replace(/^["']/, '');
  if (/^[/\\$]/.test(path) || /^[A-Za-z]:/.test(path)) return 'absolute';
  return 'relative';
}

/** True when the stage (up to `beforeLine`) or a stage it is built on sets an absolute WORKDIR. */
function hasAbsoluteWorkdir(model: DockerfileModel, stage: Stage, beforeLine: number, depth = 0): boolean {
  for (const instruction of stage.instructions) {
    if (instruction.getRange().start.line >= beforeLine) break;
    if (instruction.getKeyword() === 'WORKDIR' && pathKind(instruction) === 'absolute') return true;
  }
  if (depth > 32) return false;
  const parent = model.parentStage(stage);
  return parent !== undefined && parent !== stage && hasAbsoluteWorkdir(model, parent, Infinity, depth + 1);
}

function argumentsRange(instruction: Instruction): Range {
  const args = instruction.getArguments();
  return { start: args[0]!.getRange().start, end: args[args.length - 1]!.getRange().end };
}

export default defineRule({
  id: 'workdir-absolute',
  severity: 'warning',
  peers: ['DL3000', 'WorkdirRelativePath'],
  instructions: ['WORKDIR'],
  scope: 'stage',
  messages: {
    default: {
      en: "Relative WORKDIR `{0}` is resolved against the base image's working directory, which can change without notice. Use an absolute path (`/{0}`), or set an absolute WORKDIR first.",
      'zh-cn':
        '相对路径的 WORKDIR `{0}` 是相对于基础镜像的工作目录解析的，而基础镜像的工作目录可能随时变化。请使用绝对路径（`/{0}`），或先设置一个绝对路径的 WORKDIR。',
    },
  },
  check({ model, stages, report }) {
    for (const stage of stages) {
      for (const outer of stage.instructions) {
        const trigger = DockerfileModel.triggerOf(outer);
        const instruction = trigger ?? outer;
        if (instruction.getKeyword() !== 'WORKDIR' || pathKind(instruction) !== 'relative') continue;
        // An ONBUILD trigger runs in a later build, on top of this whole stage.
        const at = trigger ? Number.POSITIVE_INFINITY : outer.getRange().start.line;
        if (hasAbsoluteWorkdir(model, stage, at)) continue;
        const range = argumentsRange(instruction);
        report({ range, args: [model.document.getText(range).replace(/^\.\//, '')] });
      }
    }
  },
});
