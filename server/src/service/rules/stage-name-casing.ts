import type { Range, TextEdit } from 'vscode-languageserver-types';
import type { DockerfileModel, Stage } from '../model';
import { stageReferences } from './unknown-stage';
import { defineRule } from './types';

/** The places that refer to `stage` by name after it is defined: `FROM name`, `COPY --from=name`, `--mount=from=name`. */
function referencesTo(model: DockerfileModel, stage: Stage): Range[] {
  const ranges: Range[] = [];
  const name = stage.name;
  if (name === undefined) return ranges;
  // A reference belongs to the first stage of that name defined before it.
  const owner = (line: number) => model.findStage(name, line) === stage;
  for (const other of model.stages) {
    if (other.index <= stage.index) continue;
    const imageName = other.from.getImageName();
    const range = other.from.getImageNameRange();
    const image = other.from.getImage();
    if (imageName && range && image === imageName && imageName.toLowerCase() === name && owner(range.start.line)) {
      ranges.push(range);
    }
  }
  for (const ref of stageReferences(model)) {
    if (ref.value.toLowerCase() !== name) continue;
    const refStage = model.stageOf(ref.instruction);
    if (refStage && refStage.index > stage.index && owner(ref.range.start.line)) ranges.push(ref.range);
  }
  return ranges;
}

export default defineRule({
  id: 'stage-name-casing',
  severity: 'warning',
  peers: ['StageNameCasing'],
  instructions: ['FROM'],
  // The check reads only the stage's own name; the fix (computed on demand) also renames references elsewhere.
  scope: 'stage',
  messages: {
    default: {
      en: 'Stage name `{0}` should be lowercase: Docker compares stage names without case, and mixed case makes `FROM` and `--from` references look like different names. Use `{1}`.',
      'zh-cn':
        '阶段名 `{0}` 应该用小写：Docker 比较阶段名时不区分大小写，大小写混用会让 `FROM` 和 `--from` 中的引用看起来像不同的名字。请改为 `{1}`。',
    },
  },
  check({ model, stages, report }) {
    for (const stage of stages) {
      if (!stage.nameRange) continue;
      const written = model.document.getText(stage.nameRange);
      if (written === written.toLowerCase()) continue;
      report({ range: stage.nameRange, args: [written, written.toLowerCase()] });
    }
  },
  fix({ model, range }) {
    const stage = model.stages.find(
      (s) =>
        s.nameRange !== undefined &&
        s.nameRange.start.line === range.start.line &&
        s.nameRange.start.character === range.start.character,
    );
    if (!stage?.nameRange || stage.name === undefined) return [];
    const edits: TextEdit[] = [];
    for (const r of [stage.nameRange, ...referencesTo(model, stage)]) {
      const text = model.document.getText(r);
      if (text !== text.toLowerCase()) edits.push({ range: r, newText: text.toLowerCase() });
    }
    if (edits.length === 0) return [];
    return [
      {
        title: {
          en: 'Rename stage to `{0}` (and its {1} reference(s))',
          'zh-cn': '将阶段重命名为 `{0}`（及其 {1} 处引用）',
        },
        titleArgs: [stage.name, edits.length - 1],
        edits,
        preferred: true,
      },
    ];
  },
});
