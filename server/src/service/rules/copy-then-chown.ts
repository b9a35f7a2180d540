import type { Instruction } from 'dockerfile-ast';
import type { Range, TextEdit } from 'vscode-languageserver-types';
import { defineRule, type Finding } from './types';
import type { DockerfileModel } from '../model';
import { effectiveInstruction, hasError, literalWord, perNode, type ShellScript, type ShNode } from '../shell';
import {
  basename,
  looksLikeFile,
  mayRun,
  lastRunning,
  copyFacts,
  effectiveCommand,
  initialWorkdir,
  nextWorkdir,
  removes,
  resolvePath,
  shortFlags,
  type CopyFacts,
  type EffectiveCommand,
} from '../shellFacts';

const CD_CHOWN: ReadonlySet<string> = new Set(['cd', 'chown']);
const CHOWN: ReadonlySet<string> = new Set(['chown']);

/** Instructions that change no file: they may sit between the COPY and the chown the fix removes. */
const NO_FILES = new Set([
  'ENV',
  'ARG',
  'LABEL',
  'EXPOSE',
  'USER',
  'STOPSIGNAL',
  'HEALTHCHECK',
  'CMD',
  'ENTRYPOINT',
  'SHELL',
]);

interface Chown {
  readonly command: EffectiveCommand;
  readonly owner: string | undefined;
  readonly recursive: boolean;
  /** Only `-R`/`--recursive` among the options. */
  readonly plain: boolean;
  /** The target paths, resolved (undefined where unknown). */
  readonly paths: readonly (string | undefined)[];
}

function parseChown(command: EffectiveCommand, cwd: string | undefined): Chown | undefined {
  if (command.base !== 'chown') return undefined;
  let owner: string | undefined;
  let ownerSeen = false;
  let recursive = false;
  let plain = true;
  const paths: (string | undefined)[] = [];
  let options = true;
  for (const node of command.args) {
    const word = literalWord(node);
    if (options && word === '--') {
      options = false;
      continue;
    }
    if (options && word !== undefined && word.startsWith('-') && word.length > 1) {
      if (word === '--recursive' || shortFlags(word).includes('R')) recursive = true;
      if (word.startsWith('--reference')) return undefined; // the owner comes from a file
      if (word !== '--recursive' && shortFlags(word) !== 'R') plain = false;
      continue;
    }
    if (!ownerSeen) {
      ownerSeen = true;
      owner = word;
      continue;
    }
    paths.push(word === undefined ? undefined : resolvePath(word, cwd));
  }
  return ownerSeen && paths.length > 0 ? { command, owner, recursive, plain, paths } : undefined;
}

/** The COPY's files are rewritten by the chown: the same path, or (recursive) a directory above. */
function rewrites(chown: Chown, copy: CopyFacts): boolean {
  return chown.paths.some((path) => {
    if (path === undefined || copy.dest === undefined) return false;
    if (path === copy.dest) return chown.recursive || copy.fileLike;
    if (chown.recursive && removes(path, copy.dest)) return true;
    // One copied file inside the destination directory.
    return copy.landings.some(
      (l, i) => l === path && l !== copy.dest && looksLikeFile(basename(copy.sources[i] ?? '')),
    );
  });
}

interface FixData {
  readonly owner: string;
  readonly copies: readonly { readonly insertAt: Range['start']; readonly chownValue?: Range }[];
  readonly remove: Range;
}

/** The text split at '\n', once per model (only a finding with a fix reads it). */
const linesCache = new WeakMap<DockerfileModel, string[]>();

/** The whole lines of an instruction, newline included (or the preceding newline at the end of the file). */
function lineRange(model: DockerfileModel, instruction: Instruction): Range | undefined {
  const { start, end } = instruction.getRange();
  let lines = linesCache.get(model);
  if (!lines) linesCache.set(model, (lines = model.text.split('\n')));
  for (let line = start.line + 1; line <= end.line; line++) {
    if (lines[line]?.trimStart().startsWith('#')) return undefined; // a comment inside the RUN: keep it, no fix
  }
  if (end.line + 1 < lines.length)
    return { start: { line: start.line, character: 0 }, end: { line: end.line + 1, character: 0 } };
  if (start.line === 0)
    return { start: { line: 0, character: 0 }, end: { line: end.line, character: lines[end.line]!.length } };
  const previous = start.line - 1;
  return {
    start: { line: previous, character: lines[previous]!.replace(/\r$/, '').length },
    end: { line: end.line, character: lines[end.line]!.length },
  };
}

function fixData(
  model: DockerfileModel,
  run: Instruction,
  script: ShellScript,
  chown: Chown,
  matched: readonly CopyFacts[],
  sequence: readonly Instruction[],
): FixData | undefined {
  if (!chown.plain || chown.owner === undefined || !/^[\w.-]+(:[\w.-]+)?$/.test(chown.owner)) return undefined;
  if (script.kind !== 'body' || hasError(script.root) || model.shellScripts(run).length !== 1) return undefined;
  const statements = script.root.children.filter((c) => c.named);
  const node: ShNode = chown.command.node;
  if (statements.length !== 1 || statements[0] !== node) return undefined;
  if (!node.children.every((c) => c.field === 'name' || c.field === 'argument')) return undefined;
  if (chown.command.chain.length !== 1) return undefined; // `sudo chown`, `exec chown`: leave it
  // Every path is exactly one of these COPY destinations.
  if (!chown.paths.every((p) => p !== undefined && matched.some((c) => c.dest === p))) return undefined;
  // Nothing between the first COPY and the RUN writes files the chown would also have changed.
  // (An ONBUILD's trigger is a new object on every call: compare instructions by their line.)
  const lineOf = (i: Instruction) => i.getRange().start.line;
  const first = sequence.findIndex((i) => lineOf(i) === lineOf(matched[0]!.instruction));
  const runIndex = sequence.indexOf(run);
  if (first < 0 || runIndex < 0) return undefined;
  for (const between of sequence.slice(first, runIndex)) {
    if (matched.some((c) => lineOf(c.instruction) === lineOf(between))) continue;
    if (!NO_FILES.has(effectiveInstruction(between).getKeyword())) return undefined;
  }
  const remove = lineRange(model, run);
  if (!remove) return undefined;
  return {
    owner: chown.owner,
    copies: matched.map((c) => ({
      insertAt: c.instruction.getInstructionRange().end,
      chownValue: c.chown?.getValueRange() ?? undefined,
    })),
    remove,
  };
}

function checkSequence(
  model: DockerfileModel,
  sequence: readonly Instruction[],
  start: string | undefined,
  report: (f: Finding) => void,
): void {
  // Up to the last RUN that may chown (none: nothing to look at, no COPY read).
  const last = lastRunning(model, sequence, CHOWN);
  let cwd = start;
  const copies: CopyFacts[] = [];
  for (let k = 0; k <= last; k++) {
    const outer = sequence[k]!;
    const instruction = effectiveInstruction(outer);
    const keyword = instruction.getKeyword();
    if (keyword === 'WORKDIR') cwd = nextWorkdir(model, instruction, cwd);
    else if (keyword === 'COPY' || keyword === 'ADD') {
      const facts = copyFacts(model, instruction, cwd);
      if (facts) copies.push(facts);
    } else if (keyword === 'RUN') {
      for (const script of model.shellScripts(outer)) {
        let shellCwd = cwd;
        for (const node of cdOrChownCommands(script.root)) {
          const command = effectiveCommand(node);
          if (!command) continue;
          if (command.base === 'cd') {
            const target = command.args[0] ? literalWord(command.args[0]) : undefined;
            shellCwd = target === undefined ? undefined : resolvePath(target, shellCwd);
            continue;
          }
          const chown = parseChown(command, shellCwd);
          if (!chown) continue;
          const matched = copies.filter((c) => rewrites(chown, c));
          if (matched.length === 0) continue;
          const data = fixData(model, outer, script, chown, matched, sequence);
          const last = matched[matched.length - 1]!;
          report({
            range: script.rangeOf(node),
            args: [last.instruction.getKeyword(), last.instruction.getRange().start.line + 1, chown.owner ?? '<owner>'],
            data,
            related: matched.map((c) => ({
              range: c.destRange,
              message: {
                en: 'These files are stored once here, and once more by the chown.',
                'zh-cn': '这些文件在这里存储一次，chown 又存储一次。',
              },
            })),
            noFixReason: data
              ? undefined
              : {
                  en: 'No automatic fix: the RUN does more than this chown, or other instructions between would change ownership too.',
                  'zh-cn': '无法自动修复：这条 RUN 不只有这个 chown，或中间的其他指令也会受所有权变化影响。',
                },
          });
        }
      }
    }
  }
}

/**
 * The simple commands of a script that may run `cd` or `chown`, in source order, not descending into
 * subshells (their `cd` does not last). Kept per tree: trees are immutable and outlive a document
 * version, so an edit looks again only at the RUN it changed.
 */
const cdOrChownCommands = perNode((root): readonly ShNode[] => {
  const found: ShNode[] = [];
  const visit = (node: ShNode): void => {
    if (node.type === 'command' && mayRun(node, CD_CHOWN)) found.push(node);
    if (node.type === 'subshell' || node.type === 'command_substitution') return;
    for (const child of node.children) visit(child);
  };
  visit(root);
  return found;
});

export default defineRule({
  id: 'copy-then-chown',
  severity: 'info',
  peers: [],
  instructions: ['COPY', 'ADD', 'RUN'],
  scope: 'stage',
  messages: {
    default: {
      en: 'This chown rewrites the files the {0} at line {1} added: every changed file is copied into this new layer, so the image stores them twice (our notes: layered storage). Set the owner while copying: `{0} --chown={2} ...`.',
      'zh-cn':
        '这个 chown 改写了第 {1} 行 {0} 加入的文件：每个被修改的文件都会复制到新的一层，镜像因此存储了两份（笔记：分层存储）。请在复制时设置所有者：`{0} --chown={2} ...`。',
    },
  },
  check({ model, stages, report }) {
    for (const stage of stages) {
      const own = stage.instructions.filter((i) => effectiveInstruction(i) === i);
      const triggers = stage.instructions.filter((i) => effectiveInstruction(i) !== i);
      checkSequence(model, own, initialWorkdir(model, stage), report);
      if (triggers.length > 1) checkSequence(model, triggers, undefined, report);
    }
  },
  fix({ data }) {
    const fix = data as FixData | undefined;
    if (!fix?.copies?.length) return [];
    const edits: TextEdit[] = fix.copies.map((c) =>
      c.chownValue
        ? { range: c.chownValue, newText: fix.owner }
        : { range: { start: c.insertAt, end: c.insertAt }, newText: ` --chown=${fix.owner}` },
    );
    edits.push({ range: fix.remove, newText: '' });
    return [
      {
        title: {
          en: 'Use --chown={0} on the copy and remove this RUN',
          'zh-cn': '在复制时使用 --chown={0} 并删除这条 RUN',
        },
        titleArgs: [fix.owner],
        edits,
        // Not for fix-all: a destination directory that already existed keeps its owner with --chown.
        preferred: false,
      },
    ];
  },
});
