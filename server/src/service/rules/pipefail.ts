import { defineRule } from './types';
import { effectiveInstruction, findAll, literalWord, type ShNode } from '../shell';
import { basename, effectiveCommands, shortFlags } from '../shellFacts';

/** Shells whose `-o pipefail` hadolint (DL4006) trusts; plain `sh` may be dash without it. */
const PIPEFAIL_SHELLS = new Set(['bash', 'zsh', 'ash']);

/** `-o pipefail` among a shell's or `set`'s arguments (`-o pipefail`, `-eo pipefail`, `-opipefail`). */
export function setsPipefail(words: readonly (string | undefined)[]): boolean {
  let sawO = false;
  for (const word of words) {
    if (word === undefined) continue;
    if (word === '-opipefail') return true;
    if (shortFlags(word).includes('o')) sawO = true;
    else if (word === 'pipefail' && sawO) return true;
  }
  return false;
}

function shellHasPipefail(shell: readonly string[]): boolean {
  const exe = shell[0];
  if (exe === undefined || !PIPEFAIL_SHELLS.has(basename(exe.replace(/\\/g, '/')).toLowerCase())) return false;
  return setsPipefail(shell.slice(1));
}

/** Nodes whose children are statements: an exit status that reaches one of them counts. */
const STATEMENT_LEVEL = new Set([
  'program',
  'list',
  'pipeline',
  'subshell',
  'compound_statement',
  'redirected_statement',
  'negated_command',
  'if_statement',
  'elif_clause',
  'else_clause',
  'while_statement',
  'for_statement',
  'c_style_for_statement',
  'do_group',
  'case_item',
  'function_definition',
]);

/** Commands that cannot fail in a way pipefail would catch (they print a literal). */
const CANNOT_FAIL = new Set(['echo', 'printf', 'yes', 'true']);

/**
 * Pipelines pipefail cannot make a difference for: every command but the last prints a literal
 * (`echo "$sum *x.tgz" | sha256sum -c -`), or the pipeline is in a `$(...)` whose status is thrown
 * away (`cmd "$(a | b)"`, `export X="$(a | b)"`, `[ "$(a | b)" = x ]`).
 */
function pipefailIrrelevant(pipeline: ShNode): boolean {
  const stages = pipeline.children.filter((c) => c.named && c.type !== 'comment');
  const heads = stages.slice(0, -1);
  if (
    heads.length > 0 &&
    heads.every((c) => c.type === 'command' && CANNOT_FAIL.has(effectiveCommands(c)[0]?.base ?? ''))
  )
    return true;
  let node = pipeline.parent;
  while (node && node.type !== 'command_substitution') node = node.parent;
  if (!node) return false;
  for (let up = node.parent; up; up = up.parent) {
    if (up.type === 'command' || up.type === 'declaration_command' || up.type === 'test_command') return true;
    if (STATEMENT_LEVEL.has(up.type)) return false; // a standalone `X=$(a | b)`: its status is the pipeline's
  }
  return false;
}

const SET: ReadonlySet<string> = new Set(['set']);

/** Start offset of every `set ... -o pipefail` in a script. */
function pipefailSets(root: ShNode): number[] {
  return effectiveCommands(root, SET)
    .filter((c) => setsPipefail(c.args.map((a) => literalWord(a))))
    .map((c) => c.node.end);
}

export default defineRule({
  id: 'pipefail',
  severity: 'warning',
  peers: ['DL4006'],
  instructions: ['RUN', 'SHELL'],
  scope: 'stage',
  messages: {
    default: {
      en: 'A pipeline only fails when its last command fails: `curl ... | tar x` builds on even when the download fails. Start the RUN with `set -o pipefail &&` (bash, ash, zsh), or set `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` before it.',
      'zh-cn':
        '管道只在最后一个命令失败时才算失败：`curl ... | tar x` 即使下载失败，构建也会继续。请在 RUN 开头加上 `set -o pipefail &&`（bash、ash、zsh），或在它之前设置 `SHELL ["/bin/bash", "-o", "pipefail", "-c"]`。',
    },
  },
  check({ model, instructions, report }) {
    for (const outer of instructions) {
      if (effectiveInstruction(outer).getKeyword() !== 'RUN') continue;
      if (shellHasPipefail(model.shellFor(outer))) continue;
      for (const script of model.shellScripts(outer)) {
        const pipelines = findAll(script.root, 'pipeline');
        if (pipelines.length === 0) continue;
        const sets = pipefailSets(script.root);
        for (const pipeline of pipelines) {
          const pipe = pipeline.children.find((c) => c.type === '|' || c.type === '|&');
          if (!pipe || sets.some((end) => end <= pipe.start) || pipefailIrrelevant(pipeline)) continue;
          report({ range: script.rangeOf(pipe) });
          break; // one finding per script: one SHELL or `set -o pipefail` fixes them all
        }
      }
    }
  },
});
