import { Healthcheck, JSONInstruction, Run, type Instruction } from 'dockerfile-ast';
import type { Range } from 'vscode-languageserver-types';
import { defineRule } from './types';
import { effectiveInstruction, isExecForm } from '../shell';
import type { DockerfileModel, Stage } from '../model';
import { baseImageName } from '../shellFacts';

/** Destinations of a COPY/ADD that may bring a shell along (a root filesystem, a `/bin`). */
const SHELL_DESTINATIONS = new Set(['/', '/bin', '/bin/sh']);

/** The sources and the destination of a COPY/ADD, quotes removed. */
function paths(instruction: Instruction): string[] {
  if (instruction instanceof JSONInstruction && isExecForm(instruction)) {
    return instruction.getJSONStrings().map((s) => s.getJSONValue());
  }
  return instruction.getArguments().map((a) => a.getValue().replace(/^(["'])(.*)\1$/, '$2'));
}

/**
 * True when an instruction may give the image a shell: SHELL names one, or a COPY/ADD fills
 * `/bin` or `/` (an archive ADD unpacks, a folder or another stage's root). A COPY of files
 * with an extension to `/` (`COPY app.jar /`) cannot bring a shell.
 */
function providesShell(instruction: Instruction): boolean {
  const keyword = instruction.getKeyword();
  if (keyword === 'SHELL') return true;
  if (keyword !== 'COPY' && keyword !== 'ADD') return false;
  const words = paths(instruction);
  const dest = words[words.length - 1];
  if (dest === undefined || words.length < 2) return false;
  const normalized = dest.length > 1 ? dest.replace(/\/+$/, '') : dest;
  if (!SHELL_DESTINATIONS.has(normalized)) return false;
  if (normalized !== '/' || keyword === 'ADD') return true;
  return !words.slice(0, -1).every((src) => /[^/.][^/]*\.[A-Za-z0-9]+$/.test(src));
}

/** True when the stage starts from `scratch`, directly or through earlier stages that never got a shell. */
const bareCache = new WeakMap<Stage, boolean>();

/** The stage starts from an empty image: `FROM scratch`, or a bare stage built on scratch (memoised per stage). */
function startsBare(model: DockerfileModel, stage: Stage, depth = 0): boolean {
  const cached = bareCache.get(stage);
  if (cached !== undefined) return cached;
  let bare: boolean;
  const image = baseImageName(model, stage);
  if (image === 'scratch') bare = true;
  else if (image === undefined || depth > 32) bare = false;
  else {
    const parent = model.parentStage(stage);
    bare =
      parent !== undefined &&
      parent !== stage &&
      startsBare(model, parent, depth + 1) &&
      !parent.instructions.some(providesShell);
  }
  bareCache.set(stage, bare);
  return bare;
}

/** The shell-form command text of a RUN/CMD/ENTRYPOINT/HEALTHCHECK CMD, if it is in shell form. */
function shellFormRange(instruction: Instruction): Range | undefined {
  const keyword = instruction.getKeyword();
  let args = instruction.getArguments();
  if (keyword === 'HEALTHCHECK') {
    if (!(instruction instanceof Healthcheck)) return undefined;
    const sub = instruction.getSubcommand();
    if (!sub || sub.getValue().toUpperCase() !== 'CMD') return undefined;
    const after = sub.getRange().end;
    args = args.filter((a) => {
      const start = a.getRange().start;
      return start.line > after.line || (start.line === after.line && start.character > after.character);
    });
    if (args.length === 0 || args[0]!.getValue().startsWith('[')) return undefined;
  } else if (keyword === 'RUN' || keyword === 'CMD' || keyword === 'ENTRYPOINT') {
    if (isExecForm(instruction) || args.length === 0) return undefined;
    // `RUN <<EOF`: the command line, not the heredoc body.
    if (instruction instanceof Run && instruction.getHeredocs().length > 0) {
      const line = args[0]!.getRange().start.line;
      args = args.filter((a) => a.getRange().end.line === line);
    }
  } else return undefined;
  return { start: args[0]!.getRange().start, end: args[args.length - 1]!.getRange().end };
}

export default defineRule({
  id: 'shell-form-in-scratch',
  severity: 'error',
  peers: [],
  instructions: ['RUN', 'CMD', 'ENTRYPOINT', 'HEALTHCHECK'],
  scope: 'stage',
  messages: {
    default: {
      en: '{0} in shell form runs `/bin/sh -c`, but this stage starts `FROM scratch`, an empty image with no shell. Use the exec form `{0} ["/app", "arg"]`, or build on an image that has a shell.',
      'zh-cn':
        'shell 格式的 {0} 要用 `/bin/sh -c` 执行，但这个阶段基于 `FROM scratch`：一个空白镜像，没有 shell。请改用 exec 格式 `{0} ["/app", "参数"]`，或换一个带 shell 的基础镜像。',
    },
  },
  check({ model, stages, report }) {
    for (const stage of stages) {
      if (!startsBare(model, stage)) continue;
      const triggers: { instruction: Instruction; range: Range }[] = [];
      let bare = true;
      for (const outer of stage.instructions) {
        if (providesShell(outer)) bare = false;
        const instruction = effectiveInstruction(outer);
        const range = shellFormRange(instruction);
        if (!range) continue;
        // An ONBUILD trigger runs in a later build, on top of this whole stage: judged at the end.
        if (instruction !== outer) triggers.push({ instruction, range });
        else if (bare) report({ range, args: [instruction.getKeyword()] });
      }
      if (!bare) continue;
      for (const { instruction, range } of triggers) report({ range, args: [instruction.getKeyword()] });
    }
  },
});
