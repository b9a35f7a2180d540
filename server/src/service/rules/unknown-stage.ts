import { Copy, Run, type Flag, type Instruction } from 'dockerfile-ast';
import type { Range } from 'vscode-languageserver-types';
import type { DockerfileModel } from '../model';
import { expandVariables } from '../variables';
import { defineRule } from './types';
import { editDistance } from '../editDistance';

/** A stage reference written in a flag: `COPY --from=x`, `RUN --mount=from=x`. */
export interface StageReference {
  readonly instruction: Instruction;
  readonly value: string;
  readonly range: Range;
  readonly kind: 'copy' | 'mount';
}

/** Every `COPY --from=` and `RUN --mount=...,from=` value of top-level instructions (not ONBUILD): all by default. */
export function stageReferences(
  model: DockerfileModel,
  instructions: readonly Instruction[] = model.instructions,
): StageReference[] {
  const refs: StageReference[] = [];
  for (const instruction of instructions) {
    if (instruction instanceof Copy) {
      for (const flag of instruction.getFlags()) {
        if (flag.getName() !== 'from') continue;
        const value = flag.getValue();
        const range = flag.getValueRange();
        if (value && range) refs.push({ instruction, value, range, kind: 'copy' });
      }
    } else if (instruction instanceof Run) {
      for (const flag of instruction.getFlags()) {
        if (flag.getName() !== 'mount') continue;
        const ref = mountFrom(flag);
        if (ref) refs.push({ instruction, ...ref, kind: 'mount' });
      }
    }
  }
  return refs;
}

function mountFrom(flag: Flag): { value: string; range: Range } | undefined {
  for (const option of flag.getOptions()) {
    if (option.getName().toLowerCase() !== 'from') continue;
    const value = option.getValue();
    const range = option.getValueRange();
    if (value && range) return { value, range };
  }
  return undefined;
}

/** Looks like an image reference rather than a stage name: `nginx:1.25`, `ghcr.io/x/y`, `img@sha256:...`. */
function looksLikeImage(value: string): boolean {
  return /[:/.@]/.test(value);
}

/** The closest stage name within edit distance 2, for "did you mean". */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of candidates) {
    const d = editDistance(lower, candidate.toLowerCase(), 2);
    if (d > 0 && d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

export default defineRule({
  id: 'unknown-stage',
  severity: 'warning',
  peers: ['DL3022', 'DL3023'],
  instructions: ['COPY', 'RUN'],
  // Looks at later stages too (`later`: the line of a stage defined after the reference).
  scope: 'file',
  messages: {
    default: {
      en: 'No stage named `{0}` is defined before this line, so Docker pulls an image called `{0}` from the registry. Define the stage above (`FROM ... AS {0}`) or write the full image reference (`{0}:tag`).',
      'zh-cn':
        '此行之前没有名为 `{0}` 的阶段，Docker 会从镜像仓库拉取名为 `{0}` 的镜像。请在上方定义该阶段（`FROM ... AS {0}`），或写出完整的镜像引用（`{0}:标签`）。',
    },
    suggestion: {
      en: 'No stage named `{0}` is defined before this line (did you mean `{1}`?), so Docker pulls an image called `{0}` from the registry.',
      'zh-cn': '此行之前没有名为 `{0}` 的阶段（是否想写 `{1}`？），Docker 会从镜像仓库拉取名为 `{0}` 的镜像。',
    },
    later: {
      en: 'The stage `{0}` is defined later, on line {1}: the classic builder looks for an image called `{0}` instead, and the order is confusing to read. Move the stage above this line.',
      'zh-cn':
        '阶段 `{0}` 在后面的第 {1} 行才定义：旧版构建器会转而查找名为 `{0}` 的镜像，这样的顺序也难以阅读。请把该阶段移到此行之前。',
    },
    self: {
      en: '`{0}` is the stage this instruction is in: a stage cannot copy from itself (Docker reports a circular dependency). Use an earlier stage.',
      'zh-cn': '`{0}` 就是本指令所在的阶段：阶段不能从自身复制（Docker 会报告循环依赖）。请使用之前的阶段。',
    },
    index: {
      en: 'There is no stage number {0} before this one: stages are numbered from 0 in order, and only earlier stages can be used. Use a stage name instead of a number.',
      'zh-cn': '此阶段之前没有编号为 {0} 的阶段：阶段按顺序从 0 开始编号，只能引用之前的阶段。建议用阶段名代替编号。',
    },
  },
  check({ model, instructions, report }) {
    for (const ref of stageReferences(model, instructions)) {
      const stage = model.stageOf(ref.instruction);
      if (!stage) continue;
      const line = ref.range.start.line;
      let value = ref.value;
      if (value.includes('$')) {
        let unresolved = false;
        value = expandVariables(
          value,
          (name) => {
            const v = model.resolveVariable(name, line)?.value;
            if (v === undefined) unresolved = true;
            return v;
          },
          model.escape,
        );
        if (unresolved || value === '') continue;
      }
      if (/^\d+$/.test(value)) {
        if (Number(value) >= stage.index) report({ range: ref.range, message: 'index', args: [value] });
        continue;
      }
      const wanted = value.toLowerCase();
      if (model.stages.some((s) => s.index < stage.index && s.name === wanted)) continue;
      if (stage.name === wanted) {
        report({ range: ref.range, message: 'self', args: [value] });
        continue;
      }
      if (looksLikeImage(value)) continue;
      const later = model.stages.find((s) => s.index > stage.index && s.name === wanted);
      if (later) {
        report({ range: ref.range, message: 'later', args: [value, later.from.getRange().start.line + 1] });
        continue;
      }
      const earlierNames = model.stages.filter((s) => s.index < stage.index && s.name).map((s) => s.name!);
      const suggestion = closest(value, earlierNames);
      if (suggestion) report({ range: ref.range, message: 'suggestion', args: [value, suggestion] });
      else report({ range: ref.range, args: [value] });
    }
  },
});
