import type { Heredoc, Instruction } from 'dockerfile-ast';
import { FoldingRangeKind, type FoldingRange } from 'vscode-languageserver-types';
import type { DockerfileModel } from './model';

const REGION_START = /^\s*#\s*region\b/i;
const REGION_END = /^\s*#\s*endregion\b/i;

/** `getHeredocs()` is public on RUN and COPY only in the typings; ADD has it too. */
interface WithHeredocs {
  getHeredocs(): Heredoc[];
}

export function heredocsOf(instruction: Instruction): Heredoc[] {
  const keyword = instruction.getKeyword();
  if (keyword !== 'RUN' && keyword !== 'COPY' && keyword !== 'ADD') return [];
  return (instruction as unknown as WithHeredocs).getHeredocs();
}

/**
 * Folding ranges: build stages (FROM to the stage's last instruction), multi-line instructions,
 * heredocs, blocks of two or more comment lines (kind comment) and `# region` / `# endregion`
 * pairs (kind region). One range per start line: the outermost wins.
 */
export function foldingRanges(model: DockerfileModel): FoldingRange[] {
  const byStart = new Map<number, FoldingRange>();
  const add = (startLine: number, endLine: number, kind?: string) => {
    if (endLine <= startLine || byStart.has(startLine)) return;
    byStart.set(startLine, kind === undefined ? { startLine, endLine } : { startLine, endLine, kind });
  };

  for (const stage of model.stages) {
    const last = stage.instructions[stage.instructions.length - 1] ?? stage.from;
    add(stage.from.getRange().start.line, last.getRange().end.line);
  }
  for (const instruction of model.instructions) {
    const range = instruction.getRange();
    add(range.start.line, range.end.line);
    const heredocs = heredocsOf(instruction);
    for (let i = 0; i < heredocs.length; i++) {
      const heredoc = heredocs[i]!;
      const body = heredoc.getContentRange() ?? heredoc.getDelimiterRange();
      const end = heredoc.getDelimiterRange() ?? heredoc.getContentRange();
      if (!body || !end) continue;
      // The fold starts on the line before the body: the `<<EOF` line, or the previous delimiter.
      add(body.start.line - 1, end.end.line);
    }
  }

  const comments = model.comments
    .map((c) => ({ line: c.getRange().start.line, text: model.document.getText(c.getRange()) }))
    .sort((a, b) => a.line - b.line);
  const regions: number[] = [];
  let blockStart = -1;
  let previous = -2;
  const closeBlock = () => {
    if (blockStart >= 0 && previous > blockStart) add(blockStart, previous, FoldingRangeKind.Comment);
    blockStart = -1;
  };
  for (const { line, text } of comments) {
    if (REGION_START.test(text)) {
      closeBlock();
      regions.push(line);
      previous = -2;
      continue;
    }
    if (REGION_END.test(text)) {
      closeBlock();
      const start = regions.pop();
      if (start !== undefined) add(start, line, FoldingRangeKind.Region);
      previous = -2;
      continue;
    }
    if (line !== previous + 1) {
      closeBlock();
      blockStart = line;
    }
    previous = line;
  }
  closeBlock();

  return [...byStart.values()].sort((a, b) => a.startLine - b.startLine);
}
